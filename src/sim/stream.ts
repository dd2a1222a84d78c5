/**
 * What the replay reads: one stream of access-log requests and webhook events in event-time order,
 * with the inputs that could not be used reported in place, located by file and line.
 */
import type { PaymentEvent, SignatureStatus } from '../payments/event.js';

/** One access-log line, ready to decide. */
export interface RequestItem {
  readonly kind: 'request';
  /** The line's own `id`, or `<file>:<line>` when it has none: the request's identity in the ledger. */
  readonly id: string;
  readonly file: string;
  /** 1-based, blank lines counted. */
  readonly line: number;
  /** The request's `timestamp`, in milliseconds since the epoch: the replay clock at this request. */
  readonly time: number;
  /** The line's JSON object as read (its `id`, if any, included; deciding ignores it). */
  readonly request: Readonly<Record<string, unknown>>;
}

/** One webhook delivery, normalised. */
export interface EventItem {
  readonly kind: 'event';
  /** Where the delivery came from: the fixture file, or `<file>:<line>` for a line of a `.jsonl` collection. */
  readonly id: string;
  readonly file: string;
  /** The line in a `.jsonl` collection; 1 for a fixture that is a whole file. */
  readonly line: number;
  /** The event's own time (`occurredAt`): the replay clock at this event. */
  readonly time: number;
  readonly event: PaymentEvent;
  /** Whether a signature vouches for the event (`verified`), could have but was not checked, or there was none. */
  readonly signature: SignatureStatus;
}

/**
 * Why an input was not used: `malformed` (not JSON, not a request, not a webhook the adapters
 * accept), `invalid_signature` (an envelope that does not verify under the configured secrets),
 * `out_of_order` (a log line earlier than lines already replayed, beyond the reorder window),
 * `unreadable` (a file or folder that cannot be read, or whose reading broke off).
 */
export type RejectReason = 'malformed' | 'invalid_signature' | 'out_of_order' | 'unreadable';

/** An input that was not used, and why. */
export interface RejectedItem {
  readonly kind: 'rejected';
  /** An access log (`log`) or a webhook input (`webhook`). */
  readonly source: 'log' | 'webhook';
  readonly reason: RejectReason;
  readonly file: string;
  /** 1-based; 0 when the problem is with the file or folder as a whole. */
  readonly line: number;
  readonly message: string;
}

/** What the replay stream yields. */
export type InputItem = RequestItem | EventItem | RejectedItem;
