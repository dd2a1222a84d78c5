/**
 * Property-based test of the quote engine against a brute-force oracle. Random catalogues (up to
 * 10 priced assets with 0–4 decimals, up to 8 bundles of 2–4 assets with multipliers 0.5–1.2, per
 * asset tax codes, a tax rule) and random baskets: the oracle prices every asset and bundle again
 * from the decimals it generated, with BigInt, tries every set of pairwise disjoint applicable
 * bundles, keeps the cheapest (ties: the set that takes the earliest bundle where two sets
 * differ), and builds the whole quote — lines, tax per line and per code, totals. The library
 * engine, the in-process module and a compiled ESM file must each give exactly that quote.
 *
 * QUOTE_PROPERTY_RUNS=2000 for a longer hunt; fast-check prints the seed of a failing run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quote, QuoteLine, QuoteTaxLine } from '../../src/money/engine.js';
import { irOfText } from '../helpers/front-end.js';
import { tempFolder } from '../helpers/tmp.js';
import { AS_OF } from './quote-cases.js';
import { inProcessSurfaces, loadCompiled } from './surfaces.js';

const RUNS = Number(process.env.QUOTE_PROPERTY_RUNS ?? 120);
const CURRENCIES = [
  { code: 'USD', exponent: 2 },
  { code: 'JPY', exponent: 0 },
  { code: 'KWD', exponent: 3 },
] as const;

/** units / 10^scale */
interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

interface Catalogue {
  readonly currency: (typeof CURRENCIES)[number];
  readonly assets: readonly { readonly id: string; readonly price: Dec; readonly quoted: boolean; readonly taxCode?: string }[];
  readonly bundles: readonly { readonly id: string; readonly members: readonly number[]; readonly multiplier: Dec }[];
  readonly tax?: { readonly inclusive: boolean; readonly defaultCode?: string; readonly rate: Dec };
}

interface Basket {
  readonly ids: readonly string[];
  readonly country?: 'DE' | 'US';
}

function text(d: Dec): string {
  const s = d.units.toString().padStart(d.scale + 1, '0');
  return d.scale === 0 ? s : `${s.slice(0, -d.scale)}.${s.slice(-d.scale)}`;
}

// --- generators -------------------------------------------------------------------------------

/**
 * How prices and multipliers are drawn: `fine` any price with 0–4 decimals; `coarse` a few round
 * values, so that ties are common; `tiny` whole prices of 1–30 (in yen), so that savings differ
 * by single minor units and the search's bound is tested at its edge.
 */
type Mode = 'fine' | 'coarse' | 'tiny';

const priceArb = (mode: Mode): fc.Arbitrary<Dec> =>
  mode === 'coarse'
    ? fc.constantFrom(100n, 150n, 200n, 250n, 300n).map((units) => ({ units, scale: 2 }))
    : mode === 'tiny'
      ? fc.bigInt({ min: 1n, max: 30n }).map((units) => ({ units, scale: 0 }))
      : fc.integer({ min: 0, max: 4 }).chain((scale) => fc.bigInt({ min: 0n, max: 10n ** BigInt(scale) * 5000n }).map((units) => ({ units, scale })));

/** Multipliers 0.5–1.2 with 1–3 decimals, or (coarse) one of a few values. */
const multiplierArb = (mode: Mode): fc.Arbitrary<Dec> =>
  mode === 'coarse'
    ? fc.constantFrom<Dec>({ units: 5n, scale: 1 }, { units: 75n, scale: 2 }, { units: 9n, scale: 1 }, { units: 1n, scale: 0 }, { units: 12n, scale: 1 })
    : fc.integer({ min: 1, max: 3 }).chain((scale) => fc.bigInt({ min: 5n * 10n ** BigInt(scale - 1), max: 12n * 10n ** BigInt(scale - 1) }).map((units) => ({ units, scale })));

const catalogueArb: fc.Arbitrary<Catalogue> = fc
  .record({ n: fc.noBias(fc.integer({ min: 1, max: 10 })), mode: fc.constantFrom<Mode>('fine', 'coarse', 'tiny'), currency: fc.constantFrom(...CURRENCIES) })
  .chain(({ n, mode, currency }) =>
    fc.record({
      currency: fc.constant(mode === 'tiny' ? CURRENCIES[1] : currency),
      assets: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            id: fc.constant(`a${i}`),
            price: priceArb(mode),
            quoted: fc.boolean(),
            taxCode: fc.option(fc.constantFrom('A', 'B'), { nil: undefined, freq: 2 }),
          }),
        ),
      ),
      bundles:
        n < 2
          ? fc.constant([])
          : fc.array(fc.record({ members: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: Math.min(4, n) }), multiplier: multiplierArb(mode) }), { maxLength: 8, size: 'max' }).map((bs) => bs.map((b, i) => ({ id: `b${i}`, ...b }))),
      tax: fc.option(
        fc.record({
          inclusive: fc.boolean(),
          defaultCode: fc.option(fc.constant('dflt'), { nil: undefined }),
          rate: fc.constantFrom<Dec>({ units: 7n, scale: 2 }, { units: 19n, scale: 2 }, { units: 255n, scale: 3 }, { units: 1n, scale: 0 }, { units: 0n, scale: 0 }),
        }),
        { nil: undefined },
      ),
    }),
  )
  .map((c) => {
    // Drop undefined optional keys so the record reads as data.
    const assets = c.assets.map((a) => (a.taxCode === undefined ? { id: a.id, price: a.price, quoted: a.quoted } : a));
    const tax = c.tax === undefined ? undefined : c.tax.defaultCode === undefined ? { inclusive: c.tax.inclusive, rate: c.tax.rate } : c.tax;
    return { currency: c.currency, assets, bundles: c.bundles, ...(tax === undefined ? {} : { tax }) };
  });

/** Any non-empty subset of the catalogue, or (so that bundles apply often) the assets of some bundles plus a few more; in random order. */
const idsArb = (c: Catalogue): fc.Arbitrary<string[]> => {
  const all = c.assets.map((a) => a.id);
  const anySubset = fc.shuffledSubarray(all, { minLength: 1 });
  if (c.bundles.length === 0) return anySubset;
  const aroundBundles = fc
    .tuple(fc.subarray([...c.bundles], { minLength: 1 }), fc.subarray(all))
    .chain(([bundles, extra]) => fc.shuffledSubarray([...new Set([...bundles.flatMap((b) => b.members.map((m) => all[m]!)), ...extra])], { minLength: 1 }).map((ids) => ids));
  return fc.oneof({ arbitrary: anySubset, weight: 1 }, { arbitrary: aroundBundles, weight: 3 });
};

const basketsArb = (c: Catalogue): fc.Arbitrary<Basket[]> =>
  fc.array(
    fc.record({ ids: idsArb(c), country: fc.option(fc.constantFrom<'DE' | 'US'>('DE', 'US'), { nil: undefined }) }).map((b) => (b.country === undefined ? { ids: b.ids } : b)),
    { minLength: 1, maxLength: 10, size: 'max' },
  );

function policyText(c: Catalogue): string {
  const lines = [`version: "1.0"`, `currency: ${c.currency.code}`, 'rules: []', 'assets:'];
  for (const a of c.assets) lines.push(`  - {id: ${a.id}, price: ${a.quoted ? `"${text(a.price)}"` : text(a.price)}${a.taxCode ? `, tax_code: ${a.taxCode}` : ''}}`);
  if (c.bundles.length > 0) {
    lines.push('bundles:');
    for (const b of c.bundles) lines.push(`  - {id: ${b.id}, assets: [${b.members.map((m) => c.assets[m]!.id).join(', ')}], price_multiplier: ${text(b.multiplier)}}`);
  }
  if (c.tax) {
    lines.push('tax:', `  inclusive: ${c.tax.inclusive}`);
    if (c.tax.defaultCode) lines.push(`  default_code: ${c.tax.defaultCode}`);
    lines.push('  rules:', `    - {region: DE, code: std, rate: ${text(c.tax.rate)}}`);
  }
  return `${lines.join('\n')}\n`;
}

// --- the oracle -------------------------------------------------------------------------------

/** num / den rounded half-even (non-negative). */
function halfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num - q * den;
  return 2n * r > den || (2n * r === den && q % 2n === 1n) ? q + 1n : q;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** An exact decimal in minor units of `exponent` digits, rounded half-even once. */
function minorOf(d: Dec, exponent: number): bigint {
  return halfEven(d.units * pow10(exponent), pow10(d.scale));
}

/** The quote the engine must give, from the generated decimals alone. */
function oracle(c: Catalogue, basket: Basket): { quote: Quote; cover: string[]; covers: number } {
  const e = c.currency.exponent;
  const byId = new Map(c.assets.map((a) => [a.id, a]));
  const single = new Map(c.assets.map((a) => [a.id, minorOf(a.price, e)]));
  const inBasket = new Set(basket.ids);
  const bundleAmount = c.bundles.map((b) => {
    // (Σ price_i) × multiplier, exactly, then one rounding: Σ units_i·10^(S−s_i) · m / 10^(S + s_m).
    const S = Math.max(...b.members.map((m) => c.assets[m]!.price.scale));
    const sum = b.members.reduce((s, m) => s + c.assets[m]!.price.units * pow10(S - c.assets[m]!.price.scale), 0n);
    return halfEven(sum * b.multiplier.units * pow10(e), pow10(S + b.multiplier.scale));
  });
  const applicable = c.bundles.map((b, i) => i).filter((i) => c.bundles[i]!.members.every((m) => inBasket.has(c.assets[m]!.id)));

  // Every subset of the applicable bundles, in order of the inclusion vector from "take all"
  // downwards: the first cheapest one met is the one that takes the earliest bundle where two differ.
  let best: { total: bigint; set: number[] } | undefined;
  let covers = 0;
  const k = applicable.length;
  for (let mask = (1 << k) - 1; mask >= 0; mask--) {
    // Bit k−1−j stands for applicable[j], so a larger mask takes an earlier bundle at the first difference.
    const set = applicable.filter((_, j) => (mask >> (k - 1 - j)) & 1);
    const used = new Set<string>();
    let disjoint = true;
    for (const i of set) for (const m of c.bundles[i]!.members) {
      const id = c.assets[m]!.id;
      if (used.has(id)) disjoint = false;
      used.add(id);
    }
    if (!disjoint) continue;
    covers++;
    let total = set.reduce((s, i) => s + bundleAmount[i]!, 0n);
    for (const id of basket.ids) if (!used.has(id)) total += single.get(id)!;
    if (best === undefined || total < best.total) best = { total, set };
  }
  const chosen = best!.set;

  // Tax.
  const rule = c.tax !== undefined && basket.country === 'DE';
  const rate = rule ? c.tax!.rate : { units: 0n, scale: 0 };
  const [rn, rd] = [rate.units, pow10(rate.scale)];
  const inclusive = c.tax?.inclusive ?? false;
  const codeOf = (own: string | undefined): string | undefined => own ?? (rule ? 'std' : undefined) ?? c.tax?.defaultCode;
  const taxOf = (amount: bigint): bigint => (rn === 0n ? 0n : inclusive ? halfEven(amount * rn, rd + rn) : halfEven(amount * rn, rd));
  const taxByCode = new Map<string, bigint>();
  const lines: QuoteLine[] = [];
  let subtotal = 0n;
  let taxTotal = 0n;
  const addLine = (bundleId: string | undefined, assets: string[], amount: bigint, parts: [string | undefined, bigint][]): void => {
    let lineTax = 0n;
    const codes = new Set<string | undefined>();
    for (const [own, part] of parts) {
      const code = codeOf(own);
      const t = taxOf(part);
      codes.add(code);
      lineTax += t;
      if (code !== undefined) taxByCode.set(code, (taxByCode.get(code) ?? 0n) + t);
    }
    subtotal += amount;
    taxTotal += lineTax;
    const [only] = codes;
    lines.push({ ...(bundleId === undefined ? {} : { bundleId }), assets, amountMinor: Number(amount), ...(codes.size === 1 && only !== undefined ? { taxCode: only } : {}), taxMinor: Number(lineTax) });
  };
  const covered = new Set<string>();
  for (const i of chosen) {
    const b = c.bundles[i]!;
    const ids = b.members.map((m) => c.assets[m]!.id);
    ids.forEach((id) => covered.add(id));
    addLine(b.id, ids, bundleAmount[i]!, apportion(bundleAmount[i]!, ids.map((id) => [byId.get(id)!.taxCode, byId.get(id)!.price])));
  }
  for (const id of basket.ids) if (!covered.has(id)) addLine(undefined, [id], single.get(id)!, [[byId.get(id)!.taxCode, single.get(id)!]]);
  const reverse = false;
  const tax: QuoteTaxLine[] = [...taxByCode].map(([code, amount]) => ({ code, rate: Number(rn) / Number(rd), amountMinor: Number(amount), ...(reverse ? { reverseCharge: true as const } : {}) }));
  const quote: Quote = {
    currency: c.currency.code,
    lines,
    subtotalMinor: Number(subtotal),
    tax,
    taxMinor: Number(taxTotal),
    totalMinor: Number(inclusive ? subtotal : subtotal + taxTotal),
    inclusive,
    ...(basket.country === undefined ? {} : { country: basket.country }),
    vatRatesAsOf: AS_OF,
  };
  return { quote, cover: chosen.map((i) => c.bundles[i]!.id), covers };
}

/**
 * A bundle amount split among its assets' own tax codes in proportion to their exact prices:
 * floors, then one unit each to the largest remainders (the earlier code on equal remainders).
 */
function apportion(amount: bigint, assets: [string | undefined, Dec][]): [string | undefined, bigint][] {
  const scale = Math.max(...assets.map(([, d]) => d.scale));
  const groups = new Map<string | undefined, bigint>();
  for (const [code, d] of assets) groups.set(code, (groups.get(code) ?? 0n) + d.units * pow10(scale - d.scale));
  if (groups.size === 1) return [[[...groups.keys()][0], amount]];
  const total = [...groups.values()].reduce((s, w) => s + w, 0n);
  if (total === 0n) return [...groups.keys()].map((code) => [code, 0n]);
  const shares = [...groups].map(([code, w], i) => ({ code, i, floor: (amount * w) / total, rem: (amount * w) % total }));
  let left = amount - shares.reduce((s, x) => s + x.floor, 0n);
  for (const x of [...shares].sort((p, q) => (p.rem === q.rem ? p.i - q.i : p.rem > q.rem ? -1 : 1))) {
    if (left === 0n) break;
    x.floor += 1n;
    left -= 1n;
  }
  return shares.map((x) => [x.code, x.floor]);
}

// --- the property -----------------------------------------------------------------------------

const dir = tempFolder('monetize-quote-property-');

describe('quote: best cover against brute force, on every surface', () => {
  it(`agrees with the oracle on ${RUNS} random catalogues`, async () => {
    const stats = { catalogues: 0, baskets: 0, withBundles: 0, multiBundleCovers: 0, ties: 0, taxed: 0 };
    await fc.assert(
      fc.asyncProperty(catalogueArb.chain((c) => fc.tuple(fc.constant(c), basketsArb(c))), async ([c, baskets]) => {
        const text = policyText(c);
        const ir = irOfText(text, 'random.yaml');
        const esm = await loadCompiled(ir, 'esm', dir());
        const surfaces = [...inProcessSurfaces(ir), { name: 'esm file', quote: esm.quote }];
        stats.catalogues++;
        for (const basket of baskets) {
          const want = oracle(c, basket);
          const request = basket.country === undefined ? undefined : { context: { country: basket.country } };
          for (const s of surfaces) {
            const got = request === undefined ? s.quote(basket.ids) : s.quote(basket.ids, request);
            if (JSON.stringify(got) !== JSON.stringify(want.quote)) {
              throw new Error(`${s.name} disagrees with the oracle\n  oracle: ${JSON.stringify(want.quote)}\n  ${s.name}: ${JSON.stringify(got)}\n--- policy ---\n${text}--- basket ---\n${JSON.stringify(basket)}`);
            }
          }
          stats.baskets++;
          if (want.cover.length > 0) stats.withBundles++;
          if (want.cover.length > 1) stats.multiBundleCovers++;
          if (want.quote.taxMinor > 0) stats.taxed++;
          if (hasTie(c, basket)) stats.ties++;
        }
      }),
      { numRuns: RUNS },
    );
    if (process.env.QUOTE_PROPERTY_STATS) console.log(stats);
    // The generators must reach the interesting cases, or the property proves little.
    expect(stats.catalogues).toBe(RUNS);
    expect(stats.withBundles).toBeGreaterThan(stats.baskets / 10);
    expect(stats.multiBundleCovers).toBeGreaterThan(0);
    expect(stats.ties).toBeGreaterThan(0);
    expect(stats.taxed).toBeGreaterThan(0);
  }, Math.max(60_000, RUNS * 200));

  it('the oracle prefers the earlier bundle on a tie and never a dearer set', () => {
    const c: Catalogue = {
      currency: CURRENCIES[0],
      assets: ['a0', 'a1', 'a2'].map((id) => ({ id, price: { units: 10n, scale: 0 }, quoted: true })),
      bundles: [
        { id: 'b0', members: [0, 1], multiplier: { units: 9n, scale: 1 } },
        { id: 'b1', members: [1, 2], multiplier: { units: 9n, scale: 1 } },
        { id: 'b2', members: [0, 1, 2], multiplier: { units: 12n, scale: 1 } },
      ],
    };
    // b0 and b1 save 200 each and overlap on a1; b2 costs 3600 > 3000.
    expect(oracle(c, { ids: ['a2', 'a1', 'a0'] }).cover).toEqual(['b0']);
    expect(oracle(c, { ids: ['a2', 'a1'] }).cover).toEqual(['b1']);
    expect(oracle(c, { ids: ['a2', 'a1', 'a0'] }).quote.subtotalMinor).toBe(1800 + 1000);
  });
});

/** Whether two different disjoint sets of applicable bundles give the cheapest total (tie-break exercised). */
function hasTie(c: Catalogue, basket: Basket): boolean {
  const want = oracle(c, basket);
  if (want.covers < 2) return false;
  const best = BigInt(want.quote.subtotalMinor);
  // Re-run the oracle with the chosen set forbidden by dropping its first bundle: equal total → a tie.
  const [first] = want.cover;
  if (first === undefined) return false;
  const without: Catalogue = { ...c, bundles: c.bundles.filter((b) => b.id !== first) };
  return BigInt(oracle(without, basket).quote.subtotalMinor) === best;
}
