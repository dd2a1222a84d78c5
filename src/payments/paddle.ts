/**
 * Paddle Billing events (`event_id`, `event_type`, `occurred_at`, `data`) → the event model, and
 * Paddle's webhook signature (`Paddle-Signature: ts=…;h1=…`). Amounts arrive as strings of minor
 * units and are checked before they become numbers. The mapping table, with the reasons for the
 * adjustment rows, is in docs/payments.md.
 */
import type { EventKind, PaymentEvent } from './event.js';
import type { PaymentAdapter } from './gateway.js';
import { distinct, isObject, makeEvent, normalizing, own, parseRfc3339, PayloadError, Reader, type EventFields } from './read.js';
import { anySignatureMatches, checkTolerance, headerValue, parseSignatureHeader, rejected, type VerifyOptions, type VerifyResult } from './signature.js';

type Base = Pick<EventFields, 'provider' | 'eventId' | 'providerType' | 'occurredAt'>;

/** `custom_data.user_id` / `custom_data.offer_id` (custom data is free JSON: a whole number id is accepted too). */
function custom(o: Reader): { userId?: string | undefined; offerId?: string | undefined } {
  const c = o.optObj('custom_data');
  return { userId: c?.optId('user_id'), offerId: c?.optId('offer_id') };
}

/** Price ids of `items[].price.id` (falling back to `items[].price_id`). */
function itemPrices(o: Reader): string[] {
  return distinct(o.list('items').map((it) => it.optObj('price')?.optStr('id') ?? it.optStr('price_id')));
}

function transactionCompleted(base: Base, d: Reader): PaymentEvent {
  const totals = d.obj('details').obj('totals');
  const total = totals.minorString('total');
  const grand = totals.optMinorString('grand_total');
  const tax = totals.minorString('tax');
  if (tax > total) throw new PayloadError(`${totals.at('tax')}: ${tax} is more than the total ${total}`);
  let priceIds = itemPrices(d);
  if (priceIds.length === 0) priceIds = distinct((d.optObj('details')?.list('line_items') ?? []).map((li) => li.optStr('price_id')));
  return makeEvent({
    ...base,
    kind: 'payment.succeeded',
    ...custom(d),
    priceIds,
    // grand_total is what the customer paid after credits; total is before them.
    amountMinor: grand ?? total,
    currency: d.optCurrency('currency_code') ?? totals.optCurrency('currency_code'),
    taxMinor: tax,
    refs: { transaction: d.str('id'), subscription: d.optStr('subscription_id') },
    periodEnd: d.optObj('billing_period')?.optTime('ends_at'),
  });
}

function subscriptionKind(type: string, d: Reader): EventKind {
  if (type === 'subscription.created') return 'subscription.started';
  if (type === 'subscription.past_due') return 'subscription.past_due';
  if (type === 'subscription.canceled') return 'subscription.ended';
  const status = d.str('status');
  if (status === 'canceled') return 'subscription.ended';
  if (status === 'past_due') return 'subscription.past_due';
  if (d.optObj('scheduled_change')?.optStr('action') === 'cancel') return 'subscription.cancel_scheduled';
  if (status === 'active' || status === 'trialing') return 'subscription.changed';
  return 'ignored';
}

function subscription(base: Base, d: Reader): PaymentEvent {
  const kind = subscriptionKind(base.providerType, d);
  const periodEnd = d.optObj('current_billing_period')?.optTime('ends_at');
  const scheduled = d.optObj('scheduled_change');
  return makeEvent({
    ...base,
    kind,
    ...custom(d),
    priceIds: itemPrices(d),
    currency: d.optCurrency('currency_code'),
    refs: { subscription: d.str('id'), transaction: d.optStr('transaction_id') },
    periodEnd: kind === 'subscription.cancel_scheduled' ? (scheduled?.optTime('effective_at') ?? periodEnd) : periodEnd,
  });
}

/**
 * The kind of an adjustment. Only an `approved` adjustment moves money: a refund waiting for
 * Paddle's approval or rejected by it changes nothing, and a chargeback marked `reversed` is
 * reported by the `chargeback_reverse` adjustment Paddle creates for it.
 */
function adjustmentKind(action: string, status: string): EventKind {
  if (status !== 'approved') return 'ignored';
  switch (action) {
    case 'refund':
      return 'refund.succeeded';
    case 'chargeback':
      return 'dispute.opened';
    case 'chargeback_warning':
      return 'dispute.inquiry';
    case 'chargeback_reverse':
      return 'dispute.won';
    default:
      return 'ignored';
  }
}

function adjustment(base: Base, d: Reader): PaymentEvent {
  const action = d.str('action');
  const kind = adjustmentKind(action, d.str('status'));
  const id = d.str('id');
  const totals = d.optObj('totals');
  const total = kind === 'ignored' ? totals?.optMinorString('total') : (totals ?? d.obj('totals')).minorString('total');
  const tax = totals?.optMinorString('tax');
  const isDispute = action.startsWith('chargeback');
  return makeEvent({
    ...base,
    kind,
    priceIds: [],
    amountMinor: total,
    currency: d.optCurrency('currency_code') ?? totals?.optCurrency('currency_code'),
    taxMinor: tax,
    refs: {
      transaction: d.str('transaction_id'),
      subscription: d.optStr('subscription_id'),
      dispute: isDispute ? id : undefined,
      refund: action === 'refund' ? id : undefined,
    },
    refund: kind === 'refund.succeeded' ? { full: d.optStr('type') === 'full', amountMinor: total!, cumulative: false } : undefined,
  });
}

const HANDLERS: Readonly<Record<string, (base: Base, d: Reader) => PaymentEvent>> = {
  'transaction.completed': transactionCompleted,
  'subscription.created': subscription,
  'subscription.updated': subscription,
  'subscription.past_due': subscription,
  'subscription.canceled': subscription,
  'adjustment.created': adjustment,
  'adjustment.updated': adjustment,
};

function normalizePaddle(body: unknown): PaymentEvent {
  if (!isObject(body)) throw new PayloadError('the event is not a JSON object');
  const r = new Reader(body, '');
  const base: Base = { provider: 'paddle', eventId: r.str('event_id'), providerType: r.str('event_type'), occurredAt: r.time('occurred_at') };
  const handler = HANDLERS[base.providerType];
  if (handler === undefined) return makeEvent({ ...base, kind: 'ignored' });
  return handler(base, r.obj('data'));
}

/** The event's `occurred_at` from a raw body, for the tolerance check; a message when there is none. */
function occurredAt(rawBody: string): number | string {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return 'the body is not JSON';
  }
  const at = isObject(body) ? own(body, 'occurred_at') : undefined;
  const t = typeof at === 'string' ? parseRfc3339(at) : undefined;
  return t ?? 'the body has no RFC 3339 "occurred_at" time to check the signature timestamp against';
}

function verifyPaddle(headers: unknown, rawBody: string, secrets: readonly string[], options?: VerifyOptions): VerifyResult {
  const header = headerValue(headers, 'Paddle-Signature');
  if ('missing' in header) return rejected(header.missing);
  const parsed = parseSignatureHeader(header.value, 'Paddle-Signature', ';', 'ts', 'h1');
  if ('error' in parsed) return rejected(parsed.error);
  if (!anySignatureMatches(secrets, `${parsed.signedAt}:${rawBody}`, parsed.signatures)) {
    return rejected(`no h1 signature matches the body under the ${secrets.length === 1 ? 'configured secret' : `${secrets.length} configured secrets`}`);
  }
  const at = occurredAt(rawBody);
  if (typeof at === 'string') return { ok: false, outcome: 'malformed', message: at };
  return checkTolerance(parsed.signedAt, at, '"occurred_at" time', options);
}

/** The Paddle Billing adapter. */
export const paddleAdapter: PaymentAdapter = {
  provider: 'paddle',
  detect: (body) => isObject(body) && Object.hasOwn(body, 'event_id') && Object.hasOwn(body, 'event_type'),
  verify: verifyPaddle,
  normalize: (body) => normalizing('Paddle', () => normalizePaddle(body)),
};
