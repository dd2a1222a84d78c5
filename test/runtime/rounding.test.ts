/**
 * `roundTo` (src/runtime/runtime.ts), which rounds every cost and every `round()` in both engines and
 * in constant folding: exact decimal rounding of the shortest decimal text of a double, checked
 * against an independent BigInt reference on adversarial values (grid and half-way points and their
 * neighbouring doubles, products of short decimals, large magnitudes, subnormals).
 * The long run: `ROUNDING_RUNS=5000000 npx vitest run test/runtime/rounding.test.ts --testTimeout=3600000`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundTo } from '../../src/runtime/runtime.js';

const RUNS = Number(process.env.ROUNDING_RUNS ?? 20_000);
const MODES = ['ceil', 'floor', 'half_even', 'half_up'] as const;
type Mode = (typeof MODES)[number];

/**
 * The reference: parse `String(x)` into an exact fraction `n / 10^k` (BigInt), divide by the grid
 * `10^-d` with remainder, pick the neighbour the mode asks for, and read `q × 10^-d` back as a number.
 */
function reference(x: number, d: number, mode: Mode): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (m === null) throw new Error(`unexpected number text ${String(x)}`);
  const negative = m[1] === '-';
  const fraction = m[3] ?? '';
  const n = BigInt(m[2]! + fraction);
  const shift = d - (fraction.length - Number(m[4] ?? '0')); // x × 10^d = n × 10^shift
  const num = shift >= 0 ? n * 10n ** BigInt(shift) : n;
  const den = shift >= 0 ? 1n : 10n ** BigInt(-shift);
  let q = num / den;
  const r = num % den;
  let up = false;
  if (mode === 'ceil') up = r > 0n && !negative;
  else if (mode === 'floor') up = r > 0n && negative;
  else if (2n * r > den) up = true;
  else if (2n * r === den) up = mode === 'half_up' || q % 2n === 1n;
  if (up) q += 1n;
  return Number(`${negative ? '-' : ''}${q}e-${d}`) + 0;
}

/** The next double up or down, `steps` times (a negative count goes down). */
function nextDouble(x: number, steps: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  for (let i = 0; i < Math.abs(steps); i++) {
    const up = steps > 0;
    if (f[0] === 0) f[0] = up ? Number.MIN_VALUE : -Number.MIN_VALUE;
    else bits[0] = bits[0]! + ((f[0]! > 0) === up ? 1n : -1n);
  }
  return f[0]!;
}

/** Every mode and every number of decimals of `x` against the reference; the first difference, if any. */
function firstDifference(x: number): string | undefined {
  for (let d = 0; d <= 6; d++) {
    for (const mode of MODES) {
      const got = roundTo(x, d, mode);
      const want = reference(x, d, mode);
      if (!Object.is(got, want)) return `roundTo(${String(x)}, ${d}, '${mode}') is ${String(got)}, want ${String(want)}`;
    }
  }
  return undefined;
}

/** A point of the 10^-d grid, or a half-way point between two, within 1e15, as the nearest double. */
const gridPoint = fc
  .record({ d: fc.integer({ min: 0, max: 6 }), n: fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }), magnitude: fc.integer({ min: 0, max: 15 }), half: fc.boolean() })
  .map(({ d, n, magnitude, half }) => {
    const scaled = n % 10n ** BigInt(magnitude + d); // spread over magnitudes, not only near 1e15
    return half ? Number(`${scaled}5e-${d + 1}`) : Number(`${scaled}e-${d}`);
  })
  .filter((x) => Math.abs(x) <= 1e15);

/** A double a few ulps from a grid or half-way point. */
const nearGrid = fc.tuple(gridPoint, fc.integer({ min: -4, max: 4 })).map(([x, steps]) => nextDouble(x, steps));

/** A short decimal at any magnitude: what costs and prices look like. */
const shortDecimal = fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 12 })).map(([n, k]) => Number(`${n}e-${k}`));

/** Arithmetic on short decimals, as a cost expression computes it. */
const product = fc
  .tuple(shortDecimal, shortDecimal, fc.constantFrom('*', '/', '+', '-'))
  .map(([a, b, op]) => (op === '*' ? a * b : op === '/' ? a / b : op === '+' ? a + b : a - b))
  .filter((x) => Number.isFinite(x) && Math.abs(x) <= 1e15);

/** Any double up to 1e15 in magnitude (fast-check spreads them over the exponents, subnormals included). */
const anyDouble = fc.double({ min: -1e15, max: 1e15, noNaN: true });

const values = fc.oneof(anyDouble, nearGrid, shortDecimal, product);

const NAMED = [40000000.0000004, 2.675, 1.005, 0.1 * 3, 0.1 * 3 * 10, 4.35 * 100, 0.57 * 100, 1e-7, 1.5e-7, 5e-324, -5e-324, 0.125, -2.5, -0.5, 4503599627370495.5, 1e15 + 0.125, 999999999999999.9, 0.0000005, 0.0000015, 2.5e-7, 9.9999995, 99.9999995];

describe('roundTo is exact on the shortest decimal', () => {
  it('agrees with the BigInt reference on named values and their neighbouring doubles', () => {
    for (const x of NAMED) {
      for (let steps = -3; steps <= 3; steps++) {
        for (const v of [nextDouble(x, steps), -nextDouble(x, steps)]) expect(firstDifference(v)).toBeUndefined();
      }
    }
  });

  it('agrees with the BigInt reference on every mode and 0..6 decimals', () => {
    fc.assert(
      fc.property(values, (x) => {
        expect(firstDifference(x)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('returns integers, non-finite values and an unknown number of decimals as documented', () => {
    expect(roundTo(-0, 2, 'ceil')).toBe(0);
    expect(Object.is(roundTo(-0, 2, 'ceil'), 0)).toBe(true);
    expect(roundTo(1e21, 6, 'floor')).toBe(1e21);
    expect(roundTo(Infinity, 2, 'ceil')).toBe(Infinity);
    expect(roundTo(Number.NaN, 2, 'ceil')).toBeNaN();
    expect(roundTo(2.5, 9, 'half_even')).toBe(2); // outside 0..6: whole numbers
    expect(roundTo(2.5, 2.5, 'half_up')).toBe(3);
    expect(roundTo(2.5, 0, 'unknown')).toBe(2); // an unknown mode is half_even
  });
});

describe('roundTo regressions', () => {
  it('does not swallow a genuine fraction at large magnitudes', () => {
    expect(roundTo(40000000.0000004, 6, 'ceil')).toBe(40000000.000001);
    expect(roundTo(40000000.0000004, 6, 'floor')).toBe(40000000);
    expect(roundTo(-40000000.0000004, 6, 'floor')).toBe(-40000000.000001);
    expect(roundTo(40000000.9999996, 6, 'floor')).toBe(40000000.999999);
    expect(roundTo(40000000.9999996, 6, 'ceil')).toBe(40000001);
    expect(roundTo(50800681.9146205, 6, 'half_even')).toBe(50800681.91462); // a tie, to the even neighbour
    expect(roundTo(123456789.1234565, 6, 'half_even')).toBe(123456789.123456);
    expect(roundTo(123456789.1234575, 6, 'half_even')).toBe(123456789.123458);
    expect(roundTo(1000000000.7, 0, 'floor')).toBe(1000000000);
    expect(roundTo(12345678.901, 2, 'ceil')).toBe(12345678.91);
    expect(roundTo(499.0000004, 6, 'ceil')).toBe(499.000001);
  });

  it('rounds what the decimal text says, float noise included', () => {
    expect(roundTo(0.1 * 3, 6, 'ceil')).toBe(0.300001); // 0.30000000000000004
    expect(roundTo(0.1 * 3, 6, 'half_even')).toBe(0.3);
    expect(roundTo(4.35 * 100, 2, 'floor')).toBe(434.99); // 434.99999999999994
    expect(roundTo(2.675, 2, 'half_even')).toBe(2.68); // a tie in its text, though stored below
    expect(roundTo(2.665, 2, 'half_even')).toBe(2.66);
    expect(roundTo(2.665, 2, 'half_up')).toBe(2.67);
    expect(roundTo(1.005, 2, 'half_up')).toBe(1.01);
    expect(roundTo(0.125, 2, 'half_even')).toBe(0.12);
    expect(roundTo(-2.5, 0, 'half_up')).toBe(-3);
    expect(roundTo(-2.5, 0, 'half_even')).toBe(-2);
    expect(roundTo(-0.3, 0, 'ceil')).toBe(0);
    expect(Object.is(roundTo(-0.3, 0, 'ceil'), 0)).toBe(true);
  });

  it('rounds values written with an exponent', () => {
    expect(roundTo(5e-324, 6, 'ceil')).toBe(0.000001);
    expect(roundTo(-5e-324, 6, 'floor')).toBe(-0.000001);
    expect(roundTo(5e-7, 6, 'half_even')).toBe(0);
    expect(roundTo(5e-7, 6, 'half_up')).toBe(0.000001);
    expect(roundTo(1.5e-6, 6, 'half_even')).toBe(0.000002);
  });
});
