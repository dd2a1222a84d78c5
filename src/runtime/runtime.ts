/**
 * Helpers shipped inside every compiled decision module and used by the interpreter, so both
 * engines share one definition of rounding, time and request reading. A leaf: imports nothing,
 * touches no global but the ECMAScript built-ins, and never throws on its own.
 */

/** Own-property test that `__proto__`, `constructor` and prototype pollution cannot subvert. */
export const hasOwn: (o: object, k: PropertyKey) => boolean = Function.prototype.call.bind(Object.prototype.hasOwnProperty) as (o: object, k: PropertyKey) => boolean;

/** A plain object (not null, not an array) that property reads may be made on. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read an own property, or undefined. */
export function own(o: Record<string, unknown>, k: string): unknown {
  return hasOwn(o, k) ? o[k] : undefined;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];
const TWO_32 = 4294967296;
const TWO_45 = 35184372088832;
const TWO_53 = 9007199254740992;
const TWO_MINUS_53 = 1.1102230246251565e-16;
const MARGIN = 3.552713678800501e-15; // 2^-48
const SPLITTER = 134217729; // 2^27 + 1: splits a double into two halves of 26 bits

/**
 * Round `x` to `decimals` (0..6) places with `mode` (`ceil`, `floor`, `half_up` — ties away from
 * zero — or `half_even`, also used for an unknown mode), exactly as its shortest decimal text
 * (`String(x)`, call it D) says: `2.675` at 2 places is a tie, `0.1 * 3` (`0.30000000000000004`) is
 * above 0.3. The result is the double nearest to the rounded decimal; `-0` becomes `0`; a
 * non-finite `x` is returned as is.
 *
 * Why the double arithmetic below is exact, for `s = x × 10^d` below 2^45 in magnitude:
 * - D and x are within ½ ulp(x), and s within ½ ulp(s) of x·10^d, so D·10^d is within
 *   2^-51 × max(1, |s|) of s: an eighth of the margin. Farther than the margin from every grid
 *   point (integer) and half-way point, s lies between the same neighbours as D·10^d, on the same
 *   side of the half.
 * - Near a grid point n: if `n / 10^d` reads back as x, a decimal with at most d places rounds
 *   to x, so the shortest one, D, has at most d places too, and x is the answer. If not, the
 *   decimals that read back as x (an interval holding x and D) exclude n, so D lies on x's side
 *   of n, which `signOfProduct` tells exactly.
 * - Near a half-way point h: if `h` reads back as x, D is h (a tie): the interval of decimals
 *   that read back as x is narrower than 0.1 × 10^-d here, so h is the only decimal in it with at
 *   most d + 1 places, and D has no more places than h. If not, D lies on x's side of h.
 * - `n / 10^d` is correctly rounded, as n and 10^d are exact and IEEE division rounds once.
 * Larger s (costs of tens of millions at 6 places) go to `roundLarge`.
 */
export function roundTo(x: number, decimals: number, mode: string): number {
  if (Number.isInteger(x)) return x + 0;
  let d = decimals;
  let p = POW10[d];
  if (p === undefined) {
    d = 0;
    p = 1;
  }
  const s = x * p;
  if (!(s < TWO_45 && s > -TWO_45)) return Number.isFinite(x) ? roundLarge(x, d, p, mode) : x;
  const lower = Math.floor(s);
  const frac = s - lower;
  const margin = s < 1 && s > -1 ? MARGIN : MARGIN * Math.abs(s);
  let n: number;
  if (frac <= margin || frac >= 1 - margin) {
    const grid = frac <= margin ? lower : lower + 1;
    if (grid / p === x) return x;
    const above = grid === 0 ? x > 0 : signOfProduct(x, p, grid) > 0;
    if (mode === 'ceil') n = above ? grid + 1 : grid;
    else if (mode === 'floor') n = above ? grid : grid - 1;
    else n = grid;
  } else if (mode === 'ceil') n = lower + 1;
  else if (mode === 'floor') n = lower;
  else if (frac < 0.5 - margin) n = lower;
  else if (frac > 0.5 + margin) n = lower + 1;
  else if ((2 * lower + 1) / (2 * p) === x) n = mode === 'half_up' ? (s > 0 ? lower + 1 : lower) : lower % 2 === 0 ? lower : lower + 1;
  else n = signOfProduct(x, p, lower + 0.5) > 0 ? lower + 1 : lower;
  return n / p + 0;
}

/**
 * A number with the sign of the exact `x × p − t`, for `p` a power of ten up to 10^6 and `t` within
 * a factor of two of `x × p`: x splits into two 26-bit halves (Veltkamp), each times p (14
 * significant bits) is exact, the first minus t is exact (Sterbenz), and a rounded sum keeps the
 * sign of the exact one.
 */
function signOfProduct(x: number, p: number, t: number): number {
  const c = SPLITTER * x;
  const high = c - (c - x);
  return high * p - t + (x - high) * p;
}

/**
 * `roundTo` for a finite, non-integer x with `|x × 10^d| ≥ 2^45`, so `|x| ≥ 2^25`. Its whole part w
 * and fraction f = |x| − w are exact, and so are f × 10^d (f has at most 27 significant bits, 10^d
 * at most 14 besides its factors of two) and the scaled interval of decimals that read back as x,
 * [f·10^d − h, f·10^d + h] with h = ½ ulp(x) × 10^d, which holds D·10^d − w·10^d. When it holds no
 * grid point and no half-way point, D lies between the same neighbours, on the same side of the
 * half, and `(w·10^d + n) / 10^d` is correctly rounded while `w·10^d + n` stays below 2^53.
 * Anything else goes to `String(x)`.
 */
function roundLarge(x: number, d: number, p: number, mode: string): number {
  const a = x < 0 ? -x : x;
  const whole = Math.floor(a);
  if ((whole + 1) * p < TWO_53) {
    const scaled = (a - whole) * p;
    const high32 = Math.floor(whole / TWO_32);
    const top = high32 > 0 ? ((1 << (31 - Math.clz32(high32))) >>> 0) * TWO_32 : (1 << (31 - Math.clz32(whole))) >>> 0; // 2^e <= whole < 2^(e+1)
    const h = top * TWO_MINUS_53 * p;
    const low = scaled - h;
    const upper = scaled + h;
    const n = Math.floor(scaled);
    let up: boolean | undefined;
    if (low > n && upper < n + 1) {
      if (mode === 'ceil') up = x > 0;
      else if (mode === 'floor') up = x < 0;
      else if (upper < n + 0.5) up = false;
      else if (low > n + 0.5) up = true;
    }
    if (up !== undefined) {
      const m = (whole * p + (up ? n + 1 : n)) / p;
      return x < 0 ? -m : m;
    }
  }
  return roundDecimalText(x, d, p, mode);
}

/**
 * `roundTo` by exact decimal arithmetic on the digits of `String(x)`, for a finite, non-integer x:
 * its text is `[-]digits[.digits][e±n]`, the value `digits × 10^exp`; keep the digits down to the
 * 10^-d place, decide from the dropped ones (never all zero: x is not on the grid) whether the
 * kept magnitude goes up by one, and read the result back as a number.
 */
function roundDecimalText(x: number, d: number, p: number, mode: string): number {
  let text = String(x);
  const negative = text.charCodeAt(0) === 45;
  if (negative) text = text.slice(1);
  let exp = 0;
  const e = text.indexOf('e');
  if (e >= 0) {
    exp = Number(text.slice(e + 1));
    text = text.slice(0, e);
  }
  let digits = text;
  const dot = text.indexOf('.');
  if (dot >= 0) {
    digits = text.slice(0, dot) + text.slice(dot + 1);
    exp -= text.length - dot - 1;
  }
  // `keep` digits lie at or above the 10^-d place; when it is negative, zeros precede the dropped digits.
  const keep = digits.length + exp + d;
  if (keep >= digits.length) return x + 0;
  let dropped = 0; // 0: below a half, 1: exactly a half, 2: above a half
  if (keep >= 0 && keep < digits.length) {
    const first = digits.charCodeAt(keep) - 48;
    let rest = false;
    for (let i = keep + 1; i < digits.length; i++) {
      if (digits.charCodeAt(i) !== 48) {
        rest = true;
        break;
      }
    }
    if (first === 0 && !rest) return x + 0;
    dropped = first > 5 || (first === 5 && rest) ? 2 : first === 5 ? 1 : 0;
  }
  const kept = keep > 0 ? digits.slice(0, keep) : '';
  let up: boolean;
  if (mode === 'ceil') up = !negative;
  else if (mode === 'floor') up = negative;
  else if (dropped !== 1) up = dropped === 2;
  else up = mode === 'half_up' || (kept.length > 0 && (kept.charCodeAt(kept.length - 1) & 1) === 1);
  let magnitude: number;
  if (kept.length <= 15) magnitude = (Number(kept) + (up ? 1 : 0)) / p;
  else magnitude = Number((up ? incrementDigits(kept) : kept) + 'e-' + d);
  return (negative ? -magnitude : magnitude) + 0;
}

/** A decimal digit string plus one. */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return '1' + '0'.repeat(digits.length);
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - i - 1);
}

const DAY = 86400000;
const HOUR = 3600000;
const MINUTE = 60000;
const WEEK = 7 * DAY;
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The whole millisecond a timestamp falls in, from which every time field is derived: one floor,
 * then integer arithmetic (`%` of doubles is exact), so the fields agree with each other and stay in
 * range (`-1e-10` is 23:59 on a Wednesday, not hour 24 of a Thursday).
 */
function millisecondOf(ts: number): number {
  return Math.floor(ts) + 0;
}

/** `a mod b` in 0..b-1 for an integer a and a positive integer b below 2^53: exact. */
function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

/** UTC hour 0..23 of a millisecond timestamp. */
export function hourOf(ts: number): number {
  const t = mod(millisecondOf(ts), DAY);
  return (t - (t % HOUR)) / HOUR;
}

/** UTC minute 0..59 of a millisecond timestamp. */
export function minuteOf(ts: number): number {
  const t = mod(millisecondOf(ts), HOUR);
  return (t - (t % MINUTE)) / MINUTE;
}

/** UTC weekday `mon`..`sun` of a millisecond timestamp (1970-01-01 was a Thursday). */
export function weekdayOf(ts: number): string {
  const t = mod(millisecondOf(ts), WEEK);
  return WEEKDAY_NAMES[((t - (t % DAY)) / DAY + 3) % 7]!;
}

// Lists: a request list is read once per decision, and rules use what was read — a copy, or a
// mask of the literals the policy tests. Elements are read as own properties, each exactly once: a
// hole is absent (it is not looked up on Array.prototype or Object.prototype), so a list with a
// hole is not a list of its element type. `length` is read once, so a getter that grows or shrinks
// the list does not change what is read, and must be an array length (a Proxy may answer
// anything): else the value is not a list.

/** The kind every element of a list must have. */
export type ElementKind = 'string' | 'number' | 'boolean';

/** The copy of every empty list: shared, as nothing writes to a copy. */
const EMPTY: readonly never[] = Object.freeze([]);

/** The length of `v` when it is an array with an array length, else -1. */
function listLength(v: unknown): number {
  if (!Array.isArray(v)) return -1;
  const n: unknown = v.length;
  return typeof n === 'number' && n >>> 0 === n ? n : -1;
}

/** Whether `e` is a list element of `kind` (a finite number for numbers), in `allowed` when given. */
function isElement(e: unknown, kind: ElementKind, allowed: ReadonlySet<unknown> | undefined): boolean {
  return typeof e === kind && (kind !== 'number' || (e as number) - (e as number) === 0) && (allowed === undefined || allowed.has(e));
}

/** A copy of `v` when it is an array of own elements of `kind` (each in `allowed`, when given), else undefined. */
export function listOf(v: unknown, kind: ElementKind, allowed?: ReadonlySet<unknown>): readonly (string | number | boolean)[] | undefined {
  const n = listLength(v);
  if (n < 0) return undefined;
  if (n === 0) return EMPTY;
  const list = v as readonly unknown[];
  const out = new Array<string | number | boolean>(n);
  for (let i = 0; i < n; i++) {
    if (!hasOwn(list, i)) return undefined;
    const e: unknown = list[i];
    if (!isElement(e, kind, allowed)) return undefined;
    out[i] = e as string | number | boolean;
  }
  return out;
}

/**
 * Which of `literals` the list `v` holds, as a mask (bit i for literals[i]; 0 for none), reading
 * `v` exactly as listOf does but keeping no copy; -1 when listOf would give undefined.
 */
export function listMask(v: unknown, kind: ElementKind, allowed: ReadonlySet<unknown> | undefined, literals: readonly unknown[]): number {
  const n = listLength(v);
  if (n < 0) return -1;
  const list = v as readonly unknown[];
  // A plain string list (every request's tags) gets the one test inline, which keeps the loop tight.
  const plain = kind === 'string' && allowed === undefined;
  let mask = 0;
  for (let i = 0; i < n; i++) {
    if (!hasOwn(list, i)) return -1;
    const e: unknown = list[i];
    if (plain ? typeof e !== 'string' : !isElement(e, kind, allowed)) return -1;
    mask |= bitOf(e, literals);
  }
  return mask;
}

/** The bits of the literals equal to `e`. */
function bitOf(e: unknown, literals: readonly unknown[]): number {
  let bits = 0;
  for (let j = 0; j < literals.length; j++) if (literals[j] === e) bits |= 1 << j;
  return bits;
}

/**
 * Whether a list copy (or a list literal) holds `x`. Not `list.includes(x)`: request data must
 * never choose the code that runs, and a loop over our own copy reads no prototype.
 */
export function listHas(list: readonly unknown[], x: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
}

/** A message for something thrown while reading a hostile request, without trusting it. */
export function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error && typeof e.message === 'string') return e.message.slice(0, 200);
  } catch {
    // a hostile Error subclass; fall through
  }
  return 'a value in the request threw when read';
}

// Requests: the checks that make a request `invalid_request` and the decisions no rule gives
//. The only place their wording lives; both engines build them here.

/** The error for a request that is not an object. */
export const REQUEST_NOT_OBJECT = 'the request must be an object';

/** The `invalid_request` decision; `errors` (taken as is, not copied) says why. */
export function invalidRequest(errors: string[]): { allowed: false; policyId: 'invalid_request'; reason: 'invalid_request'; errors: string[] } {
  return { allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors };
}

/** The `invalid_request` decision for a request whose reading threw `thrown` (a getter or a Proxy trap). */
export function unreadableRequest(thrown: unknown): { allowed: false; policyId: 'invalid_request'; reason: 'invalid_request'; errors: string[] } {
  return invalidRequest(['the request could not be read: ' + describeThrown(thrown)]);
}

/** The decision when no rule decides: a fresh object on every call, as callers may keep or change it. */
export function defaultDeny(): { allowed: false; policyId: 'default_deny'; reason: 'no_matching_policy' } {
  return { allowed: false, policyId: 'default_deny', reason: 'no_matching_policy' };
}

/**
 * Why the top-level parts of a request make it `invalid_request`, in this order; empty when they
 * are well formed. The parts are values already read (own properties, undefined when absent), so
 * nothing here reads the request: a getter or Proxy trap cannot fire. `actions` holds the policy's
 * actions in declaration order, which the message lists. The one throw is a built-in's:
 * `Array.isArray` (in `isRecord`) on a revoked Proxy, which the engines report as unreadable.
 */
export function requestErrors(assetId: unknown, action: unknown, context: unknown, timestamp: unknown, actions: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  if (typeof assetId !== 'string' || assetId === '') errors.push('assetId must be a non-empty string');
  if (typeof action !== 'string' || !actions.has(action)) {
    let message = 'action must be one of ';
    let first = true;
    for (const a of actions) {
      message += first ? a : ', ' + a;
      first = false;
    }
    errors.push(message);
  }
  if (!isRecord(context)) errors.push('context must be an object');
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) errors.push('timestamp must be a finite number of milliseconds');
  return errors;
}
