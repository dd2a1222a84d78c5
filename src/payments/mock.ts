/**
 * The hand-written form of an event, for scenarios no provider produced:
 * `{"provider": "mock", "id", "type", "occurred_at", "user_id", …}` with snake_case keys, `type`
 * one of the event kinds, times in milliseconds or RFC 3339. Checked strictly (unknown keys are
 * errors, with a did-you-mean) because nobody else validated it.
 */
import { closest } from '../diag/suggest.js';
import { EVENT_KINDS, isEventKind, type PaymentEvent } from './event.js';
import type { PaymentAdapter } from './gateway.js';
import { isObject, makeEvent, normalizing, own, parseRfc3339, PayloadError, Reader } from './read.js';
import { rejected } from './signature.js';

const KEYS = ['provider', 'id', 'type', 'occurred_at', 'user_id', 'offer_id', 'price_ids', 'amount_minor', 'currency', 'tax_minor', 'refs', 'refund', 'period_end'];
const REF_KEYS = ['payment', 'charge', 'invoice', 'subscription', 'dispute', 'transaction', 'refund'];
const REFUND_KEYS = ['full', 'amount_minor'];

/** Times before this many milliseconds (March 1973) are taken for seconds written by mistake. */
const SMALLEST_MS = 100_000_000_000;

function onlyKeys(r: Reader, allowed: readonly string[]): void {
  for (const key of Object.keys(r.value)) {
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed);
    throw new PayloadError(`${r.at(key)}: unknown key; ${guess ? `did you mean "${guess}"?` : `allowed: ${allowed.join(', ')}`}`);
  }
}

/** A time in milliseconds since the epoch, or an RFC 3339 string. */
function mockTime(r: Reader, key: string): number | undefined {
  const v = r.get(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return r.time(key);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) r.fail(key, 'milliseconds since the epoch or an RFC 3339 time');
  if (v < SMALLEST_MS) throw new PayloadError(`${r.at(key)}: ${v} looks like seconds; write milliseconds since the epoch (${v * 1000}) or an RFC 3339 time`);
  return v;
}

function normalizeMock(body: unknown): PaymentEvent {
  if (!isObject(body)) throw new PayloadError('the event is not a JSON object');
  const r: Reader = new Reader(body, '');
  onlyKeys(r, KEYS);
  const type = r.str('type');
  if (!isEventKind(type)) {
    const guess = closest(type, EVENT_KINDS);
    throw new PayloadError(`type: "${type}" is not an event kind; ${guess ? `did you mean "${guess}"?` : `kinds: ${EVENT_KINDS.join(', ')}`}`);
  }
  const occurredAt = mockTime(r, 'occurred_at');
  if (occurredAt === undefined) r.fail('occurred_at', 'milliseconds since the epoch or an RFC 3339 time');
  const prices = r.get('price_ids');
  if (prices !== undefined && (!Array.isArray(prices) || !prices.every((p): p is string => typeof p === 'string' && p !== ''))) {
    r.fail('price_ids', 'a list of non-empty strings');
  }
  const refs = r.optObj('refs');
  if (refs) onlyKeys(refs, REF_KEYS);
  const refund = r.optObj('refund');
  if (refund) onlyKeys(refund, REFUND_KEYS);
  if (type === 'refund.succeeded' && !refund) throw new PayloadError('refund: a refund.succeeded event needs "refund": {"full": true|false, "amount_minor": n}');
  if (type !== 'refund.succeeded' && refund) throw new PayloadError(`refund: only a refund.succeeded event has "refund" (this one is ${type})`);
  let full: boolean | undefined;
  if (refund) {
    full = refund.optBool('full');
    if (full === undefined) refund.fail('full', 'true or false');
  }
  const amountMinor = r.optInt('amount_minor');
  const taxMinor = r.optInt('tax_minor');
  if (taxMinor !== undefined && amountMinor !== undefined && taxMinor > amountMinor) {
    throw new PayloadError(`tax_minor: ${taxMinor} is more than amount_minor ${amountMinor} (the amount includes its tax)`);
  }
  return makeEvent({
    provider: 'mock',
    eventId: r.str('id'),
    kind: type,
    providerType: type,
    occurredAt,
    userId: r.optId('user_id'),
    offerId: r.optId('offer_id'),
    priceIds: [...new Set((prices as string[] | undefined) ?? [])],
    amountMinor,
    currency: r.optCurrency('currency'),
    taxMinor,
    refs: Object.fromEntries(REF_KEYS.map((k) => [k, refs?.optStr(k)])),
    refund: refund ? { full: full!, amountMinor: refund.int('amount_minor'), cumulative: false } : undefined,
    periodEnd: mockTime(r, 'period_end'),
  });
}

/** The adapter for hand-written normalised events. */
export const mockAdapter: PaymentAdapter = {
  provider: 'mock',
  detect: (body) => isObject(body) && own(body, 'provider') === 'mock',
  verify: () => rejected('a mock event carries no signature to verify'),
  normalize: (body) => normalizing('mock', () => normalizeMock(body)),
};
