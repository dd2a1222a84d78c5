/**
 * The replay: the merged input stream driven through the access service — the same service
 * production runs, in replay mode, with the event time as its clock — in batched transactions,
 * aggregating the report as it goes. Nothing here reads the wall clock.
 */
import type { AccessService, BatchItem, BatchResult } from '../service/service.js';
import { replayInputs, type InputItem, type RejectedItem, type ReplayInputOptions } from './inputs.js';
import { ReportBuilder, type SimReport } from './report.js';

/** Items per transaction: large enough that commits cost little, small enough to bound a rollback. */
export const DEFAULT_BATCH = 1000;

export interface ReplayOptions {
  readonly inputs: ReplayInputOptions;
  /** The policy's currency: revenue in it is summed, other currencies are listed apart. */
  readonly currency: string;
  /** Stop at the first rejected input; the batch it fell in is not applied. */
  readonly strict?: boolean;
  readonly batchSize?: number;
  /** Set to each input's event time as it is read (the service's clock in replay mode). */
  readonly clock?: { now: number };
  /** Called after every batch with the number of inputs read so far. */
  readonly onProgress?: (read: number) => void;
}

export interface ReplayResult {
  readonly report: SimReport;
  /** With `strict`: the rejected input the replay stopped at. */
  readonly stoppedAt?: RejectedItem;
}

/** Replay every input through `service` (created in replay mode). */
export async function replay(service: AccessService, opts: ReplayOptions): Promise<ReplayResult> {
  const report = new ReportBuilder(opts.currency);
  const size = opts.batchSize ?? DEFAULT_BATCH;
  let batch: BatchItem[] = [];
  let pending: Exclude<InputItem, RejectedItem>[] = [];
  let read = 0;

  const flush = (): void => {
    if (batch.length === 0) return;
    const results = service.runBatch(batch);
    for (let i = 0; i < results.length; i++) record(report, pending[i]!, results[i]!);
    batch = [];
    pending = [];
    opts.onProgress?.(read);
  };

  for await (const item of replayInputs(opts.inputs)) {
    read++;
    if (item.kind !== 'rejected' && opts.clock) opts.clock.now = item.time;
    if (item.kind === 'rejected') {
      if (opts.strict) return { report: report.finish(), stoppedAt: item };
      report.rejected({ file: item.file, line: item.line, message: item.message });
      if (item.source === 'webhook') report.event({ time: 0, outcome: item.reason === 'invalid_signature' ? 'invalid_signature' : 'malformed' });
      continue;
    }
    pending.push(item);
    batch.push(item.kind === 'request' ? { kind: 'access', request: item.request, requestId: item.id, at: item.time } : { kind: 'event', event: item.event });
    if (batch.length >= size) flush();
  }
  flush();
  return { report: report.finish() };
}

function record(report: ReportBuilder, item: Exclude<InputItem, RejectedItem>, r: BatchResult): void {
  if (r.kind === 'access' && item.kind === 'request') {
    const assetId = item.request.assetId;
    // One object of one shape per decision (absent fields are undefined): no spread temporaries on the hot path.
    report.decision({
      id: item.id,
      time: item.time,
      userId: r.userId ?? undefined,
      assetId: typeof assetId === 'string' ? assetId : undefined,
      tier: r.tier ?? undefined,
      allowed: r.decision.allowed,
      policyId: r.decision.policyId,
      reason: r.decision.reason,
      chargedMicro: Math.round(r.charged * 1e6),
    });
  } else if (r.kind === 'event' && item.kind === 'event') {
    report.event({
      time: item.time,
      outcome: r.outcome,
      kind: item.event.kind,
      ...(r.userId !== undefined ? { userId: r.userId } : {}),
      ...(r.money ? { currency: r.money.currency, paidMinor: r.money.paidMinor, taxMinor: r.money.taxMinor, refundedMinor: r.money.refundedMinor } : {}),
      ...(r.revoked ? { revoked: r.revoked } : {}),
    });
  }
}
