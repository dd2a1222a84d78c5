import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderWindow } from '../../src/sim/merge.js';
import type { RequestItem } from '../../src/sim/stream.js';

const req = (time: number, line: number): RequestItem => ({ kind: 'request', id: `f:${line}`, file: 'f', line, time, request: {} });

/** Feed `times` (line i+1 at times[i]) through a window of `n`; the lines released and the lines rejected. */
function run(times: readonly number[], n: number): { released: RequestItem[]; rejected: number[] } {
  const w = new ReorderWindow(n);
  const released: RequestItem[] = [];
  const rejected: number[] = [];
  times.forEach((t, i) => {
    const out = w.offer(req(t, i + 1));
    if (out?.kind === 'request') released.push(out);
    else if (out?.kind === 'rejected') rejected.push(out.line);
  });
  for (let r = w.drain(); r !== undefined; r = w.drain()) released.push(r);
  return { released, rejected };
}

describe('ReorderWindow', () => {
  it('releases in (time, line) order, loses nothing, and keeps every line preceded by at most N later lines', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), fc.integer({ min: 0, max: 12 }), (times, n) => {
        const { released, rejected } = run(times, n);
        for (let i = 1; i < released.length; i++) {
          const a = released[i - 1]!;
          const b = released[i]!;
          expect(a.time < b.time || (a.time === b.time && a.line < b.line)).toBe(true);
        }
        expect([...released.map((r) => r.line), ...rejected].sort((x, y) => x - y)).toStrictEqual(times.map((_, i) => i + 1));
        for (const line of rejected) {
          const later = times.slice(0, line - 1).filter((t) => t > times[line - 1]!).length;
          expect(later).toBeGreaterThan(n);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a sorted log passes through unchanged with any window, ties in line order', () => {
    const times = [1, 1, 2, 3, 3, 3, 7];
    for (const n of [0, 1, 3, 100]) expect(run(times, n)).toStrictEqual({ released: times.map((t, i) => req(t, i + 1)), rejected: [] });
  });
});
