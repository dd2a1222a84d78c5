/**
 * explainQuote: every bundle cover of a basket, ranked as the engine ranks them, with the
 * engine's own choice first; why each other cover lost; which tax rule matched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createQuoter, type Quote, type QuoteBundle, type QuoteTable } from '../../src/money/engine.js';
import { explainQuote } from '../../src/interp/quote-explain.js';
import { tieOrder } from '../../src/money/engine.js';
import { quoteExplanationJson, quoteExplanationPretty } from '../../src/interp/render-quote.js';
import { loadPolicyFile, toChecked } from '../../src/pipeline/pipeline.js';

/** A table of registry assets priced in cents, bundles as given, no tax. */
function table(prices: Record<string, number>, bundles: readonly { id: string; assets: string[]; minor: number }[]): QuoteTable {
  return {
    currency: 'USD',
    exponent: 2,
    registry: true,
    assets: Object.entries(prices).map(([id, minor]) => ({ id, minor, taxCode: null })),
    defaultMinor: null,
    bundles: bundles.map((b): QuoteBundle => ({ ...b, saving: b.assets.reduce((s, a) => s + prices[a]!, 0) - b.minor, parts: [[null, b.minor]] })),
    tax: null,
    vat: {},
    vatRatesAsOf: '2025-08-01',
    countries: 'DEFRUS',
  };
}

// Two bundles that save the same, and one that costs more than its assets bought singly.
const TIE = table({ a: 100, b: 100, c: 100 }, [
  { id: 'ab', assets: ['a', 'b'], minor: 160 },
  { id: 'bc', assets: ['b', 'c'], minor: 160 },
  { id: 'abc_dear', assets: ['a', 'b', 'c'], minor: 310 },
]);

describe('explainQuote: covers', () => {
  it('ranks every cover by subtotal, then the engine tie order, and says why each lost', () => {
    const e = explainQuote(TIE, ['a', 'b', 'c']);
    expect(e.covers!.shown.map((c) => [c.bundles, c.subtotalMinor, c.chosen, c.why])).toEqual([
      [['ab'], 260, true, undefined],
      [['bc'], 260, false, "same total; the chosen cover takes 'ab' (earlier in the policy)"],
      [[], 300, false, 'dearer by 0.40 USD'],
      [['abc_dear'], 310, false, "dearer by 0.50 USD; 'abc_dear' costs 0.10 USD more than its assets bought one by one"],
    ]);
    expect(e.covers!.count).toBe(4);
    expect(e.covers!.complete).toBe(true);
    expect(e.covers!.applicable).toBe(3);
    expect((e.quote as Quote).subtotalMinor).toBe(260);
    expect(e.tax).toMatchObject({ code: null, rate: 0, noRule: 'no_tax' });
  });

  it('lists only the applicable bundles: a bundle with an asset outside the basket is no candidate', () => {
    const e = explainQuote(TIE, ['c', 'b']);
    expect(e.covers!.shown.map((c) => [c.bundles, c.subtotalMinor, c.why])).toEqual([
      [['bc'], 160, undefined],
      [[], 200, 'dearer by 0.40 USD'],
    ]);
  });

  it('caps the covers shown and counts the rest', () => {
    const e = explainQuote(TIE, ['a', 'b', 'c'], undefined, { maxShown: 2 });
    expect(e.covers!.shown.map((c) => c.bundles)).toEqual([['ab'], ['bc']]);
    expect(e.covers!.count).toBe(4);
    const text = quoteExplanationPretty(e, false);
    expect(text).toContain('… and 2 more covers, none cheaper than the chosen one');
  });

  it('a stopped enumeration still shows the engine\'s choice first and says the list is partial', () => {
    // 8 disjoint bundles: 256 covers; stop after 10, before the full cover is reached.
    const prices = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`x${i}`, 100]));
    const bundles = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, assets: [`x${2 * i}`, `x${2 * i + 1}`], minor: 150 + i }));
    const t = table(prices, bundles);
    const e = explainQuote(t, Object.keys(prices), undefined, { maxEnumerated: 10 });
    expect(e.covers!.complete).toBe(false);
    expect(e.covers!.shown[0]!.chosen).toBe(true);
    expect(e.covers!.shown[0]!.bundles).toEqual(bundles.map((b) => b.id));
    expect(quoteExplanationPretty(e, false)).toContain('Bundle covers considered (at least');
  });

  it('gives no covers for a quote error, and the JSON carries the error as the engine gave it', () => {
    const e = explainQuote(TIE, ['a', 'zzz']);
    expect(e.quote).toEqual({ error: 'unknown_asset', message: "asset 'zzz' is not in the policy's assets registry", assetId: 'zzz' });
    expect(e.covers).toBeUndefined();
    expect(quoteExplanationJson(e)).toEqual({ quote: e.quote });
    expect(quoteExplanationPretty(e, false)).toBe("quote: ERROR unknown_asset: asset 'zzz' is not in the policy's assets registry\n");
  });

  it('tieOrder prefers the cover that takes the earliest bundle where two differ', () => {
    expect(tieOrder([0, 3], [1, 2])).toBeLessThan(0);
    expect(tieOrder([1], [1, 2])).toBeGreaterThan(0);
    expect(tieOrder([], [4])).toBeGreaterThan(0);
    expect(tieOrder([2, 5], [2, 5])).toBe(0);
  });
});

describe('explainQuote: the enumeration agrees with the engine on random small catalogues', () => {
  const catalogue = fc
    .record({
      // Few price levels, so that equal subtotals (the tie rule) are common.
      prices: fc.array(fc.constantFrom(0, 100, 200, 300), { minLength: 1, maxLength: 7 }),
      bundles: fc.array(fc.record({ members: fc.uniqueArray(fc.nat(6), { minLength: 1, maxLength: 4 }), percent: fc.constantFrom(0, 50, 80, 100, 120) }), { maxLength: 7 }),
      basket: fc.uniqueArray(fc.nat(6), { minLength: 1, maxLength: 7 }),
    })
    .map(({ prices, bundles, basket }) => {
      const ids = prices.map((_, i) => `a${i}`);
      const priceOf = Object.fromEntries(ids.map((id, i) => [id, prices[i]!]));
      const bs = bundles
        .map((b, i) => ({ id: `b${i}`, assets: b.members.filter((m) => m < ids.length).map((m) => ids[m]!), percent: b.percent }))
        .filter((b) => b.assets.length > 0)
        .map((b) => ({ id: b.id, assets: b.assets, minor: Math.round((b.assets.reduce((s, a) => s + priceOf[a]!, 0) * b.percent) / 100) }));
      return { t: table(priceOf, bs), basket: basket.filter((m) => m < ids.length).map((m) => ids[m]!) };
    })
    .filter(({ basket }) => basket.length > 0);

  it('the best enumerated cover is the engine\'s choice, at the engine\'s subtotal', () => {
    fc.assert(
      fc.property(catalogue, ({ t, basket }) => {
        const quote = createQuoter(t)(basket) as Quote;
        expect('error' in quote).toBe(false);
        const e = explainQuote(t, basket);
        const shown = e.covers!.shown;
        // Independently: every subset of the applicable bundles that is pairwise disjoint.
        const applicable = t.bundles.map((b, i) => [b, i] as const).filter(([b]) => b.assets.every((a) => basket.includes(a)));
        let disjoint = 0;
        for (let mask = 0; mask < 1 << applicable.length; mask++) {
          const members = applicable.filter((_, k) => mask & (1 << k)).flatMap(([b]) => b.assets);
          if (new Set(members).size === members.length) disjoint++;
        }
        expect(e.covers!.count).toBe(disjoint);
        expect(shown.filter((c) => c.chosen)).toHaveLength(1);
        expect(shown[0]!.chosen).toBe(true);
        expect(shown[0]!.bundles).toEqual(quote.lines.filter((l) => l.bundleId !== undefined).map((l) => l.bundleId));
        expect(shown[0]!.subtotalMinor).toBe(quote.subtotalMinor);
        // Sorted: subtotal never falls, and each loser says why.
        for (let i = 1; i < shown.length; i++) {
          expect(shown[i]!.subtotalMinor).toBeGreaterThanOrEqual(shown[i - 1]!.subtotalMinor);
          expect(shown[i]!.why).toMatch(/^(dearer by \d+\.\d\d USD|same total; the chosen cover takes 'b\d+' \(earlier in the policy\))/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('explainQuote: tax rule matched (marketplace example)', () => {
  const checked = toChecked(loadPolicyFile('examples/marketplace-policy.yaml'))!;
  const t = checked.ir.quote;
  const regions = checked.policy.tax!.rules.map((r) => r.region);
  const kit = ['model:llm-base', 'dataset:training-corpus'];

  it('an EU buyer: the EU rule at the standard VAT rate of the country', () => {
    const e = explainQuote(t, kit, { context: { country: 'DE' } }, { regions });
    expect(e.tax).toEqual({ country: 'DE', ruleIndex: 0, region: ['EU'], code: 'digital_services_eu', rate: 0.19, vat: true, reverseCharge: false, inclusive: false, vatRatesAsOf: t.vatRatesAsOf });
    // The rate shown is the rate the engine applied.
    expect((e.quote as Quote).tax.map((x) => x.rate)).toEqual([0.19, 0.19]);
    expect(quoteExplanationPretty(e, false)).toContain(`tax: tax.rules[0] (region EU) holds DE: code digital_services_eu, rate 19% (the standard VAT rate of DE, as of ${t.vatRatesAsOf})`);
  });

  it('an EU business with a VAT id: reverse charge, rate 0', () => {
    const e = explainQuote(t, kit, { context: { country: 'FR', vatId: 'FR12345678901' } }, { regions });
    expect(e.tax).toMatchObject({ ruleIndex: 0, rate: 0, reverseCharge: true });
    expect((e.quote as Quote).taxMinor).toBe(0);
    expect(quoteExplanationPretty(e, false)).toContain('tax: tax.rules[0] (region EU) holds FR: code digital_services_eu, reverse charge (the rule allows it and the buyer gave a VAT id): rate 0');
  });

  it('a fixed-rate rule, a country no rule holds, and no country at all', () => {
    expect(explainQuote(t, kit, { context: { country: 'NO' } }, { regions }).tax).toMatchObject({ ruleIndex: 1, region: ['NO'], code: 'digital_services_no', rate: 0.25, vat: false });
    const us = explainQuote(t, kit, { context: { country: 'US' } }, { regions });
    expect(us.tax).toMatchObject({ country: 'US', code: 'digital_goods', rate: 0, noRule: 'no_region' });
    expect(us.tax!.ruleIndex).toBeUndefined();
    expect(quoteExplanationPretty(us, false)).toContain("tax: no rule (no rule's region holds US): default code digital_goods, rate 0");
    const none = explainQuote(t, kit);
    expect(quoteExplanationPretty(none, false)).toContain('tax: no rule (the request names no country): default code digital_goods, rate 0');
  });

  it('the pretty quote: lines, subtotal, tax and total in major units', () => {
    const text = quoteExplanationPretty(explainQuote(t, [...kit, 'code:sdk'], { context: { country: 'DE' } }, { regions }), false);
    expect(text.split('\n').slice(0, 7)).toEqual([
      // 49.00 + 120.00 at 0.8; the bundle's tax split by its assets' codes, 39.20 and 96.00.
      'quote: 160.89 EUR for 3 assets',
      '  ai_starter_kit (model:llm-base, dataset:training-corpus)  135.20 EUR  tax 25.69 EUR',
      '  code:sdk                                                    0.00 EUR  tax 0.00 EUR digital_services_eu',
      '  subtotal                                                  135.20 EUR',
      '  tax                                                        25.69 EUR  (digital_services_eu 19%: 7.45 EUR; digital_data 19%: 18.24 EUR)',
      '  total                                                     160.89 EUR',
      `  buyer in DE; VAT rates as of ${t.vatRatesAsOf}`,
    ]);
  });
});
