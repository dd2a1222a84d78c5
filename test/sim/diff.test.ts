/**
 * The diff of two policies from hand-made replay records: what counts as changed (cost-only
 * changes included), transitions and their samples, flips, per-user charge changes and their
 * nearest-rank percentiles (1, 2 and 20 users), rules gaining and losing traffic, and the gates.
 */
import { describe, expect, it } from 'vitest';
import { SimAggregator, type DiffSink } from '../../src/sim/aggregate.js';
import { DiffBuilder, nearestRank, percentOf, TRANSITION_SAMPLES, type SimDiff } from '../../src/sim/diff.js';
import { checkGates, parseFlips, parseThreshold } from '../../src/sim/gates.js';
import type { ReplayRecord } from '../../src/sim/records.js';
import type { ReplayedDecision, ReplayedEvent } from '../../src/sim/report.js';

const M = 1e6;

/** A decision: `allow:<rule>:<cost>` or `deny:<reason>:<rule>[:<cost>]`, charged its cost when allowed. */
function dec(id: string, userId: string | undefined, spec: string): ReplayedDecision {
  const [verdict, a, b, c] = spec.split(':');
  if (verdict === 'allow') {
    const cost = Number(b) * M;
    return { id, time: 0, userId, allowed: true, policyId: a!, costMicro: cost, chargedMicro: cost };
  }
  return { id, time: 0, userId, allowed: false, policyId: b!, reason: a, costMicro: c === undefined ? undefined : Number(c) * M, chargedMicro: 0 };
}

/** Records of `rows`: [id, user, before, after], in stream order. */
function records(rows: readonly (readonly [string, string | undefined, string, string])[]): ReplayRecord[] {
  return rows.map(([id, user, before, after], seq) => ({ kind: 'decision', seq, decision: dec(id, user, after), against: dec(id, user, before) }));
}

/** The diff of the records, through the aggregator a run uses (so tokens and rules come from the two reports). */
function diffOf(rs: readonly ReplayRecord[]): SimDiff {
  const sink = new SimAggregator('EUR', new DiffBuilder());
  for (const r of rs) sink.record(r);
  return sink.finish().diff!;
}

describe('DiffBuilder', () => {
  it('is the DiffSink the aggregator takes', () => {
    const sink: DiffSink = new DiffBuilder();
    expect(sink.finish).toBeTypeOf('function');
  });

  /*
   *  id  user  before                          after                               changed
   *  q1  u1    allow rule_a 2                  allow rule_a 2                      no
   *  q2  u1    allow rule_a 2                  allow rule_a 3                      cost only
   *  q3  u2    allow rule_a 2                  deny insufficient_balance rule_a 3  allow→deny
   *  q4  u2    deny upgrade_required paywall   allow rule_b 1                      deny→allow
   *  q5  u3    deny insufficient_balance a 5   deny insufficient_balance a 6       cost only (a denial keeps its cost)
   *  q6  u3    deny upgrade_required paywall   deny upgrade_required paywall       no
   *  q7  -     deny invalid_request inv        deny invalid_request inv            no (no user)
   *  q8  u4    allow rule_a 2                  allow rule_b 2                      rule only
   *
   * tokens: before 2+2+2+2 = 8 (q1 q2 q3 q8), after 2+3+1+2 = 8: change 0, 0 %.
   * users: u1 4 → 5 (+1), u2 2 → 1 (−1), u3 0 → 0 (changed decisions: affected, 0), u4 2 → 2 (affected, 0).
   */
  const rows = [
    ['q1', 'u1', 'allow:rule_a:2', 'allow:rule_a:2'],
    ['q2', 'u1', 'allow:rule_a:2', 'allow:rule_a:3'],
    ['q3', 'u2', 'allow:rule_a:2', 'deny:insufficient_balance:rule_a:3'],
    ['q4', 'u2', 'deny:upgrade_required:paywall', 'allow:rule_b:1'],
    ['q5', 'u3', 'deny:insufficient_balance:rule_a:5', 'deny:insufficient_balance:rule_a:6'],
    ['q6', 'u3', 'deny:upgrade_required:paywall', 'deny:upgrade_required:paywall'],
    ['q7', undefined, 'deny:invalid_request:invalid_request', 'deny:invalid_request:invalid_request'],
    ['q8', 'u4', 'allow:rule_a:2', 'allow:rule_b:2'],
  ] as const;

  it('counts a change of allowed, rule, reason or cost; nothing else', () => {
    const d = diffOf(records(rows));
    expect(d.total).toBe(8);
    expect(d.changed).toBe(5);
    expect(d.percent).toBe(62.5);
    expect(d.flips).toEqual({ allowToDeny: 1, denyToAllow: 1 });
    expect(d.transitions.map((t) => [t.from, t.to, t.count, t.samples.map((s) => s.id)])).toEqual([
      ['allow:rule_a', 'allow:rule_a', 1, ['q2']],
      ['allow:rule_a', 'allow:rule_b', 1, ['q8']],
      ['allow:rule_a', 'deny:insufficient_balance', 1, ['q3']],
      ['deny:insufficient_balance', 'deny:insufficient_balance', 1, ['q5']],
      ['deny:upgrade_required', 'allow:rule_b', 1, ['q4']],
    ]);
    expect(d.transitions[3]!.samples[0]).toEqual({
      id: 'q5',
      time: 0,
      userId: 'u3',
      before: { allowed: false, policyId: 'rule_a', reason: 'insufficient_balance', cost: 5, charged: 0 },
      after: { allowed: false, policyId: 'rule_a', reason: 'insufficient_balance', cost: 6, charged: 0 },
    });
  });

  it('sums tokens from the reports, and lists per-user changes and rules', () => {
    const d = diffOf(records(rows));
    expect(d.tokens).toEqual({ before: 8, after: 8, change: 0, beforeMicro: 8 * M, afterMicro: 8 * M, changeMicro: 0, percent: 0 });
    expect(d.users).toEqual({
      total: 4,
      affected: 4,
      chargedMore: 1,
      chargedLess: 1,
      chargeChange: { min: -1, p50: 0, p95: 1, max: 1 },
      samples: [
        { userId: 'u1', before: 4, after: 5, change: 1, percent: 25 },
        { userId: 'u2', before: 2, after: 1, change: -1, percent: -50 },
        { userId: 'u3', before: 0, after: 0, change: 0, percent: null },
        { userId: 'u4', before: 2, after: 2, change: 0, percent: 0 },
      ],
    });
    // before: rule_a 5 (q1 q2 q3 q5 q8), paywall 2, invalid_request 1; after: rule_a 4 (q1 q2 q3 q5), rule_b 2, paywall 1, invalid_request 1.
    expect(d.rules).toEqual([
      { policyId: 'rule_b', before: 0, after: 2, change: 2 },
      { policyId: 'paywall', before: 2, after: 1, change: -1 },
      { policyId: 'rule_a', before: 5, after: 4, change: -1 },
    ]);
  });

  it('keeps the first samples of a transition, in stream order', () => {
    const many = Array.from({ length: 12 }, (_, i) => [`r${String(i).padStart(2, '0')}`, `u${i % 3}`, 'allow:a:1', 'allow:a:2'] as const);
    const d = diffOf(records(many));
    expect(d.transitions).toHaveLength(1);
    expect(d.transitions[0]!.count).toBe(12);
    expect(d.transitions[0]!.samples.map((s) => s.id)).toEqual(['r00', 'r01', 'r02', 'r03', 'r04']);
    expect(TRANSITION_SAMPLES).toBe(5);
  });

  it('orders transitions by count, then from, then to', () => {
    const d = diffOf(records([
      ['1', 'u', 'allow:b:1', 'deny:x:b'],
      ['2', 'u', 'allow:a:1', 'deny:y:a'],
      ['3', 'u', 'allow:a:1', 'deny:x:a'],
      ['4', 'u', 'allow:b:1', 'deny:x:b'],
    ]));
    expect(d.transitions.map((t) => `${t.from}>${t.to}:${t.count}`)).toEqual(['allow:b>deny:x:2', 'allow:a>deny:x:1', 'allow:a>deny:y:1']);
  });

  it('has null percentages and percentiles with nothing to measure', () => {
    const d = diffOf([]);
    expect(d).toMatchObject({ total: 0, changed: 0, percent: null, transitions: [], rules: [] });
    expect(d.tokens.percent).toBeNull();
    expect(d.revenue.percent).toBeNull();
    expect(d.users).toEqual({ total: 0, affected: 0, chargedMore: 0, chargedLess: 0, chargeChange: { min: null, p50: null, p95: null, max: null }, samples: [] });
  });

  it('compares webhook outcomes and takes revenue from the two reports', () => {
    const ev = (outcome: ReplayedEvent['outcome'], paid: number): ReplayedEvent => ({ time: 0, outcome, kind: 'payment.succeeded', userId: 'u', ...(paid ? { currency: 'EUR', paidMinor: paid, taxMinor: 0, refundedMinor: 0 } : {}) });
    const rs: ReplayRecord[] = [
      { kind: 'event', seq: 0, event: ev('applied', 1000), against: ev('applied', 1000) },
      { kind: 'event', seq: 1, event: ev('unresolved', 0), against: ev('applied', 500) },
      { kind: 'rejected', seq: 2, rejected: { file: 'x.json', line: 1, message: 'bad' }, outcome: 'malformed' },
    ];
    const d = diffOf(rs);
    expect(d.webhooks).toEqual({ total: 2, changed: 1 });
    expect(d.revenue).toEqual({
      currency: 'EUR',
      before: { grossMinor: 1500, refundedMinor: 0, taxMinor: 0, netMinor: 1500 },
      after: { grossMinor: 1000, refundedMinor: 0, taxMinor: 0, netMinor: 1000 },
      changeMinor: -500,
      percent: -33.33,
    });
  });
});

describe('per-user charge change: nearest-rank percentiles over affected users', () => {
  /** One decision per user, charged `before` then `after` tokens (a cost change, so every user is affected). */
  const users = (pairs: readonly (readonly [number, number])[]) => diffOf(records(pairs.map(([b, a], i) => [`q${i}`, `user${String(i).padStart(2, '0')}`, `allow:r:${b}`, `allow:r:${a}`] as const))).users;

  it('1 user: every percentile is that user', () => {
    expect(users([[2, 5]]).chargeChange).toEqual({ min: 3, p50: 3, p95: 3, max: 3 });
  });

  it('2 users: p50 is the smaller change (rank 1), p95 the larger (rank 2)', () => {
    expect(users([[10, 4], [1, 2]]).chargeChange).toEqual({ min: -6, p50: -6, p95: 1, max: 1 });
  });

  it('20 users: p50 is rank 10, p95 rank 19', () => {
    // Changes +1 … +20 (user i is charged i more), given in reverse order.
    const u = users(Array.from({ length: 20 }, (_, i) => [1, 1 + (20 - i)] as const));
    expect(u.chargeChange).toEqual({ min: 1, p50: 10, p95: 19, max: 20 });
    expect(u.affected).toBe(20);
    expect(u.chargedMore).toBe(20);
    expect(u.samples).toHaveLength(10);
    expect(u.samples.map((s) => s.change)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
  });

  it('a user whose decisions did not change is not affected', () => {
    const d = diffOf(records([
      ['a', 'same', 'allow:r:2', 'allow:r:2'],
      ['b', 'moved', 'allow:r:2', 'allow:r:4'],
    ]));
    expect(d.users).toMatchObject({ total: 2, affected: 1, chargeChange: { min: 2, p50: 2, p95: 2, max: 2 } });
  });

  it('nearestRank and percentOf', () => {
    expect(nearestRank([], 50)).toBeUndefined();
    expect(nearestRank([7], 0)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 51)).toBe(3);
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(-2, 3)).toBe(-66.67);
    expect(percentOf(1, 32)).toBe(3.13);
    expect(percentOf(-1, 32)).toBe(-3.13);
    expect(percentOf(0, 5)).toBe(0);
    expect(Object.is(percentOf(-0, 5), 0)).toBe(true);
    expect(percentOf(3, 0)).toBeNull();
  });
});

describe('gates', () => {
  const base = diffOf(records([
    ['1', 'u', 'allow:r:4', 'allow:r:5'],
    ['2', 'u', 'allow:r:4', 'deny:insufficient_balance:r:5'],
    ['3', 'v', 'allow:r:4', 'allow:r:4'],
  ]));
  const money = { money: (m: number) => `${m}c` };

  it('compare the reported (rounded) percentages, strictly above the threshold', () => {
    // 2 of 3 changed: 66.67 %; tokens 12 → 9: -25 %.
    expect(checkGates(base, { change: 66.67, flips: [] }, money)).toEqual([]);
    expect(checkGates(base, { change: 66.66, flips: [] }, money)).toEqual([{ option: '--fail-on-change 66.66', message: '66.67% of decisions changed (2 of 3), above 66.66%' }]);
    expect(checkGates(base, { chargeChange: 25, flips: [] }, money)).toEqual([]);
    expect(checkGates(base, { chargeChange: 24.99, flips: [] }, money)).toEqual([{ option: '--fail-on-charge-change 24.99', message: 'tokens charged changed by -25% (12 → 9), above 24.99%' }]);
    expect(checkGates(base, { flips: ['deny→allow'] }, money)).toEqual([]);
    expect(checkGates(base, { flips: ['allow→deny'] }, money)).toEqual([{ option: '--fail-on-flip allow→deny', message: '1 decision went from allow to deny' }]);
  });

  it('from a zero base any change fails and no change passes', () => {
    const fromZero = diffOf(records([['1', 'u', 'allow:r:0', 'allow:r:1']]));
    expect(fromZero.tokens.percent).toBeNull();
    expect(checkGates(fromZero, { chargeChange: 1000, flips: [] }, money)).toEqual([{ option: '--fail-on-charge-change 1000', message: 'tokens charged changed from nothing (0 → 1), above 1000%' }]);
    const none = diffOf(records([['1', 'u', 'deny:x:r', 'deny:x:r']]));
    expect(checkGates(none, { change: 0, chargeChange: 0, revenueChange: 0, flips: ['allow→deny', 'deny→allow'] }, money)).toEqual([]);
  });

  it('parse thresholds and flip directions', () => {
    expect(parseThreshold('--fail-on-change', '5')).toEqual({ value: 5 });
    expect(parseThreshold('--fail-on-change', '0.25')).toEqual({ value: 0.25 });
    for (const bad of ['-1', 'abc', '', '5%', '1e3', 'NaN', 'Infinity']) expect(parseThreshold('--fail-on-change', bad)).toHaveProperty('error');
    expect(parseFlips(['deny->allow', 'allow→deny'])).toEqual({ value: ['allow→deny', 'deny→allow'] });
    expect(parseFlips(['any'])).toEqual({ value: ['allow→deny', 'deny→allow'] });
    expect(parseFlips([])).toEqual({ value: [] });
    expect(parseFlips(['allow'])).toHaveProperty('error');
    expect(parseFlips(['constructor'])).toHaveProperty('error');
  });
});
