/**
 * A small simulation with an `--against` policy, made by hand for the HTML report's tests: three
 * users, four requests, a payment and its refund, a rejected input, and a hand-written diff. Ids
 * are hostile on purpose: an asset id that is an HTML tag, a user id with quotes and markup, a
 * file name with a bidi override.
 */
import type { SimOutcome } from '../../src/sim/aggregate.js';
import type { SimDiff } from '../../src/sim/diff.js';
import type { HtmlReportInfo } from '../../src/sim/html.js';
import { ReportBuilder, type ReplayedDecision } from '../../src/sim/report.js';

/** Monday 2025-11-24 00:00 UTC. */
export const T = Date.UTC(2025, 10, 24);
const MIN = 60_000;
const HOUR = 60 * MIN;

export const HOSTILE_ASSET = '<img src=x onerror=alert(1)>';
export const HOSTILE_USER = 'carol"><b>bold</b>';
export const HOSTILE_FILE = 'logs/evil\u202egpj.jsonl';

/*
 *  #  time      user    asset          after (simulated)                         before (--against)
 *  r1 +10m      alice   model:a        allow model_inference, 2                  the same
 *  r2 +20m      bob     HOSTILE_ASSET  deny paywall: upgrade_required            allow legacy_free, 0
 *     +1h       bob pays 11.90 EUR (tax 1.90)
 *  r3 +2h       bob     HOSTILE_ASSET  allow token_access, 1.5                   the same
 *  r4 +3h       carol   model:a        deny model_inference: insufficient_bal.   allow model_inference, 18
 *     +4h       bob's payment refunded in full: pro_plan revoked
 *
 * after: allowed 2 (r1 r3), denied 2; tokens 3.5; gross 1190, refunded 1190, net 0, tax 190;
 *   funnel bob 1 → 1 → 1. before: allowed 4; tokens 21.5; funnel 0.
 */
const decisions: readonly { after: ReplayedDecision; before: ReplayedDecision }[] = [
  ...[{ id: 'r1', time: T + 10 * MIN, userId: 'alice', assetId: 'model:a', tier: 'pro', allowed: true, policyId: 'model_inference', chargedMicro: 2_000_000 }].map((d) => ({ after: d, before: d })),
  {
    after: { id: 'r2', time: T + 20 * MIN, userId: 'bob', assetId: HOSTILE_ASSET, tier: 'free', allowed: false, policyId: 'paywall', reason: 'upgrade_required', chargedMicro: 0 },
    before: { id: 'r2', time: T + 20 * MIN, userId: 'bob', assetId: HOSTILE_ASSET, tier: 'free', allowed: true, policyId: 'legacy_free', chargedMicro: 0 },
  },
  ...[{ id: 'r3', time: T + 2 * HOUR, userId: 'bob', assetId: HOSTILE_ASSET, tier: 'free', allowed: true, policyId: 'token_access', chargedMicro: 1_500_000 }].map((d) => ({ after: d, before: d })),
  {
    after: { id: 'r4', time: T + 3 * HOUR, userId: HOSTILE_USER, assetId: 'model:a', tier: 'pro', allowed: false, policyId: 'model_inference', reason: 'insufficient_balance', costMicro: 18_000_000, chargedMicro: 0 },
    before: { id: 'r4', time: T + 3 * HOUR, userId: HOSTILE_USER, assetId: 'model:a', tier: 'pro', allowed: true, policyId: 'model_inference', costMicro: 18_000_000, chargedMicro: 18_000_000 },
  },
];

/** The hand-written diff of the two sides above. */
export const DIFF: SimDiff = {
  total: 4,
  changed: 2,
  percent: 50,
  transitions: [
    {
      from: 'allow:legacy_free',
      to: 'deny:upgrade_required',
      count: 1,
      samples: [{ id: 'r2', time: T + 20 * MIN, userId: 'bob', assetId: HOSTILE_ASSET, before: { allowed: true, policyId: 'legacy_free', charged: 0 }, after: { allowed: false, policyId: 'paywall', reason: 'upgrade_required', charged: 0 } }],
    },
    {
      from: 'allow:model_inference',
      to: 'deny:insufficient_balance',
      count: 1,
      samples: [{ id: 'r4', time: T + 3 * HOUR, userId: HOSTILE_USER, assetId: 'model:a', before: { allowed: true, policyId: 'model_inference', cost: 18, charged: 18 }, after: { allowed: false, policyId: 'model_inference', reason: 'insufficient_balance', cost: 18, charged: 0 } }],
    },
  ],
  flips: { allowToDeny: 2, denyToAllow: 0 },
  tokens: { before: 21.5, after: 3.5, change: -18, percent: -83.72 },
  revenue: {
    currency: 'EUR',
    before: { grossMinor: 1190, refundedMinor: 1190, taxMinor: 190, netMinor: 0 },
    after: { grossMinor: 1190, refundedMinor: 1190, taxMinor: 190, netMinor: 0 },
    changeMinor: 0,
    percent: 0,
  },
  users: {
    total: 3,
    affected: 2,
    chargedMore: 0,
    chargedLess: 1,
    chargeChange: { p50: -18, p95: 0, max: 0, min: -18 },
    samples: [
      { userId: HOSTILE_USER, before: 18, after: 0, change: -18 },
      { userId: 'bob', before: 1.5, after: 1.5, change: 0 },
    ],
  },
  rules: [
    { policyId: 'legacy_free', before: 1, after: 0, change: -1 },
    { policyId: 'paywall', before: 0, after: 1, change: 1 },
  ],
};

function build(side: 'after' | 'before'): ReportBuilder {
  const r = new ReportBuilder('EUR');
  r.decision(decisions[0]![side]);
  r.decision(decisions[1]![side]);
  r.event({ time: T + HOUR, outcome: 'applied', kind: 'payment.succeeded', userId: 'bob', currency: 'EUR', paidMinor: 1190, taxMinor: 190 });
  r.decision(decisions[2]![side]);
  r.decision(decisions[3]![side]);
  r.event({ time: T + 4 * HOUR, outcome: 'applied', kind: 'refund.succeeded', userId: 'bob', currency: 'EUR', refundedMinor: 1190, revoked: ['pro_plan'] });
  r.rejected({ file: HOSTILE_FILE, line: 3, message: 'timestamp: expected a number, found the string "<script>"' });
  return r;
}

/** The outcome of the run, with or without the `--against` side. */
export function fixtureOutcome(withAgainst: boolean): SimOutcome {
  const report = build('after').finish();
  return withAgainst ? { report, against: build('before').finish(), diff: DIFF } : { report };
}

export const INFO: HtmlReportInfo = { file: 'policies/candidate.yaml', hash: 'abc123', currency: 'EUR', againstFile: 'policies/<live>.yaml' };
