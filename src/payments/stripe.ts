/**
 * Stripe events (`"object": "event"`) → the event model, and Stripe's webhook signature
 * (`Stripe-Signature: t=…,v1=…`). The mapping table is in docs/payments.md. Both the invoice and
 * subscription shapes before and after Stripe's 2025 API changes are read (`lines[].price` or
 * `lines[].pricing.price_details.price`; `subscription` or `parent.subscription_details`;
 * `current_period_end` on the subscription or on its items).
 */
import type { EventKind, PaymentEvent } from './event.js';
import type { PaymentAdapter } from './gateway.js';
import { distinct, isObject, makeEvent, normalizing, own, PayloadError, Reader, type EventFields } from './read.js';
import { anySignatureMatches, checkTolerance, headerValue, parseSignatureHeader, rejected, type VerifyOptions, type VerifyResult } from './signature.js';

type Base = Pick<EventFields, 'provider' | 'eventId' | 'providerType' | 'occurredAt'>;

/** `metadata.user_id` / `metadata.offer_id` of an object (Stripe metadata values are strings). */
function meta(o: Reader): { userId?: string | undefined; offerId?: string | undefined } {
  const m = o.optObj('metadata');
  return { userId: m?.optId('user_id'), offerId: m?.optId('offer_id') };
}

/** Seconds → milliseconds. */
function ms(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function largest(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : Math.max(...present);
}

function checkoutSession(base: Base, o: Reader): PaymentEvent {
  // Asynchronous payment methods complete the session unpaid; `…async_payment_succeeded` follows when the money arrives.
  const status = o.optStr('payment_status');
  const kind: EventKind = base.providerType === 'checkout.session.completed' && status === 'unpaid' ? 'ignored' : 'payment.succeeded';
  const m = meta(o);
  const lineItems = o.optObj('line_items')?.list('data') ?? [];
  return makeEvent({
    ...base,
    kind,
    userId: m.userId ?? o.optStr('client_reference_id'),
    offerId: m.offerId,
    priceIds: distinct(lineItems.map((li) => li.optObj('price')?.optStr('id'))),
    amountMinor: o.optInt('amount_total'),
    currency: o.optCurrency('currency'),
    taxMinor: o.optObj('total_details')?.optInt('amount_tax'),
    refs: { payment: o.ref('payment_intent'), invoice: o.ref('invoice'), subscription: o.ref('subscription') },
  });
}

function paymentIntent(base: Base, o: Reader): PaymentEvent {
  const m = meta(o);
  return makeEvent({
    ...base,
    kind: 'payment.succeeded',
    ...m,
    amountMinor: o.optInt('amount_received') ?? o.int('amount'),
    currency: o.optCurrency('currency'),
    refs: { payment: o.str('id'), charge: o.ref('latest_charge'), invoice: o.ref('invoice') },
  });
}

function invoicePaid(base: Base, o: Reader): PaymentEvent {
  const lines = o.optObj('lines')?.list('data') ?? [];
  const priceIds = distinct(lines.map((line) => line.optObj('price')?.optStr('id') ?? line.optObj('pricing')?.optObj('price_details')?.ref('price')));
  const parentSub = o.optObj('parent')?.optObj('subscription_details');
  const oldSub = o.optObj('subscription_details');
  const m = meta(o);
  const totalTaxes = o.get('total_taxes');
  const taxMinor = Array.isArray(totalTaxes) ? o.list('total_taxes').reduce((sum, t) => sum + t.int('amount'), 0) : o.optInt('tax');
  return makeEvent({
    ...base,
    kind: 'invoice.paid',
    userId: m.userId ?? parentSub?.optObj('metadata')?.optId('user_id') ?? oldSub?.optObj('metadata')?.optId('user_id'),
    offerId: m.offerId ?? parentSub?.optObj('metadata')?.optId('offer_id') ?? oldSub?.optObj('metadata')?.optId('offer_id'),
    priceIds,
    amountMinor: o.int('amount_paid'),
    currency: o.optCurrency('currency'),
    taxMinor,
    refs: { invoice: o.str('id'), subscription: parentSub?.ref('subscription') ?? o.ref('subscription'), payment: o.ref('payment_intent'), charge: o.ref('charge') },
    periodEnd: ms(largest(lines.map((line) => line.optObj('period')?.optInt('end')))),
  });
}

const ENDED_STATUSES = new Set(['canceled', 'unpaid', 'incomplete_expired']);
const LIVE_STATUSES = new Set(['active', 'trialing']);

function subscriptionKind(type: string, o: Reader, previous: Reader | undefined): EventKind {
  const status = o.str('status');
  if (type === 'customer.subscription.deleted') return 'subscription.ended';
  if (status === 'past_due') return 'subscription.past_due';
  if (type === 'customer.subscription.created') return LIVE_STATUSES.has(status) ? 'subscription.started' : 'ignored';
  if (ENDED_STATUSES.has(status)) return 'subscription.ended';
  if (!LIVE_STATUSES.has(status)) return 'ignored';
  if (o.optBool('cancel_at_period_end') === true || o.optInt('cancel_at') !== undefined) return 'subscription.cancel_scheduled';
  // An incomplete subscription becomes active when its first invoice is paid: that is its start.
  const before = previous?.optStr('status');
  if (before === 'incomplete') return 'subscription.started';
  return 'subscription.changed';
}

function subscription(base: Base, o: Reader, data: Reader): PaymentEvent {
  const kind = subscriptionKind(base.providerType, o, data.optObj('previous_attributes'));
  const items = o.optObj('items')?.list('data') ?? [];
  const periodEnd = o.optInt('current_period_end') ?? largest(items.map((it) => it.optInt('current_period_end')));
  return makeEvent({
    ...base,
    kind,
    ...meta(o),
    priceIds: distinct(items.map((it) => it.optObj('price')?.optStr('id'))),
    currency: o.optCurrency('currency'),
    refs: { subscription: o.str('id'), invoice: o.ref('latest_invoice') },
    periodEnd: ms(kind === 'subscription.cancel_scheduled' ? (o.optInt('cancel_at') ?? periodEnd) : periodEnd),
  });
}

function chargeRefunded(base: Base, o: Reader): PaymentEvent {
  const amount = o.int('amount');
  const refunded = o.int('amount_refunded');
  if (refunded > amount) throw new PayloadError(`${o.at('amount_refunded')}: ${refunded} is more than the charge's amount ${amount}`);
  const refunds = o.optObj('refunds')?.list('data') ?? [];
  return makeEvent({
    ...base,
    kind: 'refund.succeeded',
    ...meta(o),
    amountMinor: refunded,
    currency: o.optCurrency('currency'),
    refs: { charge: o.str('id'), payment: o.ref('payment_intent'), invoice: o.ref('invoice'), refund: refunds[0]?.optStr('id') },
    refund: { full: refunded === amount, amountMinor: refunded, cumulative: true },
  });
}

function dispute(base: Base, o: Reader): PaymentEvent {
  const status = o.str('status');
  let kind: EventKind;
  if (base.providerType === 'charge.dispute.created') kind = status.startsWith('warning_') ? 'dispute.inquiry' : 'dispute.opened';
  else if (status === 'won') kind = 'dispute.won';
  else if (status === 'lost') kind = 'dispute.lost';
  else if (status === 'warning_closed') kind = 'dispute.inquiry';
  else kind = 'ignored';
  return makeEvent({
    ...base,
    kind,
    ...meta(o),
    amountMinor: o.optInt('amount'),
    currency: o.optCurrency('currency'),
    refs: { dispute: o.str('id'), charge: o.ref('charge'), payment: o.ref('payment_intent') },
  });
}

function normalizeStripe(body: unknown): PaymentEvent {
  if (!isObject(body)) throw new PayloadError('the event is not a JSON object');
  const r = new Reader(body, '');
  const base: Base = { provider: 'stripe', eventId: r.str('id'), providerType: r.str('type'), occurredAt: r.int('created') * 1000 };
  const handler = HANDLERS[base.providerType];
  if (handler === undefined) return makeEvent({ ...base, kind: 'ignored' });
  const data = r.obj('data');
  return handler(base, data.obj('object'), data);
}

const HANDLERS: Readonly<Record<string, (base: Base, o: Reader, data: Reader) => PaymentEvent>> = {
  'checkout.session.completed': checkoutSession,
  'checkout.session.async_payment_succeeded': checkoutSession,
  'payment_intent.succeeded': paymentIntent,
  'invoice.paid': invoicePaid,
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': subscription,
  'charge.refunded': chargeRefunded,
  'charge.dispute.created': dispute,
  'charge.dispute.closed': dispute,
};

/** The event's `created` time from a raw body, for the tolerance check; a message when there is none. */
function createdAt(rawBody: string): number | string {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return 'the body is not JSON';
  }
  const created = isObject(body) ? own(body, 'created') : undefined;
  return typeof created === 'number' && Number.isSafeInteger(created) && created >= 0 ? created * 1000 : 'the body has no "created" time to check the signature timestamp against';
}

function verifyStripe(headers: unknown, rawBody: string, secrets: readonly string[], options?: VerifyOptions): VerifyResult {
  const header = headerValue(headers, 'Stripe-Signature');
  if ('missing' in header) return rejected(header.missing);
  const parsed = parseSignatureHeader(header.value, 'Stripe-Signature', ',', 't', 'v1');
  if ('error' in parsed) return rejected(parsed.error);
  if (!anySignatureMatches(secrets, `${parsed.signedAt}.${rawBody}`, parsed.signatures)) {
    return rejected(`no v1 signature matches the body under the ${secrets.length === 1 ? 'configured secret' : `${secrets.length} configured secrets`}`);
  }
  const created = createdAt(rawBody);
  if (typeof created === 'string') return { ok: false, outcome: 'malformed', message: created };
  return checkTolerance(parsed.signedAt, created, '"created" time', options);
}

/** The Stripe adapter. */
export const stripeAdapter: PaymentAdapter = {
  provider: 'stripe',
  detect: (body) => isObject(body) && own(body, 'object') === 'event',
  verify: verifyStripe,
  normalize: (body) => normalizing('Stripe', () => normalizeStripe(body)),
};
