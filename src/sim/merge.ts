/**
 * One stream in event-time order, in constant memory however long the logs are.
 *
 * Webhook events are few and already sorted in memory. Each access log is assumed to be in time
 * order, nearly: a log written by several servers or threads holds lines a little out of place.
 * Each log passes through a reorder window — a min-heap of at most `reorderLines` lines — that
 * releases its earliest line only once the window is full (or the file has ended), so a line may
 * arrive up to `reorderLines` lines after lines later than it and still take its place. A line
 * earlier than one the window has already released cannot: it is reported as `out_of_order` and
 * left out. Every log's released lines are therefore sorted, and a k-way merge of the logs and the
 * webhooks (taking the earliest head each time) gives one sorted stream. Memory is the webhooks
 * plus `reorderLines` lines per log, whatever the length of the logs.
 *
 * Ties (the same millisecond): webhooks first, then logs in the order given, each in line order.
 */
import type { EventItem, InputItem, RejectedItem, RequestItem } from './stream.js';

/** Lines a log may be out of place by, by default. */
export const DEFAULT_REORDER_LINES = 10_000;

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

/** One log's lines in time order: its own lines through the reorder window, rejections passed on as read. */
export class ReorderWindow {
  private readonly heap = new RequestHeap();
  private last: RequestItem | undefined;
  private ended = false;

  constructor(
    private readonly lines: AsyncGenerator<RequestItem | RejectedItem, void, undefined>,
    private readonly capacity: number,
  ) {}

  /** The next line in time order, a rejection, or undefined at the end. */
  async pull(): Promise<RequestItem | RejectedItem | undefined> {
    for (;;) {
      if (this.ended) return this.release(this.heap.pop());
      const next = await this.lines.next();
      if (next.done === true) {
        this.ended = true;
        continue;
      }
      const item = next.value;
      if (item.kind === 'rejected') return item;
      if (this.last !== undefined && item.time < this.last.time) return this.outOfOrder(item, this.last);
      if (this.heap.size < this.capacity) {
        this.heap.push(item);
        continue;
      }
      // The window is full: release the earlier of the new line and the window's earliest.
      const top = this.heap.peek();
      return this.release(top === undefined || before(item, top) ? item : this.heap.replaceTop(item));
    }
  }

  /** Stop reading (closes the file). */
  async close(): Promise<void> {
    await this.lines.return(undefined);
  }

  private release(item: RequestItem | undefined): RequestItem | undefined {
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
        `the line is further out of order than the reorder window of ${window}; sort the log by timestamp or widen the window`,
    };
  }
}

/**
 * Merge webhook events (sorted by time, equal times in input order) and access logs (each through
 * its reorder window) into one stream in event-time order. Rejections are yielded as they are met;
 * stopping early (`return`, `break` out of `for await`) closes every log.
 */
export async function* mergeInputs(events: readonly EventItem[], logs: readonly ReorderWindow[]): AsyncGenerator<InputItem, void, undefined> {
  const heads: (RequestItem | undefined)[] = logs.map(() => undefined);
  const ended: boolean[] = logs.map(() => false);
  let e = 0;
  try {
    for (;;) {
      for (let i = 0; i < logs.length; i++) {
        while (!ended[i] && heads[i] === undefined) {
          const item = await logs[i]!.pull();
          if (item === undefined) ended[i] = true;
          else if (item.kind === 'rejected') yield item;
          else heads[i] = item;
        }
      }
      // The earliest head; on a tie the earlier log (strict <).
      let best = -1;
      let bestTime = Infinity;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h !== undefined && (best < 0 || h.time < bestTime)) {
          best = i;
          bestTime = h.time;
        }
      }
      const event = events[e];
      // Webhooks before log lines at the same time (<=).
      if (event !== undefined && (best < 0 || event.time <= bestTime)) {
        e++;
        yield event;
        continue;
      }
      if (best < 0) return;
      const head = heads[best]!;
      heads[best] = undefined;
      yield head;
    }
  } finally {
    for (const log of logs) await log.close();
  }
}
