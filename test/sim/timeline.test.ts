/** src/sim/timeline.ts: bounded, UTC-aligned time buckets that widen as the range grows, sums kept exact. */
import { describe, expect, it } from 'vitest';
import { ReportBuilder } from '../../src/sim/report.js';
import { bucketWidth, OTHER_REASONS, TIMELINE_BUCKETS, TimelineBuilder, type TimelineDecision } from '../../src/sim/timeline.js';
import { rng } from '../../bench/gen-policy.js';
import { EXAMPLE_DIR, LOG_PATH, STRIPE_TEST_SECRET } from '../../scripts/gen-sim-example.js';
import { monetize, requireBuild } from '../helpers/cli.js';

/** Monday 2025-11-24 00:00 UTC. */
const T = Date.UTC(2025, 10, 24);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const allow = (time: number, chargedMicro = 0): TimelineDecision => ({ time, allowed: true, chargedMicro });
const deny = (time: number, reason?: string): TimelineDecision => ({ time, allowed: false, chargedMicro: 0, ...(reason === undefined ? {} : { reason }) });

describe('bucket widths', () => {
  it('climb a ladder in which every width divides the next, then double in weeks', () => {
    const labels = Array.from({ length: 13 }, (_, i) => bucketWidth(i).label);
    expect(labels).toEqual(['1m', '5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '1w', '2w', '4w', '8w']);
    for (let i = 1; i < 13; i++) expect(bucketWidth(i).ms % bucketWidth(i - 1).ms, labels[i]).toBe(0);
    expect(bucketWidth(9).ms).toBe(7 * DAY);
  });
});

describe('TimelineBuilder', () => {
  it('is empty when nothing was replayed', () => {
    expect(new TimelineBuilder().finish()).toEqual({ bucket: '1m', bucketMs: MIN, reasons: [], buckets: [] });
  });

  it('puts one decision in its UTC minute', () => {
    const t = new TimelineBuilder();
    t.decision(allow(T + 90_500, 1_500_000));
    expect(t.finish()).toEqual({ bucket: '1m', bucketMs: MIN, reasons: [], buckets: [{ start: T + MIN, allowed: 1, denied: 0, deniedBy: {}, chargedMicro: 1_500_000, paidMinor: 0, refundedMinor: 0 }] });
  });

  it('keeps one-minute buckets up to 120 of them, and widens to five minutes at the 121st, merging exactly', () => {
    const t = new TimelineBuilder();
    t.decision(allow(T, 10));
    t.decision(deny(T + 119 * MIN + 59_999, 'upgrade_required'));
    const narrow = t.finish();
    expect(narrow.bucket).toBe('1m');
    expect(narrow.buckets).toHaveLength(120);
    expect(narrow.buckets[119]).toMatchObject({ start: T + 119 * MIN, denied: 1, deniedBy: { upgrade_required: 1 } });
    // Minutes 0 and 4 share the first five-minute bucket; minute 120 opens the 25th.
    t.decision(allow(T + 4 * MIN, 20));
    t.decision(allow(T + 120 * MIN, 30));
    const wide = t.finish();
    expect(wide.bucket).toBe('5m');
    expect(wide.bucketMs).toBe(5 * MIN);
    expect(wide.buckets).toHaveLength(25);
    expect(wide.buckets[0]).toEqual({ start: T, allowed: 2, denied: 0, deniedBy: {}, chargedMicro: 30, paidMinor: 0, refundedMinor: 0 });
    expect(wide.buckets[23]).toEqual({ start: T + 115 * MIN, allowed: 0, denied: 1, deniedBy: { upgrade_required: 1 }, chargedMicro: 0, paidMinor: 0, refundedMinor: 0 });
    expect(wide.buckets[24]).toEqual({ start: T + 120 * MIN, allowed: 1, denied: 0, deniedBy: {}, chargedMicro: 30, paidMinor: 0, refundedMinor: 0 });
    expect(wide.buckets.slice(1, 23).every((b) => b.allowed + b.denied === 0)).toBe(true);
  });

  it('widens several steps at once and aligns days to midnight UTC and weeks to Monday', () => {
    const t = new TimelineBuilder();
    t.decision(allow(T + 5 * HOUR));
    t.decision(allow(T + 10 * DAY)); // hours 5 … 240: 236 one-hour buckets, 80 of three hours
    expect(t.finish()).toMatchObject({ bucket: '3h', bucketMs: 3 * HOUR });
    expect(t.finish().buckets).toHaveLength(80);
    expect(t.finish().buckets[0]!.start).toBe(T + 3 * HOUR);
    t.decision(allow(T + 200 * DAY + 13 * HOUR));
    const weeks = t.finish();
    expect(weeks.bucket).toBe('1w');
    expect(weeks.buckets).toHaveLength(29); // weeks 0 … 28 after Monday T (day 200 is in week 28)
    expect(weeks.buckets.map((b) => new Date(b.start).getUTCDay())).toEqual(Array(29).fill(1));
    expect(weeks.buckets.map((b) => b.allowed)).toEqual([1, 1, ...Array(26).fill(0), 1]);
    t.decision(allow(T - 3 * 365 * DAY)); // about 3.5 years: 1w would be 186 buckets, 2w 93
    expect(t.finish()).toMatchObject({ bucket: '2w', bucketMs: 14 * DAY });
  });

  it('reports the six reasons with the most denials by name, the rest as (other), and every bucket sums to its denials', () => {
    const t = new TimelineBuilder();
    const counts: Record<string, number> = { a: 9, b: 8, c: 7, d: 6, e: 5, f: 4, g: 3, h: 3 };
    let i = 0;
    for (const [reason, n] of Object.entries(counts)) for (let k = 0; k < n; k++) t.decision(deny(T + (i++ % 7) * MIN, reason));
    t.decision(deny(T + 3 * MIN));
    const tl = t.finish();
    expect(tl.reasons).toEqual(['a', 'b', 'c', 'd', 'e', 'f', OTHER_REASONS]);
    const sum = (r: string): number => tl.buckets.reduce((s, b) => s + (b.deniedBy[r] ?? 0), 0);
    expect(tl.reasons.map(sum)).toEqual([9, 8, 7, 6, 5, 4, 7]); // g 3 + h 3 + one without a reason
    for (const b of tl.buckets) expect(Object.values(b.deniedBy).reduce((s, n) => s + n, 0)).toBe(b.denied);
    for (const b of tl.buckets) expect(Object.keys(b.deniedBy)).toEqual(tl.reasons.filter((r) => (b.deniedBy[r] ?? 0) > 0));
  });

  it('adds money at the time it moved; a delivery that moved none does not stretch the range', () => {
    const t = new TimelineBuilder();
    t.decision(allow(T));
    t.event({ time: 0 });
    t.event({ time: T + 2 * MIN + 1, paidMinor: 1190 });
    t.event({ time: T + 2 * MIN + 2, paidMinor: 3451, refundedMinor: 0 });
    t.event({ time: T + 3 * MIN, refundedMinor: 1190 });
    const tl = t.finish();
    expect(tl.bucket).toBe('1m');
    expect(tl.buckets.map((b) => [b.paidMinor, b.refundedMinor])).toEqual([[0, 0], [0, 0], [4641, 0], [0, 1190]]);
  });

  it('keeps at most 120 buckets and every sum exact over a long, shuffled stream, whatever the order', () => {
    const next = rng(7);
    const inputs: TimelineDecision[] = [];
    for (let k = 0; k < 5000; k++) {
      const time = T + Math.floor(next() * 13 * DAY);
      inputs.push(next() < 0.7 ? allow(time, Math.floor(next() * 5_000_000)) : deny(time, ['x', 'y', 'z'][Math.floor(next() * 3)]));
    }
    const build = (ds: readonly TimelineDecision[]): string => {
      const t = new TimelineBuilder();
      for (const d of ds) t.decision(d);
      return JSON.stringify(t.finish());
    };
    const sortedRun = build([...inputs].sort((a, b) => a.time - b.time));
    const shuffled = build(inputs);
    const reversed = build([...inputs].reverse());
    expect(shuffled).toBe(sortedRun);
    expect(reversed).toBe(sortedRun);
    const tl = JSON.parse(sortedRun) as ReturnType<TimelineBuilder['finish']>;
    expect(tl.bucket).toBe('3h');
    expect(tl.buckets.length).toBeLessThanOrEqual(TIMELINE_BUCKETS);
    const total = (f: (d: TimelineDecision) => number): number => inputs.reduce((s, d) => s + f(d), 0);
    expect(tl.buckets.reduce((s, b) => s + b.allowed, 0)).toBe(total((d) => (d.allowed ? 1 : 0)));
    expect(tl.buckets.reduce((s, b) => s + b.denied, 0)).toBe(total((d) => (d.allowed ? 0 : 1)));
    expect(tl.buckets.reduce((s, b) => s + b.chargedMicro, 0)).toBe(total((d) => d.chargedMicro));
    tl.buckets.forEach((b, i) => expect(b.start).toBe(tl.buckets[0]!.start + i * tl.bucketMs));
  });
});

describe('the report', () => {
  it('carries the timeline of its decisions and of the money in its currency', () => {
    const r = new ReportBuilder('EUR');
    r.decision({ id: '1', time: T + 30_000, userId: 'u1', allowed: true, policyId: 'p', chargedMicro: 2_000_000 });
    r.decision({ id: '2', time: T + 70_000, userId: 'u2', allowed: false, policyId: 'paywall', reason: 'upgrade_required', chargedMicro: 0 });
    r.event({ time: T + 80_000, outcome: 'applied', kind: 'payment.succeeded', userId: 'u2', currency: 'EUR', paidMinor: 500 });
    r.event({ time: T + 90_000, outcome: 'applied', kind: 'payment.succeeded', userId: 'u3', currency: 'USD', paidMinor: 900 });
    r.add({ kind: 'rejected', seq: 4, rejected: { file: 'h.json', line: 1, message: 'bad' }, outcome: 'malformed' });
    expect(r.finish().timeline).toEqual({
      bucket: '1m',
      bucketMs: MIN,
      reasons: ['upgrade_required'],
      buckets: [
        { start: T, allowed: 1, denied: 0, deniedBy: {}, chargedMicro: 2_000_000, paidMinor: 0, refundedMinor: 0 },
        { start: T + MIN, allowed: 0, denied: 1, deniedBy: { upgrade_required: 1 }, chargedMicro: 0, paidMinor: 500, refundedMinor: 0 },
      ],
    });
  });
});

describe('the bundled example', () => {
  it('has two weeks in 110 buckets of 3 hours, and every sum of the timeline equals the report\'s', () => {
    requireBuild();
    const r = monetize('simulate', 'examples/marketplace-policy.yaml', '--replay', LOG_PATH, '--webhooks', `${EXAMPLE_DIR}/webhooks`, '--webhook-secret', `stripe=${STRIPE_TEST_SECRET}`, '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ReturnType<ReportBuilder['finish']>;
    const tl = rep.timeline;
    expect([tl.bucket, tl.bucketMs, tl.buckets.length]).toEqual(['3h', 3 * HOUR, 110]);
    expect(new Date(tl.buckets[0]!.start).toISOString()).toBe('2025-11-03T06:00:00.000Z');
    expect(tl.reasons).toEqual(Object.keys(rep.decisions.byReason));
    const sum = (f: (b: (typeof tl.buckets)[number]) => number): number => tl.buckets.reduce((s, b) => s + f(b), 0);
    expect([sum((b) => b.allowed), sum((b) => b.denied), sum((b) => b.chargedMicro), sum((b) => b.paidMinor), sum((b) => b.refundedMinor)]).toEqual([1967, 443, 8_313_200_000, 33_558, 8092]);
    expect([rep.decisions.allowed, rep.decisions.denied, rep.tokens.chargedMicro, rep.revenue.grossMinor, rep.revenue.refundedMinor]).toEqual([1967, 443, 8_313_200_000, 33_558, 8092]);
    for (const reason of tl.reasons) expect(sum((b) => b.deniedBy[reason] ?? 0), reason).toBe(rep.decisions.byReason[reason]);
  });
});
