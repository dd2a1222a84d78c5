/**
 * The replay's two kinds of input, read one item at a time. An access log is streamed line by line
 * (never whole; gzip when the name ends in .gz). Webhook inputs — fixture files, folders of them,
 * `.jsonl` collections — are few, so they are read whole, parsed through the payment adapters and
 * sorted by event time in memory. Whatever cannot be used becomes a located `RejectedItem`; nothing
 * here throws on bad input.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findJsonError, lineColumn } from '../diag/json-error.js';
import { describeFsError, readText, walkFiles } from '../io/files.js';
import { readJsonLineChunks, readJsonLines, type JsonLine } from '../io/jsonl.js';
import { parseDelivery, type VerifyOptions, type WebhookSecrets } from '../payments/gateway.js';
import { describe, isObject } from '../payments/read.js';
import type { EventItem, RejectedItem, RejectReason, RequestItem } from './stream.js';

/** A webhook file holding many deliveries, one JSON value a line. */
export const COLLECTION_FILE = /\.jsonl(?:\.gz)?$/;
/** The files a webhook folder contributes: single deliveries (`.json`) and collections. */
export const WEBHOOK_FILE = /\.(?:json|jsonl|jsonl\.gz)$/;

function rejected(source: RejectedItem['source'], reason: RejectReason, file: string, line: number, message: string): RejectedItem {
  return { kind: 'rejected', source, reason, file, line, message };
}

/** Why `path` cannot be streamed as a log, or undefined when it is a regular file. */
export function logFileProblem(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'it is a folder, not an access log';
    if (!st.isFile()) return 'it is not a regular file (monetize does not replay from pipes, devices or sockets)';
    return undefined;
  } catch (e) {
    return describeFsError(e);
  }
}

/** Whether a webhook input is a file or a folder, or why it can be neither. */
function webhookPathKind(path: string): 'file' | 'folder' | { readonly problem: string } {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'folder' : st.isFile() ? 'file' : { problem: 'it is not a regular file or a folder' };
  } catch (e) {
    return { problem: describeFsError(e) };
  }
}

/** Why `path` cannot be read as a webhook input, or undefined when it is a regular file or a folder. */
export function webhookPathProblem(path: string): string | undefined {
  const kind = webhookPathKind(path);
  return typeof kind === 'string' ? undefined : kind.problem;
}

/** A log line's request, or what is wrong with it (invalid JSON, not an object, no usable time or id). */
export function logItemOf(file: string, item: JsonLine): RequestItem | RejectedItem {
  if ('problem' in item) return rejected('log', 'malformed', file, item.line, item.problem);
  const { line, value } = item;
  if (!isObject(value)) return rejected('log', 'malformed', file, line, `a log line must be a JSON object (one request), found ${describe(value)}`);
  let id = item.id;
  if (id === undefined) {
    if (Object.hasOwn(value, 'id')) return rejected('log', 'malformed', file, line, `id: expected the request's identity as a non-empty string, found ${describe(value['id'])}`);
    id = `${file}:${line}`;
  } else if (id === '') {
    return rejected('log', 'malformed', file, line, 'id: expected the request\'s identity as a non-empty string, found the string ""');
  }
  const time = Object.hasOwn(value, 'timestamp') ? value['timestamp'] : undefined;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    return rejected('log', 'malformed', file, line, `timestamp: expected the request's time in milliseconds since the epoch (a number), found ${describe(time)}`);
  }
  return { kind: 'request', id, file, line, time, request: value };
}

/**
 * An access log opened for streaming, or the rejection (line 0) saying why it cannot be. Lines
 * are read on demand, the lines of one read of the file at a time; nothing is opened until the
 * first lines are asked for.
 */
export function openLog(file: string, onBytes?: (n: number) => void): AsyncGenerator<JsonLine[], number, undefined> | RejectedItem {
  const problem = logFileProblem(file);
  return problem === undefined ? readJsonLineChunks(file, onBytes) : rejected('log', 'unreadable', file, 0, `the access log cannot be read: ${problem}`);
}

/**
 * A log whose reading broke off (a truncated gzip stream, a byte that is not UTF-8) after line
 * `last`: one rejection at the line after it (line 0 when nothing could be read); the file ends there.
 */
export function logBrokenOff(file: string, last: number, error: unknown): RejectedItem {
  const why = describeFsError(error);
  return last === 0
    ? rejected('log', 'unreadable', file, 0, `the access log cannot be read: ${why}`)
    : rejected('log', 'unreadable', file, last + 1, `the access log cannot be read past line ${last}: ${why}`);
}

/** Webhook deliveries, in event-time order, and the inputs that were rejected, in input order. */
export interface LoadedWebhooks {
  readonly events: readonly EventItem[];
  readonly rejected: readonly RejectedItem[];
}

/** Options for reading webhook inputs. */
export interface WebhookOptions {
  /** Signing secrets per provider; an envelope of a provider with secrets must verify under one of them. */
  readonly secrets?: WebhookSecrets;
  /** Signature checks (the tolerance between a signature's timestamp and the event's own time). */
  readonly verify?: VerifyOptions;
}

/**
 * Read every webhook input: files as given, folders walked in sorted order (regular `.json`,
 * `.jsonl` and `.jsonl.gz` files; dot-files and other names skipped). Events come back sorted by
 * their own time, equal times in input order; rejections in input order.
 */
/** The canonical path of a file (its resolved path when it cannot be resolved: the read reports why). */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

export async function loadWebhooks(paths: readonly string[], options: WebhookOptions = {}): Promise<LoadedWebhooks> {
  const events: EventItem[] = [];
  const bad: RejectedItem[] = [];
  const secrets = options.secrets ?? {};
  const deliver = (file: string, line: number, id: string, input: unknown): void => {
    const r = parseDelivery(input, secrets, options.verify);
    if ('outcome' in r) bad.push(rejected('webhook', r.outcome, file, line, r.message));
    else events.push({ kind: 'event', id, file, line, time: r.event.occurredAt, event: r.event, signature: r.signature });
  };
  // A file reached twice (given twice, or directly and through its folder) is read once: each
  // delivery has one identity, which a re-run of the same inputs relies on.
  const seen = new Set<string>();
  const readFile = async (file: string): Promise<void> => {
    const real = realPath(file);
    if (seen.has(real)) return;
    seen.add(real);
    if (COLLECTION_FILE.test(file)) {
      try {
        for await (const item of readJsonLines(file)) {
          if ('problem' in item) bad.push(rejected('webhook', 'malformed', file, item.line, item.problem));
          else deliver(file, item.line, `${file}:${item.line}`, item.value);
        }
      } catch (e) {
        bad.push(rejected('webhook', 'unreadable', file, 0, `the webhook collection cannot be read: ${describeFsError(e)}`));
      }
      return;
    }
    let text: string;
    try {
      text = readText(file);
    } catch (e) {
      bad.push(rejected('webhook', 'unreadable', file, 0, `the webhook file cannot be read: ${describeFsError(e)}`));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const where = findJsonError(text);
      const at = where === undefined ? { line: 1, column: 1 } : lineColumn(text, where.offset);
      const what = where === undefined ? 'it is not JSON' : `it is not JSON (column ${at.column}: ${where.message})`;
      bad.push(rejected('webhook', 'malformed', file, at.line, what));
      return;
    }
    deliver(file, 1, file, value);
  };
  for (const path of paths) {
    const kind = webhookPathKind(path);
    if (typeof kind !== 'string') {
      bad.push(rejected('webhook', 'unreadable', path, 0, `the webhook input cannot be read: ${kind.problem}`));
      continue;
    }
    if (kind === 'file') {
      await readFile(path);
      continue;
    }
    const walk = walkFiles(path, (name) => WEBHOOK_FILE.test(name));
    for (const p of walk.problems) bad.push(rejected('webhook', 'unreadable', p.path, 0, `the webhook input cannot be read: ${p.reason}`));
    for (const s of walk.skipped) bad.push(rejected('webhook', 'unreadable', s, 0, 'the webhook file is not a regular file (a pipe, device or socket), skipped'));
    for (const file of walk.files) await readFile(file);
  }
  // Array.prototype.sort is stable: equal times keep input order.
  events.sort((a, b) => a.time - b.time);
  return { events, rejected: bad };
}
