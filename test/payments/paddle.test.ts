import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../src/payments/event.js';
import { parseDelivery } from '../../src/payments/gateway.js';
import { paddleAdapter } from '../../src/payments/paddle.js';
import { eventOf, fixture, fixtureText } from './helpers.js';

const TXN = 'txn_01hv8wptq8987qeep44cyrewp9';
const SUB = 'sub_01hv8x29kz0t586xy6zn1a62ny';
const PRO = 'pri_01hv0vax6rv18t4tamj848ne4d';
const PERIOD_END = 1715509128294; // 2024-05-12T10:18:48.294633Z

/** The expected event for a fixture: the fields every Paddle event has, plus `rest`. */
function expected(file: string, kind: PaymentEvent['kind'], occurredAt: number, rest: Partial<PaymentEvent>): PaymentEvent {
  const raw = fixture(`paddle/${file}.json`);
  return { provider: 'paddle', eventId: raw['event_id'] as string, kind, providerType: raw['event_type'] as string, occurredAt, priceIds: [], refs: {}, ...rest };
}

const ADJ_REFS = { transaction: TXN, subscription: SUB };

describe('Paddle Billing events → the event model', () => {
  const cases: [string, PaymentEvent][] = [
    [
      'transaction.completed',
      expected('transaction.completed', 'payment.succeeded', 1712917129621, {
        userId: 'user_42',
        priceIds: [PRO],
        amountMinor: 3600,
        currency: 'USD',
        taxMinor: 600,
        refs: { transaction: TXN, subscription: SUB },
        periodEnd: PERIOD_END,
      }),
    ],
    [
      'transaction.completed-credit',
      expected('transaction.completed-credit', 'payment.succeeded', 1713600002512, {
        userId: '1017',
        offerId: 'tokens_500',
        priceIds: ['pri_01hvtokens500a5e3kw2zq8jzd9'],
        amountMinor: 1000,
        currency: 'EUR',
        taxMinor: 190,
        refs: { transaction: 'txn_01hw3q7a1vd8cfw7g4ymz1n2b3' },
      }),
    ],
    [
      'subscription.created',
      expected('subscription.created', 'subscription.started', 1712917129360, { userId: 'user_42', priceIds: [PRO], currency: 'USD', refs: { subscription: SUB, transaction: TXN }, periodEnd: PERIOD_END }),
    ],
    [
      'subscription.updated',
      expected('subscription.updated', 'subscription.changed', 1713603600520, { userId: 'user_42', priceIds: ['pri_01hv0vbzr7kc1fzv1d7bcetj0q'], currency: 'USD', refs: { subscription: SUB }, periodEnd: PERIOD_END }),
    ],
    [
      'subscription.updated-cancel',
      expected('subscription.updated-cancel', 'subscription.cancel_scheduled', 1714046400731, { userId: 'user_42', priceIds: [PRO], currency: 'USD', refs: { subscription: SUB }, periodEnd: PERIOD_END }),
    ],
    [
      'subscription.past_due',
      expected('subscription.past_due', 'subscription.past_due', 1715509200118, { userId: 'user_42', priceIds: [PRO], currency: 'USD', refs: { subscription: SUB }, periodEnd: PERIOD_END }),
    ],
    ['subscription.canceled', expected('subscription.canceled', 'subscription.ended', 1715509130004, { userId: 'user_42', priceIds: [PRO], currency: 'USD', refs: { subscription: SUB } })],
    [
      'adjustment.created-refund-pending',
      expected('adjustment.created-refund-pending', 'ignored', 1713170900874, { amountMinor: 1200, currency: 'USD', taxMinor: 200, refs: { ...ADJ_REFS, refund: 'adj_01hvgf2s84dr6reszzg29zbvcm' } }),
    ],
    [
      'adjustment.updated-refund-approved',
      expected('adjustment.updated-refund-approved', 'refund.succeeded', 1713171731902, {
        amountMinor: 1200,
        currency: 'USD',
        taxMinor: 200,
        refs: { ...ADJ_REFS, refund: 'adj_01hvgf2s84dr6reszzg29zbvcm' },
        refund: { full: false, amountMinor: 1200, cumulative: false },
      }),
    ],
    [
      'adjustment.updated-refund-rejected',
      expected('adjustment.updated-refund-rejected', 'ignored', 1713261600250, { amountMinor: 3600, currency: 'USD', taxMinor: 600, refs: { ...ADJ_REFS, refund: 'adj_01hvh0x7k2m4n6b8v0c2x4z6a8' } }),
    ],
    [
      'adjustment.created-refund-full',
      expected('adjustment.created-refund-full', 'refund.succeeded', 1713353400400, {
        amountMinor: 3600,
        currency: 'USD',
        taxMinor: 600,
        refs: { ...ADJ_REFS, refund: 'adj_01hvj2c4v6b8n0m2k4j6h8g0f2' },
        refund: { full: true, amountMinor: 3600, cumulative: false },
      }),
    ],
    [
      'adjustment.created-chargeback',
      expected('adjustment.created-chargeback', 'dispute.opened', 1713794733770, { amountMinor: 3600, currency: 'USD', taxMinor: 600, refs: { ...ADJ_REFS, dispute: 'adj_01hw1k3m5n7b9v1c3x5z7a9s1d' } }),
    ],
    [
      'adjustment.created-chargeback_warning',
      expected('adjustment.created-chargeback_warning', 'dispute.inquiry', 1713683700900, { amountMinor: 3600, currency: 'USD', taxMinor: 600, refs: { ...ADJ_REFS, dispute: 'adj_01hw0a1s3d5f7g9h1j3k5l7z9x' } }),
    ],
    [
      'adjustment.created-chargeback_reverse',
      expected('adjustment.created-chargeback_reverse', 'dispute.won', 1717087212300, { amountMinor: 3600, currency: 'USD', taxMinor: 600, refs: { ...ADJ_REFS, dispute: 'adj_01hy4r6t8y0u2i4o6p8a0s2d4f' } }),
    ],
    [
      'adjustment.updated-chargeback-reversed',
      expected('adjustment.updated-chargeback-reversed', 'ignored', 1717087212600, { amountMinor: 3600, currency: 'USD', taxMinor: 600, refs: { ...ADJ_REFS, dispute: 'adj_01hw1k3m5n7b9v1c3x5z7a9s1d' } }),
    ],
    ['adjustment.created-credit', expected('adjustment.created-credit', 'ignored', 1714298400000, { amountMinor: 500, currency: 'USD', taxMinor: 83, refs: ADJ_REFS })],
    ['customer.created', expected('customer.created', 'ignored', 1712916930420, {})],
  ];

  it.each(cases)('%s', (file, want) => {
    expect(eventOf(parseDelivery(fixture(`paddle/${file}.json`)))).toStrictEqual(want);
  });

  it('subscription.updated carrying a canceled or past_due status says so', () => {
    const body = fixture('paddle/subscription.updated.json') as { data: Record<string, unknown> };
    body.data['status'] = 'past_due';
    expect(eventOf(parseDelivery(body)).kind).toBe('subscription.past_due');
    body.data['status'] = 'canceled';
    expect(eventOf(parseDelivery(body)).kind).toBe('subscription.ended');
    body.data['status'] = 'paused';
    expect(eventOf(parseDelivery(body)).kind).toBe('ignored');
  });

  it('amounts are checked before they become numbers', () => {
    const withTotals = (totals: Record<string, unknown>) => {
      const body = fixture('paddle/transaction.completed.json') as { data: { details: { totals: Record<string, unknown> } } };
      Object.assign(body.data.details.totals, totals);
      return parseDelivery(body);
    };
    expect(withTotals({ total: 3600 })).toStrictEqual({
      outcome: 'malformed',
      message: 'Paddle event: data.details.totals.total: expected an amount in minor units as a string of digits, like "1200", found the number 3600',
    });
    expect(withTotals({ total: '36.00' })).toMatchObject({ outcome: 'malformed' });
    expect(withTotals({ total: '-3600' })).toMatchObject({ outcome: 'malformed' });
    expect(withTotals({ total: '99999999999999999999' })).toMatchObject({ outcome: 'malformed' });
    expect(withTotals({ tax: '4000' })).toStrictEqual({ outcome: 'malformed', message: 'Paddle event: data.details.totals.tax: 4000 is more than the total 3600' });
  });

  it('a missing id or an unreadable time is malformed', () => {
    const body = fixture('paddle/transaction.completed.json');
    expect(parseDelivery({ ...body, event_id: '' })).toStrictEqual({ outcome: 'malformed', message: 'Paddle event: event_id: expected a non-empty string, found the string ""' });
    expect(parseDelivery({ ...body, occurred_at: '12 April 2024' })).toStrictEqual({
      outcome: 'malformed',
      message: 'Paddle event: occurred_at: expected an RFC 3339 time with a zone, like "2024-04-12T10:18:49.621Z", found the string "12 April 2024"',
    });
    expect(parseDelivery({ ...body, occurred_at: '2024-02-30T10:00:00Z' })).toMatchObject({ outcome: 'malformed' });
    expect(parseDelivery({ ...body, occurred_at: '2024-04-12T10:18:49' })).toMatchObject({ outcome: 'malformed' });
    const noData = { ...body };
    delete noData['data'];
    expect(parseDelivery(noData)).toStrictEqual({ outcome: 'malformed', message: 'Paddle event: data: expected an object, found nothing' });
  });

  it('an offset time is read in UTC', () => {
    const body = fixture('paddle/customer.created.json');
    expect(eventOf(parseDelivery({ ...body, occurred_at: '2024-04-12T12:15:30.42+02:00' })).occurredAt).toBe(1712916930420);
  });
});

/** A Paddle-Signature header by Paddle's documented scheme: HMAC-SHA256 of `ts:body`, hex. */
function paddleHeader(ts: number, secret: string, body: string): string {
  return `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex')}`;
}

describe('Paddle signatures', () => {
  const SECRET = 'pdl_ntfset_01hv8x_secret_A';
  const OLD_SECRET = 'pdl_ntfset_01hv8x_secret_old';
  const payload = fixtureText('paddle/adjustment.updated-refund-approved.json');
  const at = 1713171731; // occurred_at 2024-04-15T09:02:11.902Z, in seconds
  const envelope = (sig: string, body = payload, name = 'Paddle-Signature') => ({ headers: { [name]: sig }, body });

  it('a valid signature is accepted and marked verified; header names in any case', () => {
    expect(parseDelivery(envelope(paddleHeader(at + 1, SECRET, payload)), { paddle: [SECRET] })).toMatchObject({
      signature: 'verified',
      event: { kind: 'refund.succeeded', eventId: 'evt_01hvgfwq0c8s3m5d2n7b4v6x1z' },
    });
    expect(parseDelivery(envelope(paddleHeader(at, SECRET, payload), payload, 'paddle-signature'), { paddle: [SECRET] })).toMatchObject({ signature: 'verified' });
  });

  it('rotation: any h1 against any configured secret', () => {
    const oldSig = paddleHeader(at, OLD_SECRET, payload);
    const newH1 = paddleHeader(at, SECRET, payload).split('h1=')[1];
    expect(parseDelivery(envelope(`${oldSig};h1=${newH1}`), { paddle: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(oldSig), { paddle: [SECRET, OLD_SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(oldSig), { paddle: [SECRET] })).toStrictEqual({ outcome: 'invalid_signature', message: 'paddle: no h1 signature matches the body under the configured secret' });
  });

  it('a tampered body or a wrong secret is rejected', () => {
    const sig = paddleHeader(at, SECRET, payload);
    expect(parseDelivery(envelope(sig, payload.replace('"1200"', '"9200"')), { paddle: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
    expect(parseDelivery(envelope(paddleHeader(at, 'pdl_other', payload)), { paddle: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
    // Stripe's scheme (t.body) is not Paddle's (ts:body).
    const dotted = `ts=${at};h1=${createHmac('sha256', SECRET).update(`${at}.${payload}`).digest('hex')}`;
    expect(parseDelivery(envelope(dotted), { paddle: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
  });

  it("the tolerance is 300 s around the event's occurred_at", () => {
    // Whole seconds on both sides: occurred_at 09:02:11.902 counts as 09:02:11.
    expect(parseDelivery(envelope(paddleHeader(at + 300, SECRET, payload)), { paddle: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(paddleHeader(at - 300, SECRET, payload)), { paddle: [SECRET] })).toMatchObject({ signature: 'verified' });
    expect(parseDelivery(envelope(paddleHeader(at + 301, SECRET, payload)), { paddle: [SECRET] })).toStrictEqual({
      outcome: 'invalid_signature',
      message: `paddle: the signature's timestamp ${at + 301} is 301 s from the event's "occurred_at" time (tolerance 300 s)`,
    });
    expect(parseDelivery(envelope(paddleHeader(at - 301, SECRET, payload)), { paddle: [SECRET] })).toMatchObject({ outcome: 'invalid_signature' });
  });

  it('bad header syntax is an invalid signature', () => {
    const run = (sig: string) => parseDelivery(envelope(sig), { paddle: [SECRET] });
    expect(run('ts=1;h1')).toStrictEqual({ outcome: 'invalid_signature', message: 'paddle: the Paddle-Signature header is not of the form ts=…;h1=…' });
    expect(run(`h1=abc`)).toStrictEqual({ outcome: 'invalid_signature', message: 'paddle: the Paddle-Signature header must have exactly one ts= timestamp (form ts=…;h1=…)' });
    expect(run(`ts=${at};ts=${at};h1=abc`)).toMatchObject({ outcome: 'invalid_signature' });
    expect(run(`ts=${at}`)).toStrictEqual({ outcome: 'invalid_signature', message: 'paddle: the Paddle-Signature header has no h1= signature (form ts=…;h1=…)' });
    // Stripe's separator is not Paddle's.
    expect(run(`ts=${at},h1=abc`)).toMatchObject({ outcome: 'invalid_signature' });
    expect(parseDelivery({ headers: {}, body: payload }, { paddle: [SECRET] })).toStrictEqual({ outcome: 'invalid_signature', message: 'paddle: no Paddle-Signature header' });
  });

  it('the adapter verifies directly, too', () => {
    expect(paddleAdapter.verify({ 'Paddle-Signature': paddleHeader(at, SECRET, payload) }, payload, [SECRET])).toStrictEqual({ ok: true });
  });
});
