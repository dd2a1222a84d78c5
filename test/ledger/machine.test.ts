/** The pure parts of the state machine: refund arithmetic, dispute merging, offers, access at a time. */
import { describe, expect, it } from 'vitest';
import { clawbackTarget, effectiveState, effectiveTier, grantedItems, hasAccess, resolveOffer, summarize } from '../../src/ledger/machine.js';
import { toMicro, type EntitlementRow, type PaymentRow, type ReversalRow } from '../../src/ledger/model.js';
import type { PaymentEvent } from '../../src/payments/event.js';

const refundRow = (id: string, amountMinor: number, cumulative = false, full = false): ReversalRow => ({ id, kind: 'refund', refs: [], paymentKey: 'p', amountMinor, cumulative, full, dispute: null, occurredAt: 0 });
const disputeRow = (id: string, dispute: ReversalRow['dispute']): ReversalRow => ({ id, kind: 'dispute', refs: [], paymentKey: 'p', amountMinor: 0, cumulative: false, full: false, dispute, occurredAt: 0 });

describe('refunds', () => {
  it('sums separate refunds, takes the largest running total, and is full when the amount is reached', () => {
    expect(summarize([refundRow('a', 300), refundRow('b', 200)], 1000)).toEqual({ refundedMinor: 500, full: false, dispute: null });
    expect(summarize([refundRow('a', 300, true), refundRow('b', 700, true)], 1000)).toEqual({ refundedMinor: 700, full: false, dispute: null });
    expect(summarize([refundRow('a', 600), refundRow('b', 400)], 1000).full).toBe(true);
    expect(summarize([refundRow('a', 1, false, true)], null).full).toBe(true);
  });

  it('takes back the refunded share of the tokens, rounded down, exactly for large grants', () => {
    const none = { refundedMinor: 0, full: false, dispute: null };
    expect(clawbackTarget(100_000_000, 3000, { ...none, refundedMinor: 1000 })).toBe(33_333_333);
    expect(clawbackTarget(100_000_000, 3000, { ...none, refundedMinor: 5000 })).toBe(100_000_000);
    expect(clawbackTarget(100_000_000, null, { ...none, refundedMinor: 5000 })).toBe(0);
    expect(clawbackTarget(100_000_000, null, { ...none, full: true })).toBe(100_000_000);
    expect(clawbackTarget(9_007_199_254_740_991, 999_999_999, { ...none, refundedMinor: 333_333_333 })).toBe(3_002_399_751_580_330);
    expect(clawbackTarget(50, 100, { ...none, dispute: 'open' })).toBe(0);
    expect(clawbackTarget(50, 100, { ...none, dispute: 'lost' })).toBe(50);
  });
});

describe('disputes and states', () => {
  it('merges disputes so that lost wins, then open, then won', () => {
    expect(summarize([disputeRow('a', 'won'), disputeRow('b', 'open')], 10).dispute).toBe('open');
    expect(summarize([disputeRow('a', 'won'), disputeRow('b', 'lost')], 10).dispute).toBe('lost');
    expect(summarize([disputeRow('a', 'inquiry')], 10).dispute).toBe('inquiry');
  });

  it('overlays revoked and disputed on the lifecycle status', () => {
    const pay = (x: Partial<PaymentRow>): PaymentRow => ({ key: 'k', provider: 'mock', userId: 'u', offerId: 'o', occurredAt: 0, amountMinor: 1, currency: null, taxMinor: null, subscription: null, source: 's', tokensGranted: 0, tokensClawed: 0, shortfall: 0, refundedMinor: 0, refundedFull: false, dispute: null, ...x });
    expect(effectiveState('active', [pay({ dispute: 'open' })])).toBe('disputed');
    expect(effectiveState('past_due', [pay({ dispute: 'won' })])).toBe('past_due');
    expect(effectiveState('active', [pay({ dispute: 'open' }), pay({ key: 'k2', refundedFull: true })])).toBe('revoked');
    expect(effectiveState('expired', [pay({ dispute: 'lost' })])).toBe('revoked');
  });

  it('gives access by state, and to a canceling entitlement only before its period end', () => {
    const row = (state: EntitlementRow['state'], x: Partial<EntitlementRow> = {}): EntitlementRow => ({ source: `s-${state}`, userId: 'u', offerId: null, items: [state], tier: null, status: 'active', state, periodEnd: 100, updatedAt: 0, ...x });
    const rows = (['active', 'past_due', 'canceling', 'disputed', 'revoked', 'expired'] as const).map((s) => row(s));
    expect(grantedItems(rows, 50)).toEqual(['active', 'canceling', 'past_due']);
    expect(grantedItems(rows, 100)).toEqual(['active', 'past_due']);
    expect(hasAccess(row('canceling', { periodEnd: null }), 1e15)).toBe(true);
    expect(effectiveTier('free', [row('active', { tier: 'pro', updatedAt: 1 }), row('past_due', { tier: 'enterprise', updatedAt: 2 })], 0)).toBe('enterprise');
    expect(effectiveTier('free', [row('revoked', { tier: 'pro' })], 0)).toBe('free');
  });
});

describe('offers and units', () => {
  const offers = [
    { id: 'a', priceIds: ['p1'], grants: { tokens: 1 } },
    { id: 'b', priceIds: ['p2', 'p3'], grants: { tokens: 2 } },
  ];
  const e = (x: Partial<PaymentEvent>): PaymentEvent => ({ provider: 'mock', eventId: 'e', kind: 'payment.succeeded', providerType: 'x', occurredAt: 0, priceIds: [], refs: {}, ...x });

  it('finds the offer by offer id first, then by price id in payload order', () => {
    expect(resolveOffer(e({ offerId: 'b', priceIds: ['p1'] }), offers)).toMatchObject({ id: 'b' });
    expect(resolveOffer(e({ priceIds: ['zz', 'p3', 'p1'] }), offers)).toMatchObject({ id: 'b' });
    expect(resolveOffer(e({}), offers)).toMatch(/no offer_id and no price id/);
  });

  it('keeps token amounts exact in micro-tokens', () => {
    expect(toMicro(0.1 + 0.2)).toBe(300_000);
    expect(toMicro(2.5)).toBe(2_500_000);
    expect(toMicro(0.000001)).toBe(1);
    expect(toMicro(Number.NaN)).toBe(0);
  });
});
