/**
 * Reading untrusted webhook JSON. Adapters read payloads through a `Reader`, which knows where it
 * is (`data.object.lines.data[2].price`) so every complaint names the field; a complaint is thrown
 * as a `PayloadError` and turned into a `malformed` result at the adapter boundary. Only own
 * properties are read (`JSON.parse` makes `__proto__` an ordinary key).
 */
import { currencyExponent } from '../money/currencies.js';
import type { EventKind, NormalizeResult, PaymentEvent, PaymentRefs, Provider, RefundInfo } from './event.js';

/** A payload that does not have the shape its provider documents. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

/** A parsed JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether `v` is a JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property of `o`, or undefined. */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** A short description of a JSON value for messages: its type and, for scalars, the value. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${typeof v === 'string' ? 'the string' : typeof v === 'number' ? 'the number' : 'the boolean'} ${shown}`;
}

const MINOR_DIGITS = /^(?:0|[1-9][0-9]{0,15})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an RFC 3339 time with an explicit offset (`2024-04-12T10:18:49.621022Z`),
 * fractions past the millisecond truncated; undefined when `s` is not one, names an impossible date
 * or is before 1970 (no payment is).
 */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(base).getUTCDate() !== day) return undefined;
  const ms = frac === undefined ? 0 : Number(`${frac}00`.slice(0, 3));
  let offset = 0;
  if (zone !== 'Z') {
    const oh = Number(zone!.slice(1, 3));
    const om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone![0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return base + ms - offset;
}

/** An object inside a payload, with the path that led to it. */
export class Reader {
  constructor(
    readonly value: JsonObject,
    readonly path: string,
  ) {}

  /** The path of `key` below this object. */
  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** Throw a `PayloadError` about `key`. */
  fail(key: string, want: string): never {
    throw new PayloadError(`${this.at(key)}: expected ${want}, found ${describe(own(this.value, key))}`);
  }

  /** The raw value of `key` (undefined when absent). */
  get(key: string): unknown {
    return own(this.value, key);
  }

  /** A required object. */
  obj(key: string): Reader {
    const v = own(this.value, key);
    if (!isObject(v)) this.fail(key, 'an object');
    return new Reader(v, this.at(key));
  }

  /** An optional object (absent or null → undefined). */
  optObj(key: string): Reader | undefined {
    const v = own(this.value, key);
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(key, 'an object or null');
    return new Reader(v, this.at(key));
  }

  /** The objects of an optional list (absent or null → none). */
  list(key: string): Reader[] {
    const v = own(this.value, key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, 'a list');
    return v.map((item: unknown, i) => {
      if (!isObject(item)) throw new PayloadError(`${this.at(key)}[${i}]: expected an object, found ${describe(item)}`);
      return new Reader(item, `${this.at(key)}[${i}]`);
    });
  }

  /** A required non-empty string. */
  str(key: string): string {
    const v = own(this.value, key);
    if (typeof v !== 'string' || v === '') this.fail(key, 'a non-empty string');
    return v;
  }

  /** An optional string (absent, null or empty → undefined). */
  optStr(key: string): string | undefined {
    const v = own(this.value, key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(key, 'a string or null');
    return v;
  }

  /** An id that may be expanded into its object: `"pi_123"` or `{"id": "pi_123", …}`. */
  ref(key: string): string | undefined {
    const v = own(this.value, key);
    if (isObject(v)) return new Reader(v, this.at(key)).str('id');
    return this.optStr(key);
  }

  /** An optional boolean. */
  optBool(key: string): boolean | undefined {
    const v = own(this.value, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'true, false or null');
    return v;
  }

  /** A required non-negative safe integer (minor units, seconds). */
  int(key: string): number {
    const v = own(this.value, key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(key, 'a non-negative whole number');
    return v;
  }

  /** An optional non-negative safe integer. */
  optInt(key: string): number | undefined {
    const v = own(this.value, key);
    return v === undefined || v === null ? undefined : this.int(key);
  }

  /** A required amount in minor units written as a string of digits (Paddle: `"1200"`). */
  minorString(key: string): number {
    const v = own(this.value, key);
    if (typeof v !== 'string' || !MINOR_DIGITS.test(v) || !Number.isSafeInteger(Number(v))) this.fail(key, 'an amount in minor units as a string of digits, like "1200"');
    return Number(v);
  }

  /** An optional amount in minor units written as a string of digits. */
  optMinorString(key: string): number | undefined {
    const v = own(this.value, key);
    return v === undefined || v === null ? undefined : this.minorString(key);
  }

  /** An optional ISO 4217 code with a minor unit, in either case; returned upper case. */
  optCurrency(key: string): string | undefined {
    const v = this.optStr(key);
    if (v === undefined) return undefined;
    const code = v.toUpperCase();
    if (currencyExponent(code) === undefined) this.fail(key, 'an ISO 4217 currency code');
    return code;
  }

  /** A required RFC 3339 time, in milliseconds since the epoch. */
  time(key: string): number {
    const v = own(this.value, key);
    const t = typeof v === 'string' ? parseRfc3339(v) : undefined;
    if (t === undefined) this.fail(key, 'an RFC 3339 time with a zone, like "2024-04-12T10:18:49.621Z"');
    return t;
  }

  /** An optional RFC 3339 time. */
  optTime(key: string): number | undefined {
    const v = own(this.value, key);
    return v === undefined || v === null ? undefined : this.time(key);
  }

  /** A user or offer id from metadata: a non-empty string, or a whole number written in decimal. */
  optId(key: string): string | undefined {
    const v = own(this.value, key);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    return this.optStr(key);
  }
}

/** The strings of `ids` without undefined and without repeats, first occurrence first. */
export function distinct(ids: Iterable<string | undefined>): string[] {
  const out: string[] = [];
  for (const id of ids) if (id !== undefined && !out.includes(id)) out.push(id);
  return out;
}

/** The fields of an event as an adapter gathers them (undefined where the payload has nothing). */
export interface EventFields {
  readonly provider: Provider;
  readonly eventId: string;
  readonly kind: EventKind;
  readonly providerType: string;
  readonly occurredAt: number;
  readonly userId?: string | undefined;
  readonly offerId?: string | undefined;
  readonly priceIds?: readonly string[];
  readonly amountMinor?: number | undefined;
  readonly currency?: string | undefined;
  readonly taxMinor?: number | undefined;
  readonly refs?: { readonly [K in keyof PaymentRefs]?: string | undefined };
  readonly refund?: RefundInfo | undefined;
  readonly periodEnd?: number | undefined;
}

/** An event from gathered fields, without undefined entries (so events compare and print cleanly). */
export function makeEvent(f: EventFields): PaymentEvent {
  const refs: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.refs ?? {})) if (v !== undefined) refs[k] = v;
  const e: Record<string, unknown> = { ...f, priceIds: f.priceIds ?? [], refs };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  return e as unknown as PaymentEvent;
}

/** Run an adapter's normaliser, turning a `PayloadError` into a `malformed` result. */
export function normalizing(provider: string, build: () => PaymentEvent): NormalizeResult {
  try {
    return { event: build() };
  } catch (e) {
    if (e instanceof PayloadError) return { outcome: 'malformed', message: `${provider} event: ${e.message}` };
    throw e;
  }
}
