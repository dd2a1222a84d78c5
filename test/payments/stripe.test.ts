import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../src/payments/event.js';
import { parseDelivery } from '../../src/payments/gateway.js';
import { stripeAdapter } from '../../src/payments/stripe.js';
import { eventOf, fixture, fixtureText } from './helpers.js';

const PI = 'pi_3QbYb2LkdIwHu7ix0Zq8m1Yd';
const CH = 'ch_3QbYb2LkdIwHu7ix0pE4bN1c';
const SUB = 'sub_1QbZ0eLkdIwHu7ixV2nJk4Lm';
const PRO = 'price_1QbXyzLkdIwHu7ixPro0001';
const DP = 'dp_1QhJ2kLkdIwHu7ixC3v4B5n6';

/** The expected event for a fixture: the fields every Stripe event has, plus `rest`. */
function expected(file: string, kind: PaymentEvent['kind'], rest: Partial<PaymentEvent>): PaymentEvent {
  const raw = fixture(`stripe/${file}.json`);
  return { provider: 'stripe', eventId: raw['id'] as string, kind, providerType: raw['type'] as string, occurredAt: (raw['created'] as number) * 1000, priceIds: [], refs: {}, ...rest };
}

describe('Stripe events → the event model', () => {
  const cases: [string, PaymentEvent][] = [
    [
      'checkout.session.completed',
      expected('checkout.session.completed', 'payment.succeeded', { userId: 'user_42', offerId: 'tokens_500', amountMinor: 1190, currency: 'EUR', taxMinor: 190, refs: { payment: PI } }),
    ],
    ['checkout.session.completed-unpaid', expected('checkout.session.completed-unpaid', 'ignored', { userId: 'user_77', amountMinor: 1190, currency: 'EUR', taxMinor: 190, refs: { payment: 'pi_3QbYc9LkdIwHu7ix1Bv2Wn8K' } })],
    [
      'checkout.session.async_payment_succeeded',
      expected('checkout.session.async_payment_succeeded', 'payment.succeeded', { userId: 'user_77', amountMinor: 1190, currency: 'EUR', taxMinor: 190, refs: { payment: 'pi_3QbYc9LkdIwHu7ix1Bv2Wn8K' } }),
    ],
    ['payment_intent.succeeded', expected('payment_intent.succeeded', 'payment.succeeded', { userId: 'user_42', offerId: 'tokens_500', amountMinor: 1190, currency: 'EUR', refs: { payment: PI, charge: CH } })],
    [
      'invoice.paid',
      expected('invoice.paid', 'invoice.paid', {
        userId: 'user_42',
        priceIds: [PRO],
        amountMinor: 2380,
        currency: 'EUR',
        taxMinor: 380,
        refs: { invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S', subscription: SUB },
        periodEnd: 1738371600000,
      }),
    ],
    [
      'invoice.paid-legacy',
      expected('invoice.paid-legacy', 'invoice.paid', {
        userId: 'user_7',
        offerId: 'starter_monthly',
        priceIds: ['price_1OaBcDLkdIwHu7ixStarter'],
        amountMinor: 900,
        currency: 'USD',
        taxMinor: 0,
        refs: { invoice: 'in_1Pz8KqLkdIwHu7ixR4s5T6u7', subscription: 'sub_1OaBcELkdIwHu7ixQ1w2E3r4', payment: 'pi_3Pz8KrLkdIwHu7ix0A1s2D3f', charge: 'ch_3Pz8KrLkdIwHu7ix1q2W3e4R' },
        periodEnd: 1730419200000,
      }),
    ],
    [
      'customer.subscription.created',
      expected('customer.subscription.created', 'subscription.started', { userId: 'user_42', priceIds: [PRO], currency: 'EUR', refs: { subscription: SUB, invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S' }, periodEnd: 1738371600000 }),
    ],
    [
      'customer.subscription.updated-activated',
      expected('customer.subscription.updated-activated', 'subscription.started', { userId: 'user_42', priceIds: [PRO], currency: 'EUR', refs: { subscription: SUB, invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S' }, periodEnd: 1738371600000 }),
    ],
    [
      'customer.subscription.updated-plan',
      expected('customer.subscription.updated-plan', 'subscription.changed', {
        userId: 'user_42',
        priceIds: ['price_1QbXyzLkdIwHu7ixTeam0002'],
        currency: 'EUR',
        refs: { subscription: SUB, invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S' },
        periodEnd: 1738371600000,
      }),
    ],
    [
      'customer.subscription.updated-past_due',
      expected('customer.subscription.updated-past_due', 'subscription.past_due', { userId: 'user_42', priceIds: [PRO], currency: 'EUR', refs: { subscription: SUB, invoice: 'in_1QnM2aLkdIwHu7ixP4o5I6u7' }, periodEnd: 1738371600000 }),
    ],
    [
      'customer.subscription.updated-cancel',
      expected('customer.subscription.updated-cancel', 'subscription.cancel_scheduled', { userId: 'user_42', priceIds: [PRO], currency: 'EUR', refs: { subscription: SUB, invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S' }, periodEnd: 1738371600000 }),
    ],
    [
      'customer.subscription.deleted',
      expected('customer.subscription.deleted', 'subscription.ended', { userId: 'user_42', priceIds: [PRO], currency: 'EUR', refs: { subscription: SUB, invoice: 'in_1QbZ0fLkdIwHu7ixX1cQ2r3S' }, periodEnd: 1738371600000 }),
    ],
    [
      'charge.refunded-partial',
      expected('charge.refunded-partial', 'refund.succeeded', {
        userId: 'user_42',
        amountMinor: 500,
        currency: 'EUR',
        refs: { charge: CH, payment: PI, refund: 're_3QbYb2LkdIwHu7ix0r1Ef2Gh' },
        refund: { full: false, amountMinor: 500, cumulative: true },
      }),
    ],
    [
      'charge.refunded-full',
      expected('charge.refunded-full', 'refund.succeeded', { userId: 'user_42', amountMinor: 1190, currency: 'EUR', refs: { charge: CH, payment: PI }, refund: { full: true, amountMinor: 1190, cumulative: true } }),
    ],
    ['charge.dispute.created', expected('charge.dispute.created', 'dispute.opened', { amountMinor: 1190, currency: 'EUR', refs: { dispute: DP, charge: CH, payment: PI } })],
    [
      'charge.dispute.created-inquiry',
      expected('charge.dispute.created-inquiry', 'dispute.inquiry', { amountMinor: 1190, currency: 'EUR', refs: { dispute: 'dp_1QhK9aLkdIwHu7ixW1a2S3d4', charge: CH, payment: PI } }),
    ],
    ['charge.dispute.closed-won', expected('charge.dispute.closed-won', 'dispute.won', { amountMinor: 1190, currency: 'EUR', refs: { dispute: DP, charge: CH, payment: PI } })],
    ['charge.dispute.closed-lost', expected('charge.dispute.closed-lost', 'dispute.lost', { amountMinor: 1190, currency: 'EUR', refs: { dispute: DP, charge: CH, payment: PI } })],
    [
      'charge.dispute.closed-warning_closed',
      expected('charge.dispute.closed-warning_closed', 'dispute.inquiry', { amountMinor: 1190, currency: 'EUR', refs: { dispute: 'dp_1QhK9aLkdIwHu7ixW1a2S3d4', charge: CH, payment: PI } }),
    ],
    ['customer.created', expected('customer.created', 'ignored', {})],
  ];

  it.each(cases)('%s', (file, want) => {
    expect(eventOf(parseDelivery(fixture(`stripe/${file}.json`)))).toStrictEqual(want);
  });

  it('a bare body carries no signature', () => {
    const r = parseDelivery(fixture('stripe/invoice.paid.json'));
    expect(r).toMatchObject({ signature: 'none' });
  });

  it('a subscription that is not yet live (incomplete) is not a start; unpaid and paused statuses', () => {
    const base = fixture('stripe/customer.subscription.created.json');
    const withStatus = (type: string, status: string) => {
      const body = structuredClone(base) as { type: string; data: { object: Record<string, unknown> } };
      body.type = type;
      body.data.object['status'] = status;
      return eventOf(parseDelivery(body)).kind;
    };
    expect(withStatus('customer.subscription.created', 'incomplete')).toBe('ignored');
    expect(withStatus('customer.subscription.created', 'trialing')).toBe('subscription.started');
    expect(withStatus('customer.subscription.updated', 'unpaid')).toBe('subscription.ended');
    expect(withStatus('customer.subscription.updated', 'canceled')).toBe('subscription.ended');
    expect(withStatus('customer.subscription.updated', 'paused')).toBe('ignored');
  });

  it('a dispute closed in another status (prevented) is ignored', () => {
    const body = fixture('stripe/charge.dispute.closed-won.json') as { data: { object: Record<string, unknown> } };
    body.data.object['status'] = 'prevented';
    expect(eventOf(parseDelivery(body)).kind).toBe('ignored');
  });

  it('a payload that breaks the documented shape is malformed, naming the field', () => {
    const body = fixture('stripe/invoice.paid.json') as { data: { object: Record<string, unknown> } };
    body.data.object['amount_paid'] = '2380';
    expect(parseDelivery(body)).toStrictEqual({ outcome: 'malformed', message: 'Stripe event: data.object.amount_paid: expected a non-negative whole number, found the string "2380"' });

    const refund = fixture('stripe/charge.refunded-full.json') as { data: { object: Record<string, unknown> } };
    refund.data.object['amount_refunded'] = 1191;
    expect(parseDelivery(refund)).toStrictEqual({ outcome: 'malformed', message: "Stripe event: data.object.amount_refunded: 1191 is more than the charge's amount 1190" });

    const currency = fixture('stripe/payment_intent.succeeded.json') as { data: { object: Record<string, unknown> } };
    currency.data.object['currency'] = 'eurx';
    expect(parseDelivery(currency)).toStrictEqual({ outcome: 'malformed', message: 'Stripe event: data.object.currency: expected an ISO 4217 currency code, found the string "eurx"' });

    expect(parseDelivery({ object: 'event', type: 'invoice.paid', created: 1 })).toStrictEqual({ outcome: 'malformed', message: 'Stripe event: id: expected a non-empty string, found nothing' });
    expect(parseDelivery({ object: 'event', id: 'evt_1', type: 'invoice.paid', created: -5 })).toStrictEqual({
      outcome: 'malformed',
      message: 'Stripe event: created: expected a non-negative whole number, found the number -5',
    });
    expect(parseDelivery({ object: 'event', id: 'evt_1', type: 'invoice.paid', created: 5, data: [] })).toStrictEqual({
      outcome: 'malformed',
      message: 'Stripe event: data: expected an object, found an array',
    });
  });

  it('an ignored type needs only the envelope fields', () => {
    expect(eventOf(parseDelivery({ object: 'event', id: 'evt_9', type: 'radar.early_fraud_warning.created', created: 1700000000 }))).toStrictEqual({
      provider: 'stripe',
      eventId: 'evt_9',
      kind: 'ignored',
      providerType: 'radar.early_fraud_warning.created',
      occurredAt: 1700000000000,
      priceIds: [],
      refs: {},
    });
  });
});

describe('Stripe signatures (headers from the official stripe package)', () => {
  const stripe = new Stripe('sk_test_not_used_offline');
  const SECRET = 'whsec_test_5f1c2a9e7b3d4c8e';
  const OLD_SECRET = 'whsec_test_rolled_0a1b2c3d';
  const payload = fixtureText('stripe/charge.refunded-full.json');
  const created = (JSON.parse(payload) as { created: number }).created;
  const header = (timestamp: number, secret = SECRET, body = payload) => stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  const envelope = (sig: string, body = payload, name = 'Stripe-Signature') => ({ headers: { [name]: sig, 'Content-Type': 'application/json' }, body });

  it('a valid signature is accepted and the event is marked verified', () => {
    const r = parseDelivery(envelope(header(created + 2)), { stripe: [SECRET] });
    expect(r).toMatchObject({ signature: 'verified', event: { eventId: 'evt_3QbYb2LkdIwHu7ix0h8Jk9Lz', kind: 'refund.succeeded' } });
  });

  it('header names are case-insensitive', () => {
    expect(parseDelivery(envelope(header(created), payload, 'stripe-signature'), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(header(created), payload, 'STRIPE-SIGNATURE'), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
  });

  it('rotation: any configured secret, and any of several v1 signatures', () => {
    // Signed with the old secret only: accepted while both secrets are configured.
    expect(parseDelivery(envelope(header(created, OLD_SECRET)), { stripe: [SECRET, OLD_SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(header(created, OLD_SECRET)), { stripe: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
    // Stripe sends one v1 per active secret while one is being rolled.
    const withOld = header(created, OLD_SECRET);
    const withNew = header(created, SECRET);
    const both = `${withOld},v1=${withNew.split('v1=')[1]}`;
    expect(parseDelivery(envelope(both), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(both), { stripe: [OLD_SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(`${both},v0=deadbeef`), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
  });

  it('a tampered body is rejected', () => {
    const sig = header(created);
    const tampered = payload.replace('"amount_refunded": 1190', '"amount_refunded": 1100');
    expect(tampered).not.toBe(payload);
    expect(parseDelivery(envelope(sig, tampered), { stripe: [SECRET] })).toStrictEqual({
      outcome: 'invalid_signature',
      message: 'stripe: no v1 signature matches the body under the configured secret',
    });
    // Re-serialising the same JSON changes the bytes, and so the signature.
    expect(parseDelivery(envelope(sig, JSON.stringify(JSON.parse(payload))), { stripe: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
  });

  it('a wrong secret is rejected', () => {
    expect(parseDelivery(envelope(header(created, 'whsec_someone_else')), { stripe: [SECRET, OLD_SECRET] })).toStrictEqual({
      outcome: 'invalid_signature',
      message: 'stripe: no v1 signature matches the body under the 2 configured secrets',
    });
  });

  it("the tolerance is 300 s around the event's own created time, never the wall clock", () => {
    expect(parseDelivery(envelope(header(created + 300)), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(header(created - 300)), { stripe: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(header(created + 301)), { stripe: [SECRET] })).toStrictEqual({
      outcome: 'invalid_signature',
      message: `stripe: the signature's timestamp ${created + 301} is 301 s from the event's "created" time (tolerance 300 s)`,
    });
    expect(parseDelivery(envelope(header(created + 3600)), { stripe: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
    // A signature made now, for an event from 2025, is stale against the event.
    expect(parseDelivery(envelope(header(Math.floor(Date.now() / 1000))), { stripe: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
    // The tolerance is an option.
    expect(parseDelivery(envelope(header(created + 3600)), { stripe: [SECRET] }, { toleranceSeconds: 3600 })).toMatchObject({ signature: 'verified' });
  });

  it('bad header syntax or a missing header is an invalid signature, never a throw', () => {
    const run = (headers: Record<string, unknown>) => parseDelivery({ headers, body: payload }, { stripe: [SECRET] });
    expect(run({})).toStrictEqual({ outcome: 'invalid_signature', message: 'stripe: no Stripe-Signature header' });
    expect(run({ 'Stripe-Signature': '' })).toStrictEqual({ outcome: 'invalid_signature', message: 'stripe: the Stripe-Signature header is not a non-empty string' });
    expect(run({ 'Stripe-Signature': ['t=1,v1=ab'] })).toMatchObject({ outcome: 'invalid_signature' });
    expect(run({ 'Stripe-Signature': 'garbage' })).toStrictEqual({ outcome: 'invalid_signature', message: 'stripe: the Stripe-Signature header is not of the form t=…,v1=…' });
    expect(run({ 'Stripe-Signature': 'v1=abc' })).toStrictEqual({ outcome: 'invalid_signature', message: 'stripe: the Stripe-Signature header must have exactly one t= timestamp (form t=…,v1=…)' });
    expect(run({ 'Stripe-Signature': `t=${created}` })).toStrictEqual({ outcome: 'invalid_signature', message: 'stripe: the Stripe-Signature header has no v1= signature (form t=…,v1=…)' });
    expect(run({ 'Stripe-Signature': `t=soon,v1=ab` })).toStrictEqual({ outcome: 'invalid_signature', message: "stripe: the Stripe-Signature header's t= is not a Unix time in seconds" });
    expect(run({ 'Stripe-Signature': header(created), 'stripe-signature': header(created) })).toStrictEqual({
      outcome: 'invalid_signature',
      message: 'stripe: the Stripe-Signature header is given more than once (Stripe-Signature, stripe-signature)',
    });
    // A v1 of the wrong length is compared without throwing (timingSafeEqual needs equal lengths).
    expect(run({ 'Stripe-Signature': `t=${created},v1=ab` })).toMatchObject({ outcome: 'invalid_signature' });
  });

  it('without a secret for Stripe the envelope is accepted but marked not_checked', () => {
    expect(parseDelivery(envelope('t=1,v1=forged'))).toMatchObject({ signature: 'not_checked', event: { kind: 'refund.succeeded' } });
    expect(parseDelivery(envelope('t=1,v1=forged'), { paddle: ['pdl_ntfset_secret'] })).toMatchObject({ signature: 'not_checked' });
  });

  it('the adapter verifies directly, too', () => {
    expect(stripeAdapter.verify({ 'Stripe-Signature': header(created) }, payload, [SECRET])).toStrictEqual({ ok: true });
    expect(stripeAdapter.verify({ 'Stripe-Signature': header(created) }, payload, [])).toMatchObject({ ok: false, outcome: 'invalid_signature' });
  });

  it('a signed body without a created time cannot be checked for staleness: malformed', () => {
    const body = JSON.stringify({ object: 'event', id: 'evt_x', type: 'customer.created' });
    expect(parseDelivery(envelope(header(created, SECRET, body), body), { stripe: [SECRET] })).toStrictEqual({
      outcome: 'malformed',
      message: 'stripe: the body has no "created" time to check the signature timestamp against',
    });
  });
});
