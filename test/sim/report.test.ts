/** src/sim/report.ts: the report aggregated as the replay goes. */
import { describe, expect, it } from 'vitest';
import { ReportBuilder, SAMPLE_LIMIT } from '../../src/sim/report.js';

const allow = (id: string, userId: string, chargedMicro: number, policyId = 'metered', assetId = 'model:a') => ({ id, time: 0, userId, assetId, tier: 'pro', allowed: true, policyId, chargedMicro });
const deny = (id: string, userId: string, reason: string, policyId = 'paywall', assetId = 'model:a') => ({ id, time: 0, userId, assetId, tier: 'free', allowed: false, policyId, reason, chargedMicro: 0 });

describe('ReportBuilder', () => {
  it('counts decisions by outcome, reason (denials only), policy, tier and asset, and sums tokens exactly', () => {
    const r = new ReportBuilder('USD');
    r.decision(allow('1', 'u1', 1_500_000));
    r.decision(allow('2', 'u1', 100_000));
    r.decision(allow('3', 'u2', 200_000, 'metered', 'model:b'));
    r.decision(deny('4', 'u3', 'upgrade_required'));
    r.decision(deny('5', 'u4', 'insufficient_balance', 'metered'));
    r.decision(deny('6', 'u4', 'insufficient_balance', 'metered'));
    const rep = r.finish();
    expect(rep.decisions).toMatchObject({ total: 6, allowed: 3, denied: 3, byReason: { insufficient_balance: 2, upgrade_required: 1 }, byPolicy: { metered: 5, paywall: 1 } });
    expect(Object.keys(rep.decisions.byReason)).toEqual(['insufficient_balance', 'upgrade_required']);
    expect(rep.decisions.byTier).toEqual({ free: { allowed: 0, denied: 3 }, pro: { allowed: 3, denied: 0 } });
    expect(rep.decisions.topAssets).toEqual([
      { assetId: 'model:a', allowed: 2, denied: 3 },
      { assetId: 'model:b', allowed: 1, denied: 0 },
    ]);
    expect(rep.tokens).toEqual({ charged: 1.8, chargedMicro: 1_800_000 });
    expect(rep.insufficientBalance).toEqual({ users: 1, decisions: 2, samples: ['u4'] });
  });

  it('adds payments, takes refunds and lost disputes off, keeps tax apart, and counts other currencies aside', () => {
    const r = new ReportBuilder('EUR');
    r.event({ time: 1, outcome: 'applied', kind: 'payment.succeeded', userId: 'u1', paidMinor: 1190, taxMinor: 190, currency: 'EUR' });
    r.event({ time: 2, outcome: 'applied', kind: 'invoice.paid', userId: 'u2', paidMinor: 500, taxMinor: 0, currency: 'EUR' });
    r.event({ time: 3, outcome: 'applied', kind: 'refund.succeeded', userId: 'u1', refundedMinor: 1190, currency: 'EUR', revoked: ['pro_plan'] });
    r.event({ time: 4, outcome: 'applied', kind: 'payment.succeeded', userId: 'u3', paidMinor: 999, currency: 'USD' });
    r.event({ time: 5, outcome: 'duplicate', kind: 'payment.succeeded', userId: 'u1', currency: 'EUR' });
    r.event({ time: 6, outcome: 'invalid_signature' });
    r.event({ time: 7, outcome: 'ignored', kind: 'ignored' });
    const rep = r.finish();
    expect(rep.revenue).toEqual({ currency: 'EUR', grossMinor: 1690, refundedMinor: 1190, taxMinor: 190, netMinor: 500, otherCurrencies: ['USD'] });
    expect(rep.webhooks).toMatchObject({ applied: 4, duplicate: 1, ignored: 1, unresolved: 0, invalidSignature: 1 });
    expect(rep.revocations).toEqual({ count: 1, samples: [{ userId: 'u1', entitlement: 'pro_plan', kind: 'refund.succeeded' }] });
  });

  it('follows the funnel: paywall, then a payment by the same user, then an allowed access — in that order only', () => {
    const r = new ReportBuilder('USD');
    r.decision(deny('1', 'a', 'upgrade_required'));
    r.decision(deny('2', 'b', 'upgrade_required'));
    r.decision(deny('3', 'c', 'upgrade_required'));
    r.decision(allow('4', 'a', 0)); // access before paying: not a conversion
    r.event({ time: 5, outcome: 'applied', kind: 'payment.succeeded', userId: 'a', paidMinor: 100, currency: 'USD' });
    r.event({ time: 6, outcome: 'applied', kind: 'payment.succeeded', userId: 'b', paidMinor: 100, currency: 'USD' });
    r.event({ time: 7, outcome: 'duplicate', kind: 'payment.succeeded', userId: 'c', paidMinor: 100, currency: 'USD' });
    r.decision(allow('8', 'a', 0));
    r.event({ time: 9, outcome: 'applied', kind: 'payment.succeeded', userId: 'd', paidMinor: 100, currency: 'USD' }); // never paywalled
    r.decision(allow('10', 'd', 0));
    expect(r.finish().funnel).toEqual({ paywalled: 3, paidAfter: 2, accessedAfter: 1 });
  });

  it('keeps at most SAMPLE_LIMIT rejected inputs and counts them all', () => {
    const r = new ReportBuilder('USD');
    for (let i = 1; i <= 50; i++) r.rejected({ file: 'log.jsonl', line: i, message: 'not JSON' });
    const rep = r.finish();
    expect(rep.rejected.count).toBe(50);
    expect(rep.rejected.samples).toHaveLength(SAMPLE_LIMIT);
    expect(rep.rejected.samples[0]).toEqual({ file: 'log.jsonl', line: 1, message: 'not JSON' });
  });

  it('is byte-stable: the same inputs in the same order give the same JSON', () => {
    const run = (): string => {
      const r = new ReportBuilder('USD');
      for (const [i, reason] of ['b', 'a', 'c', 'a'].entries()) r.decision(deny(String(i), `u${i}`, reason, `p${i % 2}`, `asset${i % 3}`));
      return JSON.stringify(r.finish());
    };
    expect(run()).toBe(run());
    expect(Object.keys(JSON.parse(run()).decisions.byReason)).toEqual(['a', 'b', 'c']);
  });
});

describe('renderReportPretty', () => {
  it('puts the totals, denial reasons, money, webhooks and the funnel on a few lines, escaping ids', async () => {
    const { renderReportPretty } = await import('../../src/sim/render.js');
    const r = new ReportBuilder('USD');
    r.decision(allow('1', 'u1', 2_500_000));
    r.decision(deny('2', 'u\u001b[2J', 'insufficient_balance', 'metered'));
    r.event({ time: 1, outcome: 'applied', kind: 'payment.succeeded', userId: 'u1', paidMinor: 1999, taxMinor: 319, currency: 'USD' });
    r.event({ time: 2, outcome: 'applied', kind: 'refund.succeeded', userId: 'u1', refundedMinor: 500, currency: 'USD' });
    r.rejected({ file: 'log.jsonl', line: 7, message: 'line 7 is not JSON' });
    const text = renderReportPretty(r.finish(), { exponent: 2 });
    expect(text).toContain('Decisions  2   allowed 1 (50.0%)   denied 1 (50.0%)');
    expect(text).toMatch(/insufficient_balance\s+1\s+100\.0%/);
    expect(text).toContain('Tokens charged  2.5');
    expect(text).toContain('Revenue  14.99 USD net   gross 19.99 USD, refunded 5.00 USD, of which tax 3.19 USD');
    expect(text).toContain('Webhooks  2   applied 2, duplicate 0');
    expect(text).toContain('log.jsonl:7: line 7 is not JSON');
    expect(text).not.toContain('\u001b');
  });
});
