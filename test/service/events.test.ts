/** Payment events through the access service on a real SQLite file: grants, duplicates, refunds, disputes, subscriptions. */
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers/tmp.js';
import { MIN, T0, dumpState, ev, query, refund, service, tokenPack } from './fixture.js';

const dir = tempFolder('ledger-events-');

function balance(path: string, user: string): number {
  const rows = query(path, `SELECT balance FROM accounts WHERE user_id = '${user}'`);
  return rows.length === 0 ? NaN : Number(rows[0]!.balance) / 1e6;
}

const read = (user: string, assetId = 'doc:1') => ({ assetId, action: 'read', context: { userId: user, tier: 'free', tokenBalance: 0, entitlements: [] } });

describe('payment events', () => {
  it('a duplicate delivery changes nothing and is counted as duplicate', () => {
    const { svc, store, path } = service(dir(), 'dup');
    const e = tokenPack('evt_1', 'u1', 'pi_1', T0);
    expect(svc.applyEvent(e).outcome).toBe('applied');
    const before = dumpState(path);
    const entries = query(path, 'SELECT COUNT(*) AS n FROM ledger_entries')[0]!.n;
    expect(svc.applyEvent(e)).toMatchObject({ outcome: 'duplicate', tokenDelta: 0 });
    expect(dumpState(path)).toEqual(before);
    expect(query(path, 'SELECT COUNT(*) AS n FROM ledger_entries')[0]!.n).toBe(entries);
    expect(balance(path, 'u1')).toBe(100);
    store.close();
  });

  it('two events reporting one purchase (checkout session + payment intent) grant once', () => {
    const { svc, store, path } = service(dir(), 'twice');
    expect(svc.applyEvent(tokenPack('cs_evt', 'u1', 'pi_9', T0)).outcome).toBe('applied');
    const second = svc.applyEvent(tokenPack('pi_evt', 'u1', 'pi_9', T0 + 1000, { refs: { payment: 'pi_9', charge: 'ch_9' } }));
    expect(second.outcome).toBe('ignored');
    expect(balance(path, 'u1')).toBe(100);
    // The charge id learned from the second event now finds the payment: a refund naming only the charge claws back.
    expect(svc.applyEvent(refund('r1', 'x', T0 + 2000, 1000, true, { refs: { charge: 'ch_9' } })).outcome).toBe('applied');
    expect(balance(path, 'u1')).toBe(0);
    store.close();
  });

  it('a refund that arrives before its payment leaves a tombstone: the late payment never grants', () => {
    const { svc, store, path } = service(dir(), 'tomb');
    const r = svc.applyEvent(refund('r_early', 'pi_2', T0 + MIN, 1000, true));
    expect(r.outcome).toBe('applied');
    expect(r.detail).toMatch(/tombstone/);
    expect(query(path, 'SELECT id FROM tombstones')).toHaveLength(1);
    svc.applyEvent(ev('payment.succeeded', 'p_late', T0, { userId: 'u2', offerId: 'lifetime', amountMinor: 1000, refs: { payment: 'pi_2' } }));
    svc.applyEvent(tokenPack('p_late2', 'u2', 'pi_3', T0));
    svc.applyEvent(refund('r_early2', 'pi_3', T0 + MIN, 1000, true));
    expect(query(path, 'SELECT id FROM tombstones')).toHaveLength(0);
    expect(query(path, "SELECT state FROM entitlements WHERE user_id = 'u2'")).toEqual([{ state: 'revoked' }]);
    expect(balance(path, 'u2')).toBe(0);
    expect(svc.checkAccess(read('u2', 'premium:x'))).toMatchObject({ allowed: false, reason: 'upgrade_required' });
    store.close();
  });

  it('a token-pack refund claws back the grant and records what was already spent as a shortfall', () => {
    const { svc, store, path } = service(dir(), 'short');
    svc.applyEvent(tokenPack('p1', 'u3', 'pi_4', T0));
    for (let i = 0; i < 10; i++) expect(svc.checkAccess(read('u3'), { requestId: `r${i}` }).allowed).toBe(true); // 10 × 2.5 = 25 spent
    expect(balance(path, 'u3')).toBe(75);
    svc.applyEvent(refund('rf1', 'pi_4', T0 + MIN, 1000, true));
    expect(balance(path, 'u3')).toBe(0);
    const entries = query(path, "SELECT kind, amount FROM ledger_entries WHERE user_id = 'u3' AND kind IN ('clawback', 'shortfall') ORDER BY id");
    expect(entries).toEqual([
      { kind: 'clawback', amount: -75_000_000 },
      { kind: 'shortfall', amount: 25_000_000 },
    ]);
    expect(query(path, 'SELECT tokens_granted, tokens_clawed, shortfall, refunded_full FROM payments')).toEqual([{ tokens_granted: 100_000_000, tokens_clawed: 100_000_000, shortfall: 25_000_000, refunded_full: 1 }]);
    expect(svc.checkAccess(read('u3'))).toMatchObject({ allowed: false, reason: 'insufficient_balance', policyId: 'token_read' });
    store.close();
  });

  it('a partial refund takes back the refunded share of the tokens (rounded down) and keeps access', () => {
    const { svc, store, path } = service(dir(), 'partial');
    svc.applyEvent(ev('payment.succeeded', 'p', T0, { userId: 'u4', offerId: 'pro_monthly', amountMinor: 3000, refs: { invoice: 'in_1', subscription: 'sub_1' } }));
    expect(balance(path, 'u4')).toBe(50);
    // 1000 of 3000 refunded: a third of 50 tokens, 16.666666 (micro-tokens rounded down).
    svc.applyEvent(ev('refund.succeeded', 'r1', T0 + MIN, { refs: { invoice: 'in_1', refund: 're_a' }, amountMinor: 1000, refund: { full: false, amountMinor: 1000, cumulative: false } }));
    expect(balance(path, 'u4')).toBe(33.333334);
    expect(query(path, 'SELECT state FROM entitlements')).toEqual([{ state: 'active' }]);
    // A cumulative report (Stripe's amount_refunded) of the same 1000 changes nothing more.
    svc.applyEvent(ev('refund.succeeded', 'r2', T0 + 2 * MIN, { refs: { invoice: 'in_1' }, refund: { full: false, amountMinor: 1000, cumulative: true } }));
    expect(balance(path, 'u4')).toBe(33.333334);
    // A second refund of 2000 completes the refund: everything back, access revoked for good.
    svc.applyEvent(ev('refund.succeeded', 'r3', T0 + 3 * MIN, { refs: { invoice: 'in_1', refund: 're_b' }, refund: { full: false, amountMinor: 2000, cumulative: false } }));
    expect(balance(path, 'u4')).toBe(0);
    expect(query(path, 'SELECT state FROM entitlements')).toEqual([{ state: 'revoked' }]);
    expect(query(path, "SELECT tier FROM accounts WHERE user_id = 'u4'")).toEqual([{ tier: 'free' }]);
    store.close();
  });

  it('a dispute suspends access; won restores it; lost revokes it for good', () => {
    const { svc, store, path } = service(dir(), 'dispute');
    svc.applyEvent(ev('payment.succeeded', 'p', T0, { userId: 'u5', offerId: 'lifetime', amountMinor: 5000, refs: { payment: 'pi_5', charge: 'ch_5' } }));
    const premium = read('u5', 'premium:x');
    expect(svc.checkAccess(premium).allowed).toBe(true);
    svc.applyEvent(ev('dispute.opened', 'd1', T0 + MIN, { refs: { dispute: 'dp_1', charge: 'ch_5' } }));
    expect(query(path, 'SELECT state FROM entitlements')).toEqual([{ state: 'disputed' }]);
    expect(svc.checkAccess(premium).allowed).toBe(false);
    svc.applyEvent(ev('dispute.won', 'd2', T0 + 2 * MIN, { refs: { dispute: 'dp_1', charge: 'ch_5' } }));
    expect(svc.checkAccess(premium).allowed).toBe(true);
    // A second dispute, lost: revoked, and nothing brings it back.
    svc.applyEvent(ev('dispute.opened', 'd3', T0 + 3 * MIN, { refs: { dispute: 'dp_2', charge: 'ch_5' } }));
    svc.applyEvent(ev('dispute.lost', 'd4', T0 + 4 * MIN, { refs: { dispute: 'dp_2', charge: 'ch_5' } }));
    expect(query(path, 'SELECT state FROM entitlements')).toEqual([{ state: 'revoked' }]);
    expect(svc.applyEvent(ev('dispute.won', 'd5', T0 + 5 * MIN, { refs: { dispute: 'dp_2', charge: 'ch_5' } })).outcome).toBe('out_of_order');
    expect(svc.checkAccess(premium).allowed).toBe(false);
    // An inquiry is flagged but takes nothing away.
    svc.applyEvent(ev('payment.succeeded', 'p6', T0, { userId: 'u6', offerId: 'lifetime', amountMinor: 5000, refs: { payment: 'pi_6' } }));
    svc.applyEvent(ev('dispute.inquiry', 'd6', T0 + MIN, { refs: { dispute: 'dp_6', payment: 'pi_6' } }));
    expect(svc.checkAccess(read('u6', 'premium:x')).allowed).toBe(true);
    store.close();
  });

  it('subscription.updated arriving before created does not regress it; older less restrictive events are out_of_order', () => {
    const { svc, store, path } = service(dir(), 'subs');
    const sub = { userId: 'u7', priceIds: ['price_pro'], refs: { subscription: 'sub_7' } };
    expect(svc.applyEvent(ev('subscription.cancel_scheduled', 'e2', T0 + 10 * MIN, { ...sub, periodEnd: T0 + 30 * MIN })).outcome).toBe('applied');
    const late = svc.applyEvent(ev('subscription.started', 'e1', T0, sub));
    expect(late.outcome).toBe('out_of_order');
    expect(query(path, 'SELECT status, state, period_end FROM entitlements')).toEqual([{ status: 'canceling', state: 'canceling', period_end: T0 + 30 * MIN }]);
    // Canceling keeps access until the period end, at the service's clock.
    expect(svc.checkAccess(read('u7', 'premium:x'), { at: T0 + 29 * MIN }).allowed).toBe(true);
    expect(svc.checkAccess(read('u7', 'premium:x'), { at: T0 + 30 * MIN }).allowed).toBe(false);
    // Past due keeps access; ended takes it away.
    svc.applyEvent(ev('subscription.past_due', 'e3', T0 + 40 * MIN, sub));
    expect(svc.checkAccess(read('u7', 'premium:x'), { at: T0 + 41 * MIN }).allowed).toBe(true);
    svc.applyEvent(ev('subscription.ended', 'e4', T0 + 50 * MIN, sub));
    expect(svc.checkAccess(read('u7', 'premium:x'), { at: T0 + 51 * MIN }).allowed).toBe(false);
    expect(query(path, "SELECT tier FROM accounts WHERE user_id = 'u7'")).toEqual([{ tier: 'free' }]);
    store.close();
  });

  it('events it cannot resolve are unresolved with the reason; other kinds are ignored', () => {
    const { svc, store } = service(dir(), 'unresolved');
    expect(svc.applyEvent(ev('payment.succeeded', 'a', T0, { offerId: 'tokens_100', refs: { payment: 'pi_x' } }))).toMatchObject({ outcome: 'unresolved', detail: expect.stringMatching(/no user/) });
    expect(svc.applyEvent(ev('payment.succeeded', 'b', T0, { userId: 'u', priceIds: ['price_nope'], refs: { payment: 'pi_y' } }))).toMatchObject({ outcome: 'unresolved', detail: expect.stringMatching(/price_nope/) });
    expect(svc.applyEvent(ev('payment.succeeded', 'c', T0, { userId: 'u', offerId: 'nope', refs: { payment: 'pi_z' } }))).toMatchObject({ outcome: 'unresolved', detail: expect.stringMatching(/"nope" is not an offer/) });
    expect(svc.applyEvent(ev('ignored', 'd', T0)).outcome).toBe('ignored');
    store.close();
  });
});
