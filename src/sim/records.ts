/**
 * What the replay produces: one record per input, in stream order, handed to a sink. The report,
 * the diff of two policies and the timeline are all sinks over the same records, so a replay split
 * over several workers (each producing the records of its own users) merges back, by `seq`, into
 * exactly the records — and so the report — of a single-threaded run.
 */
import type { Rejected, ReplayedDecision, ReplayedEvent } from './report.js';

/** A decision under the policy being simulated, and (with `--against`) under the other policy. */
export interface DecisionRecord {
  readonly kind: 'decision';
  /** The input's position in the merged stream, from 0. */
  readonly seq: number;
  readonly decision: ReplayedDecision;
  readonly against?: ReplayedDecision;
}

/** A webhook delivery applied to the ledger (and to the other policy's ledger). */
export interface EventRecord {
  readonly kind: 'event';
  readonly seq: number;
  readonly event: ReplayedEvent;
  readonly against?: ReplayedEvent;
}

/** An input that was not used. A webhook input also counts as a webhook outcome. */
export interface RejectedRecord {
  readonly kind: 'rejected';
  readonly seq: number;
  readonly rejected: Rejected;
  readonly outcome?: 'invalid_signature' | 'malformed';
}

export type ReplayRecord = DecisionRecord | EventRecord | RejectedRecord;

/** Where records go, in stream order. */
export interface ReplaySink {
  record(r: ReplayRecord): void;
}
