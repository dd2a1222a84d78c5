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

/** Whether every element of an array is a string (from `allowed`, when given). */
export function isStringList(v: unknown, allowed?: ReadonlySet<string>): v is string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e !== 'string' || (allowed !== undefined && !allowed.has(e))) return false;
  }
  return true;
}

/** Whether every element of an array is a finite number. */
export function isNumberList(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e !== 'number' || !Number.isFinite(e)) return false;
  }
  return true;
}

/** Whether every element of an array is a boolean. */
export function isBooleanList(v: unknown): v is boolean[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'boolean') return false;
  return true;
}

/**
 * Whether a validated list holds `x`. Not `list.includes(x)`: a caller's array may carry its own
 * `includes` property, and request data must never choose the code that runs.
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
