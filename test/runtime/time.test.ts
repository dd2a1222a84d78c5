/**
 * The time fields (`hourOf`, `minuteOf`, `weekdayOf` in src/runtime/runtime.ts), shared by both
 * engines: every field comes from the one whole millisecond a timestamp falls in, so the fields are
 * in range and agree with each other and with `Date`'s UTC getters for any finite double.
 * The long run: `TIME_RUNS=1000000 npx vitest run test/runtime/time.test.ts --testTimeout=3600000`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourOf, minuteOf, weekdayOf } from '../../src/runtime/runtime.js';

const RUNS = Number(process.env.TIME_RUNS ?? 10_000);
const DAY = 86400000;
const DATE_LIMIT = 8.64e15; // the largest |milliseconds| a Date holds
const BY_GET_UTC_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The largest double below `x`. */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + (x > 0 ? -1n : 1n);
  return f[0]!;
}

/** The fields of `ts`, and what `Date` says about the millisecond `Math.floor(ts)` where it can. */
function fields(ts: number): { hour: number; minute: number; weekday: string; date?: { hour: number; minute: number; weekday: string } } {
  const got = { hour: hourOf(ts), minute: minuteOf(ts), weekday: weekdayOf(ts) };
  const ms = Math.floor(ts);
  if (Math.abs(ms) > DATE_LIMIT) return got;
  const date = new Date(ms);
  return { ...got, date: { hour: date.getUTCHours(), minute: date.getUTCMinutes(), weekday: BY_GET_UTC_DAY[date.getUTCDay()]! } };
}

describe('time fields', () => {
  it('keeps a timestamp just below zero in the last minute of Wednesday 1969-12-31', () => {
    for (const ts of [-1e-10, -5e-324, -0.5, -1]) {
      expect([hourOf(ts), minuteOf(ts), weekdayOf(ts)]).toEqual([23, 59, 'wed']);
    }
  });

  it('keeps every field of the last fraction of a day in that day', () => {
    for (const day of [0, 1, -1, 20000, -20000, -1000000]) {
      const ts = nextDown(day * DAY);
      const f = fields(ts);
      expect(f.date).toBeDefined();
      expect({ hour: f.hour, minute: f.minute, weekday: f.weekday }).toEqual(f.date);
    }
  });

  it('gives 0, not -0, for the hour and minute of -0', () => {
    expect(Object.is(hourOf(-0), 0)).toBe(true);
    expect(Object.is(minuteOf(-0), 0)).toBe(true);
    expect(weekdayOf(-0)).toBe('thu');
  });

  it('are in range and agree with Date for any finite double', () => {
    const near = fc.tuple(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.constantFrom(DAY, 3600000, 60000), fc.double({ min: -2, max: 2, noNaN: true })).map(([k, unit, off]) => k * unit + off);
    const timestamps = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -DATE_LIMIT, max: DATE_LIMIT, noNaN: true }), fc.integer({ min: -DATE_LIMIT, max: DATE_LIMIT }), near);
    fc.assert(
      fc.property(timestamps, (ts) => {
        const f = fields(ts);
        expect(Number.isInteger(f.hour) && f.hour >= 0 && f.hour <= 23).toBe(true);
        expect(Number.isInteger(f.minute) && f.minute >= 0 && f.minute <= 59).toBe(true);
        expect(BY_GET_UTC_DAY).toContain(f.weekday);
        if (f.date !== undefined) expect({ hour: f.hour, minute: f.minute, weekday: f.weekday }).toEqual(f.date);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same fields for every timestamp within one millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: -DATE_LIMIT, max: DATE_LIMIT }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ms, part) => {
        const ts = ms + part;
        if (Math.floor(ts) !== ms) return; // the sum rounded up to the next millisecond
        expect([hourOf(ts), minuteOf(ts), weekdayOf(ts)]).toEqual([hourOf(ms), minuteOf(ms), weekdayOf(ms)]);
      }),
      { numRuns: RUNS },
    );
  });
});
