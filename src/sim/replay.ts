/**
 * The replay: the merged input stream driven through the access service — the same service
 * production runs, in replay mode, with the event time as its clock — in batched transactions.
 * Every input becomes one record (`records.ts`) handed to a sink in stream order; the report is
 * one such sink. With a second service (`--against`), every batch runs through both, each over its
 * own ledger, and each record carries both results. Nothing here reads the wall clock.
 */
import { toMicro } from '../ledger/model.js';
import type { AccessService, BatchItem, BatchResult } from '../service/service.js';
import { replayInputChunks, type InputItem, type RejectedItem, type ReplayInputOptions, type RequestItem } from './inputs.js';
import type { ReplayRecord, ReplaySink } from './records.js';
import { ReportBuilder, type ReplayedDecision, type ReplayedEvent, type SimReport } from './report.js';
import { shardOfEvent, shardOfRequest, type Shard } from './shards.js';

/** Items per transaction: large enough that commits cost little, small enough to bound a rollback. */
export const DEFAULT_BATCH = 1000;

export interface ReplayOptions {
  readonly inputs: ReplayInputOptions;
  /** Stop at the first rejected input; the batch it fell in is not applied. */
  readonly strict?: boolean;
  readonly batchSize?: number;
  /** Set to each input's event time as it is read (the services' clock in replay mode). */
  readonly clock?: { now: number };
  /** Called after every batch with the number of inputs read so far: every record of an input before that has been handed over. */
  readonly onProgress?: (read: number) => void;
  /** Replay one shard of the users only (see `ShardOptions`). */
  readonly shard?: ShardOptions;
}

/**
 * One shard of a replay split by user (`--jobs`). The shard reads the whole stream; it decides
 * only the requests of its own users (`shardOfRequest`), applies every event to its ledger, and
 * hands over the record of an event only when the event's user is one of its own
 * (`shardOfEvent`), and rejected inputs only as shard 0. It commits when its batch (its own
 * requests and every event) or what it has to hand over reaches `batchSize`, and at the latest
 * after `batchSize × count` inputs read, so that a shard with few users still reports its progress
 * (`onProgress`) often enough for the merge of the shards' records to move on.
 *
 * Why the owner's record of an event is the single-threaded one: an event's result depends on the
 * rows of the user it resolves to and on rows only events write, from the events' own data (which
 * payment a charge id belongs to and whose it is, refunds and disputes, processed event ids).
 * Every shard applies every event in stream order, so those rows are the same in every shard, and
 * so is the user an event resolves to (it is read from the event or from those rows:
 * `loadSnapshot`); what depends on a user's balance (tokens a payment granted or clawed back, the
 * effect recorded with the event) is that user's, like the balance. The user's own rows are written by the user's requests and
 * by events — all of them in the owner's shard, in the same order as in a single-threaded run. So
 * the owner shard's ledger holds, for that user, exactly the rows a single-threaded run holds, and
 * computes the same result. Other shards apply the event too (a refund naming only a charge id
 * finds its payment, and its user, only through the payment an earlier event wrote), but their
 * view of that user's balance and entitlements lacks the user's requests, so their result is not
 * reported.
 */
export interface ShardOptions extends Shard {
  /** Each request left to another shard, with its `seq`, as it is skipped. */
  readonly skipped?: (item: RequestItem, seq: number) => void;
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
  const shard = opts.shard;
  let batch: BatchItem[] = [];
  let pending: Usable[] = [];
  let seqs: number[] = [];
  let read = 0;
  /** Inputs read when the last batch was committed, and rejected inputs handed over since (a shard's bounds). */
  let flushedAt = 0;
  let rejectedSince = 0;
  /** A shard also commits after this many inputs read, however few were its own: its progress tells the merge how far it may go. */
  const span = shard ? size * shard.count : 0;

  const flush = (): void => {
    if (batch.length > 0) {
      const results = targets.service.runBatch(batch);
      const other = targets.against?.runBatch(batch);
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if (shard && r.kind === 'event' && shardOfEvent(r.userId, shard.count) !== shard.index) continue;
        sink.record(toRecord(seqs[i]!, pending[i]!, r, other?.[i]));
      }
      batch = [];
      pending = [];
      seqs = [];
    } else if (!shard || read === flushedAt) return;
    flushedAt = read;
    rejectedSince = 0;
    opts.onProgress?.(read);
  };

  for await (const chunk of replayInputChunks(opts.inputs)) {
    for (const item of chunk) {
      const seq = read++;
      if (item.kind === 'rejected') {
        if (opts.strict) return { stoppedAt: item, read };
        if (!shard) sink.record(rejectedRecord(seq, item));
        else if (shard.index === 0) {
          sink.record(rejectedRecord(seq, item));
          rejectedSince++;
        }
      } else if (shard && item.kind === 'request' && shardOfRequest(item.request, shard.count) !== shard.index) {
        shard.skipped?.(item, seq);
      } else {
        if (opts.clock) opts.clock.now = item.time;
        pending.push(item);
        seqs.push(seq);
        batch.push(item.kind === 'request' ? { kind: 'access', request: item.request, requestId: item.id, at: item.time } : { kind: 'event', event: item.event, delivery: item.id });
      }
      if (shard ? batch.length + rejectedSince >= size || read - flushedAt >= span : batch.length >= size) flush();
    }
  }
  flush();
  return { read };
}

function rejectedRecord(seq: number, item: RejectedItem): ReplayRecord {
  const rejected = { file: item.file, line: item.line, message: item.message };
  return item.source === 'webhook' ? { kind: 'rejected', seq, rejected, outcome: item.reason === 'invalid_signature' ? 'invalid_signature' : 'malformed' } : { kind: 'rejected', seq, rejected };
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
    costMicro: cost === undefined ? undefined : toMicro(cost),
    chargedMicro: toMicro(r.charged),
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
