/**
 * The merge of a split replay: each shard hands over its records in chunks, each in `seq` order
 * and each saying how far into the stream the shard has got (`upTo`: every record of the shard
 * with a smaller `seq` has been handed over). The merge releases a record to the sink once no
 * shard can still produce a smaller `seq` — a k-way merge whose heads are either a shard's next
 * record or, for a shard with nothing queued, its `upTo`. Every input belongs to exactly one
 * shard, so the released stream is the single-threaded run's records, in its order.
 *
 * A chunk is acknowledged (`consumed`) once all its records have been released; the shard's
 * worker waits while it has too many chunks unacknowledged, which is what bounds the memory held
 * here (see `replayParallel`).
 */
import type { ReplayRecord, ReplaySink } from './records.js';

export class ShardMerge {
  private readonly queues: ReplayRecord[][][];
  /** The position of the next record in each shard's first queued chunk. */
  private readonly pos: number[];
  private readonly upTo: number[];
  private readonly ended: boolean[];
  private heldRecords = 0;

  /** `consumed(shard)` is called once for every chunk pushed, when the merge has done with it. */
  constructor(
    private readonly count: number,
    private readonly sink: ReplaySink,
    private readonly consumed: (shard: number) => void,
  ) {
    this.queues = Array.from({ length: count }, () => []);
    this.pos = new Array<number>(count).fill(0);
    this.upTo = new Array<number>(count).fill(0);
    this.ended = new Array<boolean>(count).fill(false);
  }

  /** Records received and not yet released. */
  get held(): number {
    return this.heldRecords;
  }

  /** The stream position every shard has reached: every record before it has been released or is held here. */
  get reached(): number {
    let min = Infinity;
    for (let w = 0; w < this.count; w++) if (!this.ended[w]) min = Math.min(min, this.upTo[w]!);
    return min === Infinity ? Math.max(0, ...this.upTo) : min;
  }

  /** A chunk of shard `shard`'s records (in `seq` order, after any it pushed before), complete up to `upTo`. */
  push(shard: number, records: ReplayRecord[], upTo: number): void {
    if (this.ended[shard]) throw new Error(`shard ${shard} handed over records after it ended`);
    this.upTo[shard] = Math.max(this.upTo[shard]!, upTo);
    if (records.length === 0) this.consumed(shard);
    else {
      this.queues[shard]!.push(records);
      this.heldRecords += records.length;
    }
    this.release();
  }

  /** Shard `shard` has handed over everything. */
  end(shard: number): void {
    this.ended[shard] = true;
    this.release();
  }

  /** Whether every shard has ended and every record has been released. */
  get done(): boolean {
    return this.ended.every(Boolean) && this.heldRecords === 0;
  }

  /** Release every record no shard can precede any more. */
  private release(): void {
    for (;;) {
      // The shard with the smallest next record, and the smallest seq any other shard may still produce.
      let best = -1;
      let bestSeq = Infinity;
      let second = Infinity;
      for (let w = 0; w < this.count; w++) {
        const q = this.queues[w]!;
        const next = q.length > 0 ? q[0]![this.pos[w]!]!.seq : this.ended[w] ? Infinity : this.upTo[w]!;
        if (q.length > 0 && next < bestSeq) {
          second = Math.min(second, bestSeq);
          bestSeq = next;
          best = w;
        } else second = Math.min(second, next);
      }
      if (best < 0 || bestSeq >= second) return;
      this.releaseFrom(best, second);
    }
  }

  /** Release shard `w`'s records while their seq is below `limit`. */
  private releaseFrom(w: number, limit: number): void {
    const q = this.queues[w]!;
    while (q.length > 0) {
      const chunk = q[0]!;
      let i = this.pos[w]!;
      while (i < chunk.length && chunk[i]!.seq < limit) this.sink.record(chunk[i++]!);
      this.heldRecords -= i - this.pos[w]!;
      if (i < chunk.length) {
        this.pos[w] = i;
        return;
      }
      q.shift();
      this.pos[w] = 0;
      this.consumed(w);
    }
  }
}
