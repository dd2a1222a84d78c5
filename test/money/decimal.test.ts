/**
 * src/money/decimal.ts: exact decimals for money written in a policy — parsing (exponents, trailing
 * zeros, the 18-digit limit), sums and products without binary floating point, half-even division,
 * minor units, ratios and text.
 */
import { describe, expect, it } from 'vitest';
import { addDecimals, decimalOfNumber, decimalText, divHalfEven, MAX_SCALE, mulDecimals, parseDecimal, ratioOf, rescale, toMinorUnits, type Decimal } from '../../src/money/decimal.js';

const d = (text: string): Decimal => {
  const v = parseDecimal(text);
  if (v === undefined) throw new Error(`not a decimal: ${text}`);
  return v;
};

describe('parseDecimal', () => {
  it.each([
    ['19.99', 1999n, 2],
    ['0', 0n, 0],
    ['42', 42n, 0],
    ['+3', 3n, 0],
    ['-0.5', -5n, 1],
    ['.5', 5n, 1],
    ['-.25', -25n, 2],
    ['5.', 5n, 0],
    ['007.50', 75n, 1],
    [' 2.5 ', 25n, 1],
  ] as const)('%j is %s × 10^-%s', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  it('reads exponents in either case and sign, into an integer count', () => {
    expect(parseDecimal('1e-2')).toEqual({ units: 1n, scale: 2 });
    expect(parseDecimal('1.5E3')).toEqual({ units: 1500n, scale: 0 });
    expect(parseDecimal('2.5e+1')).toEqual({ units: 25n, scale: 0 });
    expect(parseDecimal('-12.34e-3')).toEqual({ units: -1234n, scale: 5 });
    expect(parseDecimal('.5e1')).toEqual({ units: 5n, scale: 0 });
    expect(parseDecimal('1e20')).toEqual({ units: 100000000000000000000n, scale: 0 });
  });

  it('drops trailing zeros after the point: "0.10" is 0.1, "19.990" is 19.99, "1.000" is 1, "0.000" is 0', () => {
    expect(parseDecimal('0.10')).toEqual({ units: 1n, scale: 1 });
    expect(parseDecimal('19.990')).toEqual({ units: 1999n, scale: 2 });
    expect(parseDecimal('1.000')).toEqual({ units: 1n, scale: 0 });
    expect(parseDecimal('0.000')).toEqual({ units: 0n, scale: 0 });
    expect(parseDecimal('-0.0')).toEqual({ units: 0n, scale: 0 });
    // Zeros before the point are kept: 100 is not 1.
    expect(parseDecimal('100')).toEqual({ units: 100n, scale: 0 });
    expect(parseDecimal('1.5e2')).toEqual({ units: 150n, scale: 0 });
  });

  it(`accepts up to ${MAX_SCALE} digits after the point, after trailing zeros are dropped`, () => {
    expect(MAX_SCALE).toBe(18);
    expect(parseDecimal('0.000000000000000001')).toEqual({ units: 1n, scale: 18 });
    expect(parseDecimal('0.1234567890123456789')).toBeUndefined();
    expect(parseDecimal('1e-19')).toBeUndefined();
    expect(parseDecimal('1.0000000000000000000000')).toEqual({ units: 1n, scale: 0 });
    expect(parseDecimal('10e-19')).toEqual({ units: 1n, scale: 18 });
  });

  it.each(['', ' ', 'abc', '1e', 'e5', '1.2.3', '1,5', '1_000', '0x10', 'Infinity', 'NaN', '--1', '1e1000', '1 2', '.'])('%j is not a decimal', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('sums and products are exact', () => {
  it('"0.10" + "0.20" is exactly 0.3 (unlike 0.1 + 0.2 in floating point)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sum = addDecimals(d('0.10'), d('0.20'));
    expect(sum).toEqual({ units: 3n, scale: 1 });
    expect(decimalText(sum)).toBe('0.3');
  });

  it('adds across scales and signs', () => {
    expect(addDecimals(d('19.99'), d('0.001'))).toEqual({ units: 19991n, scale: 3 });
    expect(addDecimals(d('5'), d('-5.25'))).toEqual({ units: -25n, scale: 2 });
  });

  it('multiplies a price by a multiplier or rate exactly', () => {
    expect(mulDecimals(d('19.99'), d('0.8'))).toEqual({ units: 15992n, scale: 3 });
    expect(decimalText(mulDecimals(d('0.1'), d('0.1')))).toBe('0.01');
    expect(decimalText(mulDecimals(d('12345678901234.56'), d('0.19')))).toBe('2345678991234.5664');
  });

  it('rescale multiplies the units up to a larger scale', () => {
    expect(rescale(d('1.5'), 3)).toBe(1500n);
    expect(rescale(d('2'), 0)).toBe(2n);
  });
});

describe('divHalfEven', () => {
  it.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [3n, 2n, 2n],
    [1n, 2n, 0n],
    [25n, 10n, 2n],
    [35n, 10n, 4n],
    [7n, 3n, 2n],
    [8n, 3n, 3n],
    [6n, 3n, 2n],
    [0n, 7n, 0n],
  ] as const)('%s / %s rounds to %s (ties to the even neighbour)', (num, den, want) => {
    expect(divHalfEven(num, den)).toBe(want);
  });

  it.each([
    [-1n, 2n, 0n],
    [-3n, 2n, -2n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [-7n, 3n, -2n],
    [-8n, 3n, -3n],
    [-25n, 10n, -2n],
    [-6n, 3n, -2n],
  ] as const)('negative %s / %s rounds to %s, symmetric with the positive side', (num, den, want) => {
    expect(divHalfEven(num, den)).toBe(want);
    expect(divHalfEven(-num, den)).toBe(-want);
  });

  it('stays exact far beyond 2^53', () => {
    const big = 10n ** 30n + 5n;
    expect(divHalfEven(big, 10n)).toBe(10n ** 29n); // …0.5 → even
    expect(divHalfEven(big + 10n, 10n)).toBe(10n ** 29n + 2n); // …1.5 → 2
  });
});

describe('toMinorUnits', () => {
  it('scales up when the price has fewer digits than the currency', () => {
    expect(toMinorUnits(d('19.99'), 2)).toBe(1999n);
    expect(toMinorUnits(d('5'), 2)).toBe(500n);
    expect(toMinorUnits(d('1.5'), 3)).toBe(1500n);
    expect(toMinorUnits(d('2.5'), 4)).toBe(25000n);
  });

  it('rounds half-even when it has more', () => {
    expect(toMinorUnits(d('0.005'), 2)).toBe(0n);
    expect(toMinorUnits(d('0.015'), 2)).toBe(2n);
    expect(toMinorUnits(d('0.025'), 2)).toBe(2n);
    expect(toMinorUnits(d('0.0251'), 2)).toBe(3n);
    expect(toMinorUnits(d('19.995'), 2)).toBe(2000n);
    expect(toMinorUnits(d('0.5'), 0)).toBe(0n);
    expect(toMinorUnits(d('1.5'), 0)).toBe(2n);
    expect(toMinorUnits(d('-0.015'), 2)).toBe(-2n);
    expect(toMinorUnits(d('0.0005'), 3)).toBe(0n);
    expect(toMinorUnits(d('0.0015'), 3)).toBe(2n);
  });
});

describe('ratioOf', () => {
  it.each([
    ['0.19', 19n, 100n],
    ['0.2', 1n, 5n],
    ['0.20', 1n, 5n],
    ['0.255', 51n, 200n],
    ['0.25', 1n, 4n],
    ['0', 0n, 1n],
    ['3', 3n, 1n],
    ['-0.25', -1n, 4n],
    ['0.000000000000000001', 1n, 10n ** 18n],
  ] as const)('%s is %s/%s, reduced', (text, n, den) => {
    expect(ratioOf(d(text))).toEqual([n, den]);
  });
});

describe('decimalText', () => {
  it.each([
    [1999n, 2, '19.99'],
    [5n, 3, '0.005'],
    [-5n, 1, '-0.5'],
    [-1999n, 2, '-19.99'],
    [3n, 0, '3'],
    [0n, 0, '0'],
    [1n, 18, '0.000000000000000001'],
    [100000000000000000000n, 0, '100000000000000000000'],
  ] as const)('%s × 10^-%s reads %s', (units, scale, text) => {
    expect(decimalText({ units, scale })).toBe(text);
  });

  it('round-trips what parseDecimal reads, in canonical form', () => {
    for (const [text, canonical] of [['19.990', '19.99'], ['1e-2', '0.01'], ['.5', '0.5'], ['+7', '7'], ['-0.0', '0'], ['2.5E3', '2500']] as const) {
      expect(decimalText(d(text)), text).toBe(canonical);
    }
  });
});

describe('decimalOfNumber', () => {
  it('takes the shortest decimal that reads back as the number', () => {
    expect(decimalOfNumber(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(decimalOfNumber(19.99)).toEqual({ units: 1999n, scale: 2 });
    expect(decimalOfNumber(0.1 + 0.2)).toEqual({ units: 30000000000000004n, scale: 17 });
    expect(decimalOfNumber(1e21)).toEqual({ units: 10n ** 21n, scale: 0 });
    expect(decimalOfNumber(-2)).toEqual({ units: -2n, scale: 0 });
  });

  it('is undefined for NaN and the infinities', () => {
    expect(decimalOfNumber(Number.NaN)).toBeUndefined();
    expect(decimalOfNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(decimalOfNumber(Number.NEGATIVE_INFINITY)).toBeUndefined();
  });
});
