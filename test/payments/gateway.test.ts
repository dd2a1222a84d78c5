import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../src/payments/event.js';
import { ADAPTERS, adapterFor, detectAdapter, parseDelivery } from '../../src/payments/gateway.js';
import { parseRfc3339 } from '../../src/payments/read.js';
import { eventOf, fixture, fixtureText } from './helpers.js';

describe('parseDelivery: what it accepts', () => {
  it('detects each provider by its documented top-level shape', () => {
    expect(detectAdapter(fixture('stripe/invoice.paid.json'))?.provider).toBe('stripe');
    expect(detectAdapter(fixture('paddle/transaction.completed.json'))?.provider).toBe('paddle');
    expect(detectAdapter(fixture('mock/token-purchase.json'))?.provider).toBe('mock');
    expect(detectAdapter({ id: 'evt_1', type: 'invoice.paid' })).toBeUndefined();
    expect(ADAPTERS.map((a) => a.provider)).toStrictEqual(['mock', 'stripe', 'paddle']);
    expect(adapterFor('paddle').provider).toBe('paddle');
  });

  it('the same event as a bare body and as an unsigned envelope normalises identically', () => {
    const text = fixtureText('paddle/subscription.created.json');
    const bare = parseDelivery(JSON.parse(text));
    const wrapped = parseDelivery({ headers: { 'Content-Type': 'application/json' }, body: text });
    expect(eventOf(wrapped)).toStrictEqual(eventOf(bare));
    expect(bare).toMatchObject({ signature: 'none' });
    expect(wrapped).toMatchObject({ signature: 'not_checked' });
  });

  it('a signed envelope of each provider verifies under its own secret only', () => {
    const paddle = fixtureText('paddle/adjustment.created-chargeback.json');
    const ts = Math.floor(Date.parse('2024-04-22T14:05:33.77Z') / 1000);
    const h1 = createHmac('sha256', 'pdl_secret').update(`${ts}:${paddle}`).digest('hex');
    const env = { headers: { 'Paddle-Signature': `ts=${ts};h1=${h1}` }, body: paddle };
    expect(parseDelivery(env, { paddle: ['pdl_secret'] })).toMatchObject({ signature: 'verified', event: { kind: 'dispute.opened' } });
    // A secret for another provider does not check this one.
    expect(parseDelivery(env, { stripe: ['pdl_secret'] })).toMatchObject({ signature: 'not_checked' });
    // An empty list of secrets is no secret.
    expect(parseDelivery(env, { paddle: [] })).toMatchObject({ signature: 'not_checked' });
  });

  const malformed: [string, unknown, string][] = [
    ['null', null, 'a webhook must be a JSON object, found null'],
    ['a number', 42, 'a webhook must be a JSON object, found the number 42'],
    ['a string', '{"object":"event"}', 'a webhook must be a JSON object, found the string "{\\"object\\":\\"event\\"}"'],
    ['an array', [fixture('stripe/invoice.paid.json')], 'a webhook must be a JSON object, found an array'],
    [
      'an unrecognised object',
      { id: 'evt_1', type: 'invoice.paid' },
      'the webhook is not a webhook: expected a Stripe event ("object": "event"), a Paddle event ("event_id", "event_type"), a normalised event ("provider": "mock") or an envelope {"headers", "body"}',
    ],
    ['a normalised event for another provider', { provider: 'stripe', id: 'x' }, 'the webhook names provider the string "stripe", but a normalised event must say "provider": "mock" (adapters: mock, stripe, paddle)'],
    ['an envelope with a parsed body', { headers: {}, body: { object: 'event' } }, `the envelope's "body" must be the raw request body as a string (signatures cover its exact bytes), found an object`],
    ['an envelope with headers as a list', { headers: [['Stripe-Signature', 't=1']], body: '{}' }, `the envelope's "headers" must be an object of header names to values, found an array`],
    ['an envelope with more keys', { headers: {}, body: '{}', url: '/hooks' }, 'an envelope has only "headers" and "body"; unexpected "url"'],
    ['an envelope whose body is not JSON', { headers: {}, body: '{"object": "event",\n "id": }' }, "the envelope's body is not JSON (line 2, column 8: expected a value but found '}')"],
    ['an envelope whose body is a JSON list', { headers: {}, body: '[1]' }, "the envelope's body must be a JSON object, found an array"],
  ];
  it.each(malformed)('malformed: %s', (_name, input, message) => {
    expect(parseDelivery(input)).toStrictEqual({ outcome: 'malformed', message });
  });

  it('a __proto__ key is read as data, not as a prototype', () => {
    const body = JSON.parse('{"provider": "mock", "id": "m", "type": "ignored", "occurred_at": 1741003200000, "__proto__": {"user_id": "x"}}') as unknown;
    expect(parseDelivery(body)).toStrictEqual({ outcome: 'malformed', message: 'mock event: __proto__: unknown key; allowed: provider, id, type, occurred_at, user_id, offer_id, price_ids, amount_minor, currency, tax_minor, refs, refund, period_end' });
    const stripe = JSON.parse('{"object": "event", "id": "evt_1", "type": "payment_intent.succeeded", "created": 1700000000, "data": {"object": {"__proto__": {"id": "pi_1"}, "amount": 5}}}') as unknown;
    expect(parseDelivery(stripe)).toStrictEqual({ outcome: 'malformed', message: 'Stripe event: data.object.id: expected a non-empty string, found nothing' });
  });
});

describe('RFC 3339 times', () => {
  it('reads offsets, fractions (truncated to the millisecond), and refuses impossible dates', () => {
    expect(parseRfc3339('2024-04-12T10:18:49.621022Z')).toBe(1712917129621);
    expect(parseRfc3339('2024-04-12T10:18:49.6Z')).toBe(1712917129600);
    expect(parseRfc3339('2024-04-12T10:18:49Z')).toBe(1712917129000);
    expect(parseRfc3339('2024-04-12T12:18:49+02:00')).toBe(1712917129000);
    expect(parseRfc3339('2024-04-12T05:18:49-05:00')).toBe(1712917129000);
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(1709164800000);
    expect(parseRfc3339('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2024-04-12 10:18:49Z')).toBeUndefined();
    expect(parseRfc3339('2024-04-12T24:00:00Z')).toBeUndefined();
    expect(parseRfc3339('0050-01-01T00:00:00Z')).toBeUndefined();
  });
});

/** Arbitrary JSON, plus near-misses of each accepted shape with arbitrary values in their fields. */
const json = fc.jsonValue({ maxDepth: 4 });
const nearMisses = fc.oneof(
  json,
  fc.record({ object: fc.constant('event'), id: json, type: fc.constantFrom('invoice.paid', 'charge.refunded', 'customer.subscription.updated', 'charge.dispute.closed', 'x'), created: json, data: json }),
  fc.record({ object: fc.constant('event'), id: fc.string(), type: fc.constantFrom('checkout.session.completed', 'invoice.paid'), created: fc.nat(), data: fc.record({ object: fc.dictionary(fc.constantFrom('amount_total', 'amount_paid', 'currency', 'metadata', 'lines', 'parent', 'total_taxes', 'id', 'status'), json) }) }),
  fc.record({ event_id: json, event_type: fc.constantFrom('transaction.completed', 'adjustment.created', 'subscription.updated', 'y'), occurred_at: json, data: json }),
  fc.record({ event_id: fc.string(), event_type: fc.constantFrom('transaction.completed', 'adjustment.updated'), occurred_at: fc.constant('2024-04-12T10:18:49Z'), data: fc.dictionary(fc.constantFrom('id', 'items', 'details', 'action', 'status', 'totals', 'transaction_id', 'custom_data'), json) }),
  fc.record({ provider: fc.constant('mock'), id: json, type: fc.constantFrom('refund.succeeded', 'payment.succeeded', 'nope'), occurred_at: json, refund: json, refs: json }, { requiredKeys: ['provider'] }),
  fc.record({ headers: json, body: fc.oneof(fc.string(), json.map((v) => JSON.stringify(v))) }),
);

describe('parseDelivery never throws', () => {
  it('on arbitrary JSON and near-misses, with and without secrets', () => {
    fc.assert(
      fc.property(nearMisses, fc.boolean(), (input, withSecrets) => {
        const r = parseDelivery(input, withSecrets ? { stripe: ['whsec_a'], paddle: ['pdl_a'], mock: ['m'] } : {});
        if (isFailure(r)) {
          expect(['malformed', 'invalid_signature']).toContain(r.outcome);
          expect(r.message.length).toBeGreaterThan(0);
        } else {
          expect(Number.isSafeInteger(r.event.occurredAt)).toBe(true);
          expect(r.event.eventId).not.toBe('');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unusable secrets', () => {
  // A server configured with `process.env.STRIPE_WEBHOOK_SECRET` that is not set passes undefined.
  it.each([
    ['undefined', [undefined]],
    ['an empty string', ['']],
    ['not a list', 'whsec_x'],
  ])('a secret list holding %s is no secret: the envelope is unchecked, never a crash', (_what, keys) => {
    const body = fixtureText('stripe/invoice.paid.json');
    const envelope = { headers: { 'Stripe-Signature': 't=1,v1=00' }, body };
    const r = parseDelivery(envelope, { stripe: keys as unknown as string[] });
    expect(isFailure(r)).toBe(false);
    expect(!isFailure(r) && r.signature).toBe('not_checked');
  });
});
