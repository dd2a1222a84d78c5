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

/**
 * Round `x` to `decimals` places with `mode`. Binary floating point cannot hold most decimals, so a
 * scaled value within a few dozen units in the last place of a grid point or a half-way point is
 * treated as exactly there: 0.1 * 3 rounds like 0.3, and 2.675 at 2 places is a tie, as its decimal
 * text says. The tolerance is relative to the value's own precision (64 ulp), so a genuine
 * fraction such as 1000000000.7 is never mistaken for a whole number.
 */
export function roundTo(x: number, decimals: number, mode: string): number {
  if (Number.isInteger(x)) return x + 0;
  const p = POW10[decimals] ?? 1;
  const scaled = x * p;
  const eps = 64 * Number.EPSILON * Math.max(1, Math.abs(scaled));
  const nearest = Math.round(scaled);
  let r: number;
  if (Math.abs(scaled - nearest) <= eps) r = nearest;
  else if (mode === 'ceil') r = Math.ceil(scaled);
  else if (mode === 'floor') r = Math.floor(scaled);
  else {
    const lower = Math.floor(scaled);
    const frac = scaled - lower;
    if (Math.abs(frac - 0.5) <= eps) r = mode === 'half_up' ? (scaled < 0 ? lower : lower + 1) : lower % 2 === 0 ? lower : lower + 1;
    else r = frac < 0.5 ? lower : lower + 1;
  }
  return r / p + 0;
}

const DAY = 86400000;
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

/** UTC hour 0..23 of a millisecond timestamp. */
export function hourOf(ts: number): number {
  return Math.floor(mod(ts, DAY) / 3600000);
}

/** UTC minute 0..59 of a millisecond timestamp. */
export function minuteOf(ts: number): number {
  return Math.floor(mod(ts, 3600000) / 60000);
}

/** UTC weekday `mon`..`sun` of a millisecond timestamp (1970-01-01 was a Thursday). */
export function weekdayOf(ts: number): string {
  return WEEKDAY_NAMES[(mod(Math.floor(ts / DAY), 7) + 3) % 7]!;
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
