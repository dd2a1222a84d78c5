import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../src/payments/event.js';
import { parseDelivery } from '../../src/payments/gateway.js';
import { mockAdapter } from '../../src/payments/mock.js';
import { eventOf, fixture } from './helpers.js';

const base = { provider: 'mock', id: 'm-1', type: 'payment.succeeded', occurred_at: 1741003200000, user_id: 'user_9' };

describe('hand-written normalised (mock) events', () => {
  it('a purchase, with an RFC 3339 time', () => {
    expect(eventOf(parseDelivery(fixture('mock/token-purchase.json')))).toStrictEqual({
      provider: 'mock',
      eventId: 'mock-purchase-1',
      kind: 'payment.succeeded',
      providerType: 'payment.succeeded',
      occurredAt: 1740830400000,
      userId: 'user_9',
      offerId: 'tokens_500',
      priceIds: [],
      amountMinor: 1190,
      currency: 'EUR',
      taxMinor: 190,
      refs: { payment: 'pay-1' },
    });
  });

  it('a partial refund, with a time in milliseconds', () => {
    expect(eventOf(parseDelivery(fixture('mock/partial-refund.json')))).toStrictEqual({
      provider: 'mock',
      eventId: 'mock-refund-1',
      kind: 'refund.succeeded',
      providerType: 'refund.succeeded',
      occurredAt: 1741003200000,
      userId: 'user_9',
      priceIds: [],
      amountMinor: 500,
      currency: 'EUR',
      refs: { payment: 'pay-1' },
      refund: { full: false, amountMinor: 500, cumulative: false },
    });
  });

  it('every kind can be written by hand', () => {
    for (const kind of EVENT_KINDS) {
      const extra = kind === 'refund.succeeded' ? { refund: { full: true, amount_minor: 100 } } : {};
      expect(eventOf(parseDelivery({ ...base, type: kind, ...extra })).kind).toBe(kind);
    }
  });

  it('price ids, period end and all refs are carried; repeated price ids once', () => {
    const e = eventOf(
      parseDelivery({
        ...base,
        type: 'invoice.paid',
        price_ids: ['price_a', 'price_b', 'price_a'],
        period_end: '2025-04-03T12:00:00Z',
        refs: { payment: 'p', charge: 'c', invoice: 'i', subscription: 's', dispute: 'd', transaction: 't', refund: 'r' },
      }),
    );
    expect(e.priceIds).toStrictEqual(['price_a', 'price_b']);
    expect(e.periodEnd).toBe(1743681600000);
    expect(e.refs).toStrictEqual({ payment: 'p', charge: 'c', invoice: 'i', subscription: 's', dispute: 'd', transaction: 't', refund: 'r' });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown key, with a suggestion', { ...base, userid: 'x' }, 'mock event: userid: unknown key; did you mean "user_id"?'],
    ['an unknown kind, listing the kinds', { ...base, type: 'purchase' }, `mock event: type: "purchase" is not an event kind; kinds: ${EVENT_KINDS.join(', ')}`],
    ['an unknown kind, with a suggestion', { ...base, type: 'payment.succeded' }, 'mock event: type: "payment.succeded" is not an event kind; did you mean "payment.succeeded"?'],
    ['no id', { ...base, id: undefined }, 'mock event: id: expected a non-empty string, found nothing'],
    ['no time', { ...base, occurred_at: undefined }, 'mock event: occurred_at: expected milliseconds since the epoch or an RFC 3339 time, found nothing'],
    ['a time in seconds', { ...base, occurred_at: 1741003200 }, 'mock event: occurred_at: 1741003200 looks like seconds; write milliseconds since the epoch (1741003200000) or an RFC 3339 time'],
    ['a refund without its amounts', { ...base, type: 'refund.succeeded' }, 'mock event: refund: a refund.succeeded event needs "refund": {"full": true|false, "amount_minor": n}'],
    ['refund on another kind', { ...base, refund: { full: true, amount_minor: 1 } }, 'mock event: refund: only a refund.succeeded event has "refund" (this one is payment.succeeded)'],
    ['refund without full', { ...base, type: 'refund.succeeded', refund: { amount_minor: 1 } }, 'mock event: refund.full: expected true or false, found nothing'],
    ['a fractional amount', { ...base, amount_minor: 11.9 }, 'mock event: amount_minor: expected a non-negative whole number, found the number 11.9'],
    ['tax above the amount', { ...base, amount_minor: 100, tax_minor: 101 }, 'mock event: tax_minor: 101 is more than amount_minor 100 (the amount includes its tax)'],
    ['an unknown currency', { ...base, currency: 'EURO' }, 'mock event: currency: expected an ISO 4217 currency code, found the string "EURO"'],
    ['price ids not a list of strings', { ...base, price_ids: ['a', 3] }, 'mock event: price_ids: expected a list of non-empty strings, found an array'],
    ['an unknown ref', { ...base, refs: { order: 'o-1' } }, 'mock event: refs.order: unknown key; allowed: payment, charge, invoice, subscription, dispute, transaction, refund'],
  ];
  it.each(bad)('malformed: %s', (_name, body, message) => {
    const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    expect(parseDelivery(clean)).toStrictEqual({ outcome: 'malformed', message });
  });

  it('a mock event has no signature: a secret for mock rejects its envelope', () => {
    const body = JSON.stringify(base);
    expect(parseDelivery({ headers: {}, body })).toMatchObject({ signature: 'not_checked', event: { eventId: 'm-1' } });
    expect(parseDelivery({ headers: {}, body }, { mock: ['s'] })).toStrictEqual({ outcome: 'invalid_signature', message: 'mock: a mock event carries no signature to verify' });
    expect(mockAdapter.verify({}, body, ['s'])).toMatchObject({ ok: false });
  });
});
