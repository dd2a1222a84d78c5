/**
 * src/money/engine.ts, the arithmetic the shipped quote engine does: `mulDivHalfEven` (tax on a
 * line, exact past 2^53) against a BigInt oracle, and `bestCover` (which bundles a quote uses) on
 * small hand-made tables.
 */
import { describe, expect, it } from 'vitest';
import { applicableBundles, bestCover, MAX_COVER_STEPS, mulDivHalfEven, type QuoteBundle, type QuoteTable } from '../../src/money/engine.js';
import { rng as random } from '../../bench/gen-policy.js';

/** `a × n / d` rounded half-even, in BigInt: the oracle. */
function oracle(a: number, n: number, d: number): bigint {
  const p = BigInt(a) * BigInt(n);
  const den = BigInt(d);
  const q = p / den;
  const r = p - q * den;
  return 2n * r > den || (2n * r === den && q % 2n === 1n) ? q + 1n : q;
}


describe('mulDivHalfEven', () => {
  it('rounds exact .5 ties to the even neighbour', () => {
    expect(mulDivHalfEven(5, 1, 2)).toBe(2);
    expect(mulDivHalfEven(7, 1, 2)).toBe(4);
    expect(mulDivHalfEven(1, 1, 2)).toBe(0);
    expect(mulDivHalfEven(3, 1, 2)).toBe(2);
    // 250 × 19/100 = 47.5 → 48; 350 × 19/100 = 66.5 → 66
    expect(mulDivHalfEven(250, 19, 100)).toBe(48);
    expect(mulDivHalfEven(350, 19, 100)).toBe(66);
    // Inclusive tax: 1190 × 19/119 = 190 exactly.
    expect(mulDivHalfEven(1190, 19, 119)).toBe(190);
  });

  it('rounds non-ties to the nearest', () => {
    expect(mulDivHalfEven(1000, 1, 3)).toBe(333);
    expect(mulDivHalfEven(2000, 1, 3)).toBe(667);
    expect(mulDivHalfEven(0, 19, 100)).toBe(0);
    expect(mulDivHalfEven(1999, 51, 200)).toBe(510); // 509.745
  });

  it('is exact when the product passes 2^53, ties included', () => {
    const max = Number.MAX_SAFE_INTEGER; // 2^53 − 1, odd
    // 9007199254740991 × 5 / 10 = 4503599627370495.5 → even 4503599627370496
    expect(mulDivHalfEven(max, 5, 10)).toBe(4503599627370496);
    // 9007199254740990 × 5 / 10 = 4503599627370495 exactly
    expect(mulDivHalfEven(max - 1, 5, 10)).toBe(4503599627370495);
    // 2^52 + 1 = 4503599627370497 × 3 / 6 = 2251799813685248.5 → even 2251799813685248
    expect(mulDivHalfEven(4503599627370497, 3, 6)).toBe(2251799813685248);
    // A rate with a large denominator: 0.255 as 51/200 on the largest amount.
    expect(BigInt(mulDivHalfEven(max, 51, 200))).toBe(oracle(max, 51, 200));
  });

  it('agrees with the BigInt oracle on random cases below and above 2^53', () => {
    const next = random(20250801);
    const int = (limit: number) => Math.floor(next() * limit);
    const failures: string[] = [];
    let above = 0;
    for (let i = 0; i < 20000; i++) {
      // Amounts up to 2^53 − 1; rate ratios as quote tables hold them (numerators ≤ denominators), and
      // a share of small denominators so ties are frequent.
      const a = i % 4 === 0 ? int(Number.MAX_SAFE_INTEGER) : i % 4 === 1 ? int(2 ** 40) : int(1e6);
      const d = i % 3 === 0 ? 2 * (1 + int(50)) : 1 + int(1e6);
      const n = int(d + 1);
      if (a * n > Number.MAX_SAFE_INTEGER) above++;
      // Only results a quote can hold exactly are asked of it.
      const want = oracle(a, n, d);
      if (want > BigInt(Number.MAX_SAFE_INTEGER)) continue;
      const got = mulDivHalfEven(a, n, d);
      if (BigInt(got) !== want) failures.push(`${a} × ${n} / ${d}: got ${got}, want ${want}`);
    }
    expect(failures).toEqual([]);
    expect(above).toBeGreaterThan(4000);
  });

  it('agrees with the oracle right at the float division\'s blind spot: products just below 2^53', () => {
    const failures: string[] = [];
    for (let k = 0; k < 2000; k++) {
      const p = Number.MAX_SAFE_INTEGER - k;
      for (const d of [3, 7, 10, 100, 119, 200, 1000003]) {
        const got = mulDivHalfEven(p, 1, d);
        if (BigInt(got) !== oracle(p, 1, d)) failures.push(`${p} / ${d}: got ${got}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

/** A table holding only what bundle choice reads: bundles given as `[id, assets, saving]`. */
function table(...bundles: readonly (readonly [string, readonly string[], number])[]): QuoteTable {
  return {
    currency: 'USD',
    exponent: 2,
    registry: false,
    assets: [],
    defaultMinor: 100,
    bundles: bundles.map(([id, assets, saving]): QuoteBundle => ({ id, assets, minor: 100 * assets.length - saving, saving, parts: [[null, 100 * assets.length - saving]] })),
    tax: null,
    vat: {},
    vatRatesAsOf: '2025-08-01',
    countries: '',
  };
}

/** The ids of the best cover over every bundle of the table. */
function cover(t: QuoteTable, maxSteps?: number): string[] | undefined {
  const all = t.bundles.map((_, i) => i);
  const c = maxSteps === undefined ? bestCover(t, all) : bestCover(t, all, maxSteps);
  return c?.map((i) => t.bundles[i]!.id);
}

describe('bestCover', () => {
  it('finds the best set of disjoint bundles even when it holds neither the first nor the largest bundle', () => {
    const t = table(['ab', ['a', 'b'], 6], ['abcd', ['a', 'b', 'c', 'd'], 9], ['ac', ['a', 'c'], 5], ['bd', ['b', 'd'], 5]);
    // ab alone 6, abcd alone 9, ac + bd = 10.
    expect(cover(t)).toEqual(['ac', 'bd']);
  });

  it('prefers the larger total saving over the larger single saving', () => {
    const t = table(['big', ['a', 'b', 'c'], 10], ['x', ['a'], 4], ['y', ['b'], 4], ['z', ['c'], 3]);
    expect(cover(t)).toEqual(['x', 'y', 'z']);
  });

  it('resolves equal savings to the earlier bundle', () => {
    expect(cover(table(['first', ['a', 'b'], 5], ['second', ['b', 'c'], 5]))).toEqual(['first']);
    expect(cover(table(['second', ['b', 'c'], 5], ['first', ['a', 'b'], 5]))).toEqual(['second']);
  });

  it('between covers of equal total, takes the one holding the earliest bundle where they differ', () => {
    // [whole] saves 10, [left, right] saves 10.
    expect(cover(table(['whole', ['a', 'b', 'c', 'd'], 10], ['left', ['a', 'b'], 5], ['right', ['c', 'd'], 5]))).toEqual(['whole']);
    expect(cover(table(['left', ['a', 'b'], 5], ['right', ['c', 'd'], 5], ['whole', ['a', 'b', 'c', 'd'], 10]))).toEqual(['left', 'right']);
    expect(cover(table(['left', ['a', 'b'], 5], ['whole', ['a', 'b', 'c', 'd'], 10], ['right', ['c', 'd'], 5]))).toEqual(['left', 'right']);
  });

  it('takes a bundle that saves nothing, alone or beside others', () => {
    expect(cover(table(['even', ['a', 'b'], 0]))).toEqual(['even']);
    expect(cover(table(['good', ['a', 'b'], 3], ['even', ['c', 'd'], 0]))).toEqual(['good', 'even']);
  });

  it('never takes a bundle that costs more than its parts', () => {
    expect(cover(table(['dear', ['a', 'b'], -1]))).toEqual([]);
    expect(cover(table(['dear', ['a', 'b'], -1], ['good', ['c', 'd'], 2]))).toEqual(['good']);
    expect(cover(table(['dear', ['a', 'b'], -1], ['even', ['b', 'c'], 0]))).toEqual(['even']);
  });

  it('chooses only among the candidates it is given', () => {
    const t = table(['ab', ['a', 'b'], 5], ['bc', ['b', 'c'], 9], ['cd', ['c', 'd'], 5]);
    expect(bestCover(t, [0, 1, 2])).toEqual([0, 2]);
    expect(bestCover(t, [1])).toEqual([1]);
    expect(bestCover(t, [0, 1])).toEqual([1]);
    expect(bestCover(t, [])).toEqual([]);
  });

  it('returns undefined when the search needs more steps than allowed, and the unbounded answer once it may take enough', () => {
    expect(MAX_COVER_STEPS).toBe(200_000);
    // 14 bundles of equal saving, each overlapping the next: many covers tie.
    const ids = 'abcdefghijklmno'.split('');
    const t = table(...ids.slice(0, -1).map((a, i) => [`${a}${ids[i + 1]!}`, [a, ids[i + 1]!], 5] as const));
    const best = cover(t);
    expect(best).toEqual(['ab', 'cd', 'ef', 'gh', 'ij', 'kl', 'mn']);
    expect(cover(t, 1)).toBeUndefined();
    let enough = 1;
    while (cover(t, enough) === undefined) enough++;
    expect(enough).toBeGreaterThan(14);
    expect(cover(t, enough)).toEqual(best);
    expect(cover(t, enough - 1)).toBeUndefined();
    expect(cover(t, enough + 1000)).toEqual(best);
  });
});

describe('applicableBundles', () => {
  it('lists, in policy order, the bundles every asset of which is in the basket', () => {
    const t = table(['ab', ['a', 'b'], 5], ['bc', ['b', 'c'], 5], ['ad', ['a', 'd'], 5]);
    expect(applicableBundles(t, ['c', 'b', 'a'])).toEqual([0, 1]);
    expect(applicableBundles(t, ['a'])).toEqual([]);
    expect(applicableBundles(t, ['d', 'a', 'b', 'c'])).toEqual([0, 1, 2]);
  });
});
