/**
 * Exact decimals for money written in a policy: `"19.99"`, `0.8`, `1e-2`. A decimal is an integer
 * count of 10^-scale, held as a bigint, so `"0.10" + "0.20"` is exactly 0.30 and multiplying by a
 * rate or a bundle multiplier never passes through binary floating point. Used when a policy is
 * lowered; the shipped quote engine sees only the integer minor units computed here.
 */

/** `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** The largest scale a policy value may have (more digits than this are not money). */
export const MAX_SCALE = 18;

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

/**
 * Parse a decimal written as text (`"19.99"`, `"1e-2"`, `"-0.5"`). Undefined when the text is not
 * a decimal number or needs more than MAX_SCALE digits after the point.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return undefined;
  const sign = m[1] ?? m[5] ?? '';
  const whole = m[2] ?? '0';
  const frac = m[3] ?? m[6] ?? '';
  const exp = Number(m[4] ?? m[7] ?? '0');
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  let digits = (whole + frac).replace(/^0+(?=\d)/, '');
  let scale = frac.length - exp;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  // Trailing zeros after the point carry no value: "0.10" is 0.1.
  while (scale > 0 && digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (/^0+$/.test(digits)) return { units: 0n, scale: 0 };
  if (scale > MAX_SCALE) return undefined;
  const units = BigInt(digits);
  return { units: sign === '-' ? -units : units, scale };
}

/**
 * A JavaScript number as the decimal it was written as: the shortest decimal that reads back as
 * the same number (`0.1` is 0.1, not 0.1000000000000000055…). Undefined for NaN and infinities.
 */
export function decimalOfNumber(n: number): Decimal | undefined {
  return Number.isFinite(n) ? parseDecimal(String(n)) : undefined;
}

/** `a` rescaled to `scale` (≥ a.scale). */
export function rescale(a: Decimal, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function mulDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** `num / den` rounded to an integer, ties to even. `den` must be positive. */
export function divHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += 1n;
  return q;
}

/** `a` in integer units of 10^-exponent (minor units), rounded half-even. */
export function toMinorUnits(a: Decimal, exponent: number): bigint {
  if (a.scale <= exponent) return a.units * 10n ** BigInt(exponent - a.scale);
  return divHalfEven(a.units, 10n ** BigInt(a.scale - exponent));
}

/** The decimal as plain text, e.g. `19.99`, `0.255`, `3`. */
export function decimalText(a: Decimal): string {
  const neg = a.units < 0n;
  const digits = (neg ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const text = a.scale === 0 ? digits : `${digits.slice(0, -a.scale)}.${digits.slice(-a.scale)}`;
  return neg ? `-${text}` : text;
}

/** The decimal as a ratio of integers `[numerator, denominator]`, reduced. */
export function ratioOf(a: Decimal): [bigint, bigint] {
  let n = a.units;
  let d = 10n ** BigInt(a.scale);
  const g = gcd(n < 0n ? -n : n, d);
  if (g > 1n) {
    n /= g;
    d /= g;
  }
  return [n, d];
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
