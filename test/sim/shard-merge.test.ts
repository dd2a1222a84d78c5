/**
 * The k-way merge of shard record streams: a record is released once no shard can still hand over
 * a smaller seq (a shard with nothing queued bounds by how far it has read), every chunk is
 * acknowledged exactly once, when its last record is released (an empty chunk at once).
 */
import { describe, expect, it } from 'vitest';
import type { ReplayRecord } from '../../src/sim/records.js';
import { ShardMerge } from '../../src/sim/shard-merge.js';

const rec = (seq: number): ReplayRecord => ({ kind: 'rejected', seq, rejected: { file: 'f', line: seq, message: '' } });
const recs = (...seqs: number[]): ReplayRecord[] => seqs.map(rec);

function harness(count: number) {
  const out: number[] = [];
  const acks: number[] = [];
  const merge = new ShardMerge(count, { record: (r) => out.push(r.seq) }, (w) => acks.push(w));
  return { merge, out, acks };
}

describe('ShardMerge', () => {
  it('releases records in seq order, waiting on a shard with nothing queued until its upTo passes them', () => {
    const { merge, out, acks } = harness(2);
    merge.push(0, recs(0, 2, 5), 6);
    // Shard 1 has read nothing yet: it may still hand over seq 0.
    expect(out).toEqual([]);
    merge.push(1, recs(1, 3), 4);
    // 0, 1, 2, 3 are released; 5 waits: shard 1 has read only up to 4.
    expect(out).toEqual([0, 1, 2, 3]);
    expect(acks).toEqual([1]);
    expect(merge.held).toBe(1);
    expect(merge.reached).toBe(4);
    merge.push(1, [], 8);
    expect(out).toEqual([0, 1, 2, 3, 5]);
    expect(acks).toEqual([1, 1, 0]);
    merge.push(0, recs(6, 7), 8);
    merge.push(1, recs(9), 10);
    // 6, 7 are below shard 1's next record (9); 9 waits for shard 0 to pass 9.
    expect(out).toEqual([0, 1, 2, 3, 5, 6, 7]);
    merge.end(0);
    expect(out).toEqual([0, 1, 2, 3, 5, 6, 7, 9]);
    expect(merge.done).toBe(false);
    merge.end(1);
    expect(merge.done).toBe(true);
    expect(acks.sort()).toEqual([0, 0, 1, 1, 1]);
  });

  it('acknowledges a chunk only when its last record is released', () => {
    const { merge, acks } = harness(2);
    merge.push(0, recs(0, 1, 2, 10), 11);
    merge.push(1, [], 5);
    // 0, 1, 2 released; shard 0's chunk still holds 10.
    expect(acks).toEqual([1]);
    expect(merge.held).toBe(1);
    merge.push(1, recs(7), 8);
    // 7 comes before 10: released, its chunk acknowledged; 10 waits for shard 1 to pass it.
    expect(acks).toEqual([1, 1]);
    merge.push(1, [], 12);
    expect(acks).toEqual([1, 1, 1, 0]);
    expect(merge.held).toBe(0);
  });

  it('interleaves three shards whatever the arrival order of their chunks', () => {
    const streams = [recs(0, 3, 6, 9, 12), recs(1, 4, 7, 10, 13), recs(2, 5, 8, 11, 14)];
    // Round-robin in reverse shard order, two records a chunk.
    const { merge, out } = harness(3);
    for (let c = 0; c < 3; c++) {
      for (let w = 2; w >= 0; w--) {
        const chunk = streams[w]!.slice(c * 2, c * 2 + 2);
        merge.push(w, chunk, c === 2 ? 15 : 3 * (c * 2 + 2));
      }
    }
    for (let w = 0; w < 3; w++) merge.end(w);
    expect(out).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(merge.done).toBe(true);
  });

  it('refuses records from a shard that has ended', () => {
    const { merge } = harness(1);
    merge.end(0);
    expect(() => merge.push(0, recs(0), 1)).toThrow('shard 0 handed over records after it ended');
  });
});
