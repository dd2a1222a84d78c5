/**
 * The replay: the merged input stream driven through the access service — the same service
 * production runs, in replay mode, with the event time as its clock — in batched transactions.
 * Every input becomes one record (`records.ts`) handed to a sink in stream order; the report is
 * one such sink. With a second service (`--against`), every batch runs through both, each over its
 * own ledger, and each record carries both results. Nothing here reads the wall clock.
 */
import type { AccessService, BatchItem, BatchResult } from '../service/service.js';
import { replayInputChunks, type InputItem, type RejectedItem, type ReplayInputOptions } from './inputs.js';
import type { ReplayRecord, ReplaySink } from './records.js';
import { ReportBuilder, type ReplayedDecision, type ReplayedEvent, type SimReport } from './report.js';

/** Items per transaction: large enough that commits cost little, small enough to bound a rollback. */
export const DEFAULT_BATCH = 1000;

export interface ReplayOptions {
  readonly inputs: ReplayInputOptions;
  /** Stop at the first rejected input; the batch it fell in is not applied. */
  readonly strict?: boolean;
  readonly batchSize?: number;
  /** Set to each input's event time as it is read (the services' clock in replay mode). */
  readonly clock?: { now: number };
  /** Called after every batch with the number of inputs read so far. */
  readonly onProgress?: (read: number) => void;
}

/** The services a replay drives: the policy simulated and, with `--against`, the other one. */
export interface ReplayTargets {
  readonly service: AccessService;
  readonly against?: AccessService;
}

export interface ReplayRun {
  /** With `strict`: the rejected input the replay stopped at. */
  readonly stoppedAt?: RejectedItem;
  /** Inputs read (every line and delivery, rejected ones included). */
  readonly read: number;
}

type Usable = Exclude<InputItem, RejectedItem>;

/** Replay every input through the targets, handing one record per input to `sink`, in stream order. */
export async function replayInto(targets: ReplayTargets, opts: ReplayOptions, sink: ReplaySink): Promise<ReplayRun> {
  const size = opts.batchSize ?? DEFAULT_BATCH;
  let batch: BatchItem[] = [];
  let pending: Usable[] = [];
  let seqs: number[] = [];
  let read = 0;

  const flush = (): void => {
    if (batch.length === 0) return;
    const results = targets.service.runBatch(batch);
    const other = targets.against?.runBatch(batch);
    for (let i = 0; i < results.length; i++) sink.record(toRecord(seqs[i]!, pending[i]!, results[i]!, other?.[i]));
    batch = [];
    pending = [];
    seqs = [];
    opts.onProgress?.(read);
  };

  for await (const chunk of replayInputChunks(opts.inputs)) {
    for (const item of chunk) {
      const seq = read++;
      if (item.kind === 'rejected') {
        if (opts.strict) return { stoppedAt: item, read };
        const rejected = { file: item.file, line: item.line, message: item.message };
        sink.record(item.source === 'webhook' ? { kind: 'rejected', seq, rejected, outcome: item.reason === 'invalid_signature' ? 'invalid_signature' : 'malformed' } : { kind: 'rejected', seq, rejected });
        continue;
      }
      if (opts.clock) opts.clock.now = item.time;
      pending.push(item);
      seqs.push(seq);
      batch.push(item.kind === 'request' ? { kind: 'access', request: item.request, requestId: item.id, at: item.time } : { kind: 'event', event: item.event, delivery: item.id });
      if (batch.length >= size) flush();
    }
  }
  flush();
  return { read };
}

export interface ReplayResult {
  readonly report: SimReport;
  /** With `strict`: the rejected input the replay stopped at. */
  readonly stoppedAt?: RejectedItem;
}

/** Replay every input through `service` (created in replay mode) and build its report. */
export async function replay(service: AccessService, opts: ReplayOptions & { readonly currency: string }): Promise<ReplayResult> {
  const report = new ReportBuilder(opts.currency);
  const run = await replayInto({ service }, opts, { record: (r) => report.add(r) });
  return { report: report.finish(), ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}) };
}

function toRecord(seq: number, item: Usable, r: BatchResult, other: BatchResult | undefined): ReplayRecord {
  if (item.kind === 'request') {
    const assetId = typeof item.request.assetId === 'string' ? item.request.assetId : undefined;
    const decision = decisionOf(item.id, item.time, assetId, r);
    return other ? { kind: 'decision', seq, decision, against: decisionOf(item.id, item.time, assetId, other) } : { kind: 'decision', seq, decision };
  }
  const event = eventOf(item.time, item.event.kind, r);
  return other ? { kind: 'event', seq, event, against: eventOf(item.time, item.event.kind, other) } : { kind: 'event', seq, event };
}

/** One object of one shape per decision (absent fields are undefined): no spread temporaries on the hot path. */
function decisionOf(id: string, time: number, assetId: string | undefined, r: BatchResult): ReplayedDecision {
  if (r.kind !== 'access') throw new TypeError('the access service answered a request with an event result');
  const cost = r.decision.cost;
  return {
    id,
    time,
    userId: r.userId ?? undefined,
    assetId,
    tier: r.tier ?? undefined,
    allowed: r.decision.allowed,
    policyId: r.decision.policyId,
    reason: r.decision.reason,
    costMicro: cost === undefined ? undefined : Math.round(cost * 1e6),
    chargedMicro: Math.round(r.charged * 1e6),
  };
}

function eventOf(time: number, kind: string, r: BatchResult): ReplayedEvent {
  if (r.kind !== 'event') throw new TypeError('the access service answered an event with a decision');
  return {
    time,
    outcome: r.outcome,
    kind,
    ...(r.userId !== undefined ? { userId: r.userId } : {}),
    ...(r.money ? { currency: r.money.currency, paidMinor: r.money.paidMinor, taxMinor: r.money.taxMinor, refundedMinor: r.money.refundedMinor } : {}),
    ...(r.revoked ? { revoked: r.revoked } : {}),
  };
}
