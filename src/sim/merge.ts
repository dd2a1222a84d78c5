/**
 * One stream in event-time order, in constant memory however long the logs are.
 *
 * Webhook events are few and already sorted in memory. Each access log is assumed to be in time
 * order, nearly: a log written by several servers or threads holds lines a little out of place.
 * Each log passes through a reorder window — a min-heap of at most `reorderLines` lines — that
 * releases its earliest line only once the window is full (or the file has ended), so a line
 * preceded by at most `reorderLines` lines later than itself still takes its place. A line earlier
 * than one the window has already released cannot: it is reported as `out_of_order` and left out. Every log's released lines are therefore sorted, and a k-way merge of the logs and the
 * webhooks (taking the earliest head each time) gives one sorted stream. Memory is the webhooks
 * plus `reorderLines` lines per log, whatever the length of the logs.
 *
 * Ties (the same millisecond): webhooks first, then logs in the order given, each in line order.
 */
import type { JsonLine } from '../io/jsonl.js';
import { logBrokenOff, logItemOf, openLog, type LoadedWebhooks } from './sources.js';
import type { InputItem, RejectedItem, RequestItem } from './stream.js';

/**
 * Lines a log may be out of place by, by default. Larger windows cost more than their memory: a line
 * held for more than a few thousand lines outlives V8's young generation and is copied to old space,
 * and streaming slows by a third at 5,000 lines (measured), while 1,000 costs nothing measurable.
 * Logs that are each sorted but interleave (one per server) are given as separate logs instead: the
 * merge orders them at no cost.
 */
export const DEFAULT_REORDER_LINES = 1_000;

/** Whether request `a` comes before `b` in one log: by time, then line. */
function before(a: RequestItem, b: RequestItem): boolean {
  return a.time < b.time || (a.time === b.time && a.line < b.line);
}

/** A binary min-heap of requests by (time, line). */
class RequestHeap {
  private readonly items: RequestItem[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest request (undefined when empty). */
  peek(): RequestItem | undefined {
    return this.items[0];
  }

  push(item: RequestItem): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  /** Remove and return the earliest request. */
  pop(): RequestItem | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  /** Remove the earliest request and put `item` in its place, in one pass (the heap is not empty). */
  replaceTop(item: RequestItem): RequestItem {
    const top = this.items[0]!;
    this.siftDown(item);
    return top;
  }

  private siftDown(item: RequestItem): void {
    const a = this.items;
    const n = a.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(a[child + 1]!, a[child]!)) child++;
      if (!before(a[child]!, item)) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = item;
  }
}

/** An ISO time for messages (a timestamp beyond the Date range is shown as the number only). */
function shown(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? `${ms} (${new Date(ms).toISOString()})` : String(ms);
}

/**
 * One log's reorder window. `offer` takes the log's requests in file order and gives back the
 * request the window releases (the earliest, once the window is full), an `out_of_order` rejection
 * for a request earlier than one already released, or nothing; `drain` empties it at the end.
 * The released requests are in time order (equal times in line order).
 */
export class ReorderWindow {
  private readonly heap = new RequestHeap();
  private last: RequestItem | undefined;

  constructor(private readonly capacity: number) {}

  /** Take the next request of the log. */
  offer(item: RequestItem): RequestItem | RejectedItem | undefined {
    if (this.last !== undefined && item.time < this.last.time) return this.outOfOrder(item, this.last);
    if (this.heap.size < this.capacity) {
      this.heap.push(item);
      return undefined;
    }
    // The window is full: release the earlier of the new request and the window's earliest.
    const top = this.heap.peek();
    return (this.last = top === undefined || before(item, top) ? item : this.heap.replaceTop(item));
  }

  /** The next request held, earliest first, once the log has ended (undefined when empty). */
  drain(): RequestItem | undefined {
    const item = this.heap.pop();
    if (item !== undefined) this.last = item;
    return item;
  }

  private outOfOrder(item: RequestItem, last: RequestItem): RejectedItem {
    const window = this.capacity === 1 ? '1 line' : `${String(this.capacity).replace(/\B(?=(\d{3})+$)/g, ',')} lines`;
    return {
      kind: 'rejected',
      source: 'log',
      reason: 'out_of_order',
      file: item.file,
      line: item.line,
      message:
        `timestamp ${shown(item.time)} is earlier than line ${last.line} (${shown(last.time)}), already replayed: ` +
        `the line is further out of order than the reorder window of ${window}; sort the log by timestamp, or give each server's log as its own input`,
    };
  }
}

/** One access log being merged. */
class LogCursor {
  lines: AsyncGenerator<JsonLine[], number, undefined> | undefined;
  /** The lines of the last read of the file, and how many of them have been taken. */
  chunk: readonly JsonLine[] = [];
  taken = 0;
  readonly window: ReorderWindow;
  /** The last line number read (for a read that breaks off). */
  last = 0;
  /** No more lines to read: the window is being drained. */
  ended = false;
  /** Nothing left at all. */
  done = false;
  /** The next request in time order, once known. */
  head: RequestItem | undefined;

  constructor(
    readonly file: string,
    capacity: number,
  ) {
    this.window = new ReorderWindow(capacity);
  }
}

/** The most items handed over at once (a log hands over at most one read of lines at a time anyway). */
const CHUNK_ITEMS = 1024;

/**
 * Merge webhook events and access logs into one stream in event-time order, handed over in
 * chunks: the items ready before the next read of a log, in order. `webhooks` loads the events
 * (sorted by time, equal times in input order) and their rejections, which come first; each log
 * goes through its own reorder window. A log's rejections come as its lines are read. Stopping
 * early (`return`, `break` out of `for await`) closes every open log.
 *
 * One generator does all of it, awaiting only the line reader, once per read of a log: every
 * layer of async iteration costs about as much per item as parsing a line, so nothing here
 * awaits or yields per line.
 */
export async function* mergeInputs(webhooks: () => Promise<LoadedWebhooks>, logs: readonly string[], capacity: number, onBytes?: (n: number) => void): AsyncGenerator<InputItem[], void, undefined> {
  const cursors = logs.map((file) => new LogCursor(file, capacity));
  let out: InputItem[] = [];
  try {
    const { events, rejected } = await webhooks();
    out = rejected.slice();
    let e = 0;
    for (;;) {
      for (const c of cursors) {
        while (!c.done && c.head === undefined) {
          if (c.ended) {
            c.head = c.window.drain();
            c.done = c.head === undefined;
            continue;
          }
          if (c.lines === undefined) {
            const opened = openLog(c.file, onBytes);
            if ('kind' in opened) {
              c.ended = c.done = true;
              out.push(opened);
              continue;
            }
            c.lines = opened;
          }
          if (c.taken === c.chunk.length) {
            // Hand over what is ready before waiting for the file.
            if (out.length > 0) {
              yield out;
              out = [];
            }
            let next: IteratorResult<JsonLine[], number>;
            try {
              next = await c.lines.next();
            } catch (error) {
              c.ended = true;
              out.push(logBrokenOff(c.file, c.last, error));
              continue;
            }
            if (next.done === true) {
              c.ended = true;
              continue;
            }
            c.chunk = next.value;
            c.taken = 0;
            continue;
          }
          const line = c.chunk[c.taken++]!;
          c.last = line.line;
          const item = logItemOf(c.file, line);
          const released = item.kind === 'request' ? c.window.offer(item) : item;
          if (released === undefined) continue;
          if (released.kind === 'rejected') out.push(released);
          else c.head = released;
        }
      }
      // The earliest head; on a tie the earlier log (strict <).
      let best: LogCursor | undefined;
      for (const c of cursors) if (c.head !== undefined && (best === undefined || c.head.time < best.head!.time)) best = c;
      const event = events[e];
      // Webhooks before log lines at the same time (<=).
      if (event !== undefined && (best === undefined || event.time <= best.head!.time)) {
        e++;
        out.push(event);
      } else if (best === undefined) {
        if (out.length > 0) yield out;
        return;
      } else {
        out.push(best.head!);
        best.head = undefined;
      }
      if (out.length >= CHUNK_ITEMS) {
        yield out;
        out = [];
      }
    }
  } finally {
    for (const c of cursors) await c.lines?.return(0);
  }
}
