/**
 * The replay's input stream: access logs and webhook inputs in one stream ordered by event time,
 * the inputs that cannot be used reported in place. The replay driver reads this and nothing else.
 */
import type { VerifyOptions, WebhookSecrets } from '../payments/gateway.js';
import { DEFAULT_REORDER_LINES, mergeInputs } from './merge.js';
import { loadWebhooks, logFileProblem, webhookPathProblem } from './sources.js';
import type { InputItem } from './stream.js';

export type { EventItem, InputItem, RejectedItem, RejectReason, RequestItem } from './stream.js';
export { DEFAULT_REORDER_LINES } from './merge.js';

/** What to replay. */
export interface ReplayInputOptions {
  /** Access logs (JSON Lines, `.gz` for gzip), in the order ties between them are broken. */
  readonly logs: readonly string[];
  /** Webhook fixture files, folders of them and `.jsonl` collections. */
  readonly webhooks?: readonly string[];
  /** Signing secrets per provider (`--webhook-secret`). */
  readonly secrets?: WebhookSecrets;
  /** Signature checks (tolerance against the event's own time). */
  readonly verify?: VerifyOptions;
  /** How many lines a log line may be out of place by (default 1,000; 0: each log must be sorted). */
  readonly reorderLines?: number;
  /** Hears of every chunk read from an access log, in bytes as stored (compressed for `.gz`): for progress. */
  readonly onLogBytes?: (n: number) => void;
}

/** A path that cannot be read as the input it was given as, and why. */
export interface InputPathProblem {
  readonly path: string;
  readonly reason: string;
}

/**
 * The inputs that cannot be read at all (missing, a folder given as a log, a device): a caller
 * reports these as usage errors before replaying anything. `replayInputs` would report each as an
 * `unreadable` rejection at line 0 instead.
 */
export function inputPathProblems(options: Pick<ReplayInputOptions, 'logs' | 'webhooks'>): InputPathProblem[] {
  const out: InputPathProblem[] = [];
  for (const path of options.logs) {
    const reason = logFileProblem(path);
    if (reason !== undefined) out.push({ path, reason });
  }
  for (const path of options.webhooks ?? []) {
    const reason = webhookPathProblem(path);
    if (reason !== undefined) out.push({ path, reason });
  }
  return out;
}

/**
 * Every input as one stream in event-time order (ties: webhooks first, then input order), handed
 * over in chunks (the items ready before the next read of a log, in order; never empty).
 * Webhook inputs are read and checked first, so their rejections come before any log line; a log
 * line's rejection comes when the line is read. Stopping early closes every open file. Throws a
 * RangeError at once (not on iteration) for a `reorderLines` that is not a whole number ≥ 0.
 */
export function replayInputChunks(options: ReplayInputOptions): AsyncGenerator<InputItem[], void, undefined> {
  const capacity = options.reorderLines ?? DEFAULT_REORDER_LINES;
  if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`reorderLines must be a whole number of lines, 0 or more (got ${capacity})`);
  const webhooks = () =>
    loadWebhooks(options.webhooks ?? [], {
      ...(options.secrets !== undefined ? { secrets: options.secrets } : {}),
      ...(options.verify !== undefined ? { verify: options.verify } : {}),
    });
  return mergeInputs(webhooks, options.logs, capacity, options.onLogBytes);
}

/** `replayInputChunks` one item at a time. */
export function replayInputs(options: ReplayInputOptions): AsyncGenerator<InputItem, void, undefined> {
  return items(replayInputChunks(options));
}

async function* items(chunks: AsyncGenerator<InputItem[], void, undefined>): AsyncGenerator<InputItem, void, undefined> {
  for await (const chunk of chunks) yield* chunk;
}
