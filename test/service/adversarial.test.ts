/**
 * The same webhook fixtures delivered in many shuffled orders, with duplicates, always end in the
 * ledger state of their in-order single delivery.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../src/payments/event.js';
import { tempFolder } from '../helpers/tmp.js';
import { MIN, T0, dumpState, ev, refund, service, tokenPack } from './fixture.js';
import { rng } from '../../bench/gen-policy.js';

const dir = tempFolder('ledger-adversarial-');
const at = (m: number): number => T0 + m * MIN;

/** Every kind of event the ledger acts on, for six users. Distinct times, so "in order" is unambiguous. */
const FIXTURES: readonly PaymentEvent[] = [
  // u1: a token pack, partly refunded (a separate refund and a running total reporting the same money).
  tokenPack('u1-pay', 'u1', 'pi_1', at(1)),
  refund('u1-ref', 'pi_1', at(20), 300, false),
  ev('refund.succeeded', 'u1-ref-total', at(21), { refs: { payment: 'pi_1', charge: 'ch_1' }, refund: { full: false, amountMinor: 300, cumulative: true } }),
  // u2: a lifetime purchase reported twice (checkout session + payment intent), disputed and won.
  ev('payment.succeeded', 'u2-cs', at(2), { userId: 'u2', offerId: 'lifetime', amountMinor: 5000, currency: 'EUR', refs: { payment: 'pi_2' } }),
  ev('payment.succeeded', 'u2-pi', at(3), { userId: 'u2', priceIds: ['price_life'], amountMinor: 5000, refs: { payment: 'pi_2', charge: 'ch_2' } }),
  ev('dispute.opened', 'u2-dp-open', at(30), { refs: { dispute: 'dp_2', charge: 'ch_2' }, amountMinor: 5000 }),
  ev('dispute.won', 'u2-dp-won', at(40), { refs: { dispute: 'dp_2', charge: 'ch_2' }, amountMinor: 5000 }),
  // u3: a subscription with renewals, a failed payment, a scheduled cancellation.
  ev('subscription.started', 'u3-start', at(4), { userId: 'u3', priceIds: ['price_pro'], refs: { subscription: 'sub_3' }, periodEnd: at(1000) }),
  ev('invoice.paid', 'u3-inv1', at(5), { userId: 'u3', priceIds: ['price_pro'], amountMinor: 2000, refs: { invoice: 'in_31', subscription: 'sub_3' }, periodEnd: at(1000) }),
  ev('subscription.past_due', 'u3-due', at(50), { userId: 'u3', priceIds: ['price_pro'], refs: { subscription: 'sub_3' } }),
  ev('invoice.paid', 'u3-inv2', at(60), { userId: 'u3', priceIds: ['price_pro'], amountMinor: 2000, refs: { invoice: 'in_32', subscription: 'sub_3' }, periodEnd: at(2000) }),
  ev('subscription.cancel_scheduled', 'u3-cancel', at(70), { userId: 'u3', priceIds: ['price_pro'], refs: { subscription: 'sub_3' }, periodEnd: at(2000) }),
  // u4: a token pack refunded in full.
  tokenPack('u4-pay', 'u4', 'pi_4', at(6)),
  refund('u4-ref', 'pi_4', at(7), 1000, true),
  // u5: a subscription payment disputed and lost: revoked for good, tokens clawed back.
  ev('payment.succeeded', 'u5-pay', at(8), { userId: 'u5', offerId: 'pro_monthly', amountMinor: 2000, refs: { transaction: 'txn_5', subscription: 'sub_5' } }),
  ev('dispute.opened', 'u5-cb', at(80), { refs: { dispute: 'adj_5', transaction: 'txn_5' } }),
  ev('dispute.lost', 'u5-lost', at(90), { refs: { dispute: 'adj_5', transaction: 'txn_5' } }),
  ev('subscription.changed', 'u5-changed', at(95), { userId: 'u5', priceIds: ['price_pro'], refs: { subscription: 'sub_5' } }),
  // u6: a subscription that ends, and an inquiry that changes nothing.
  ev('subscription.started', 'u6-start', at(9), { userId: 'u6', offerId: 'pro_monthly', refs: { subscription: 'sub_6' } }),
  ev('subscription.ended', 'u6-end', at(99), { userId: 'u6', offerId: 'pro_monthly', refs: { subscription: 'sub_6' } }),
  tokenPack('u6-pack', 'u6', 'pi_6', at(10)),
  ev('dispute.inquiry', 'u6-inq', at(11), { refs: { dispute: 'dp_6', payment: 'pi_6' } }),
];


function shuffledWithDuplicates(seed: number): PaymentEvent[] {
  const next = rng(seed);
  const out = [...FIXTURES];
  for (const e of FIXTURES) if (next() < 0.3) out.push(e);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function deliver(name: string, events: readonly PaymentEvent[]): ReturnType<typeof dumpState> {
  const { svc, store, path } = service(dir(), name);
  for (const e of events) svc.applyEvent(e);
  store.close();
  return dumpState(path);
}

describe('delivery order does not matter', () => {
  const inOrder = [...FIXTURES].sort((a, b) => a.occurredAt - b.occurredAt);
  const expected = deliver('in-order', inOrder);

  it('the in-order state is the one the rules say', () => {
    const balances = Object.fromEntries(expected.accounts!.map((r) => [r.user_id, Number(r.balance) / 1e6]));
    expect(balances).toEqual({ u1: 70, u2: 0, u3: 100, u4: 0, u5: 0, u6: 100 });
    const states = Object.fromEntries(expected.entitlements!.map((r) => [r.source, r.state]));
    expect(states).toEqual({ 'pay:mock:payment:pi_2': 'active', 'sub:mock:sub_3': 'canceling', 'sub:mock:sub_5': 'revoked', 'sub:mock:sub_6': 'expired' });
    expect(expected.accounts!.find((r) => r.user_id === 'u3')!.tier).toBe('pro');
  });

  for (let seed = 1; seed <= 60; seed++) {
    it(`shuffled with duplicates, seed ${seed}`, () => {
      expect(deliver(`seed-${seed}`, shuffledWithDuplicates(seed))).toEqual(expected);
    });
  }

  it('reversed order', () => {
    expect(deliver('reversed', [...inOrder].reverse())).toEqual(expected);
  });
});
