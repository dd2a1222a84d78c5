/**
 * A quote written by hand for one catalogue in dollars and cents: the baseline the compiled
 * module's `quote` is measured against. Written without the quote engine, as an engineer would for
 * their own catalogue: maps from id to price in cents and from id to the bundles holding it, built
 * once; per basket the applicable bundles, the best set of disjoint ones (largest saving; ties: the
 * set that takes the earliest bundle where two sets differ) by branch and bound over bit masks, and
 * tax per line, half-even. Checks what a careful hand-written function checks (an array of
 * non-empty strings, no duplicates, known ids) and never throws on the inputs it is given.
 */
import { VAT_STANDARD_RATES } from '../src/money/vat.js';

export interface CatalogueAsset {
  readonly id: string;
  /** Dollars with at most two decimals: "19.99", "4.5", "12". */
  readonly price: string;
}

export interface CatalogueBundle {
  readonly id: string;
  readonly assets: readonly string[];
  /** The multiplier of the bundle's price, as written: "0.8". */
  readonly multiplier: string;
}

export interface CatalogueTaxRule {
  /** `EU` for the member states, or a list of country codes. */
  readonly region: 'EU' | readonly string[];
  readonly code: string;
  /** `vat` for the country's standard VAT rate, or a decimal rate: "0.0725". */
  readonly rate: string;
}

export interface Catalogue {
  /** The asset registry; ids outside it are unknown unless `defaultPrice` is set. */
  readonly assets: readonly CatalogueAsset[];
  /** The price of any id outside the registry. */
  readonly defaultPrice?: string;
  /** In policy order. */
  readonly bundles: readonly CatalogueBundle[];
  readonly tax: { readonly defaultCode: string; readonly rules: readonly CatalogueTaxRule[] };
}

/** The seed policy (examples/monetization-policy.yaml) as a catalogue: no registry, every id 1.00. */
export const SEED_CATALOGUE: Catalogue = {
  assets: [],
  defaultPrice: '1',
  bundles: [
    { id: 'ai_starter_kit', assets: ['model:llm-base', 'dataset:training-corpus'], multiplier: '0.8' },
    { id: 'enterprise_data_suite', assets: ['dataset:financial', 'dataset:market', 'api:analytics'], multiplier: '0.7' },
  ],
  tax: { defaultCode: 'digital_goods', rules: [{ region: 'EU', code: 'digital_services_eu', rate: 'vat' }] },
};

export interface HandLine {
  readonly bundleId?: string;
  readonly assets: readonly string[];
  readonly amountMinor: number;
  readonly taxCode: string;
  readonly taxMinor: number;
}

export interface HandQuote {
  readonly currency: 'USD';
  readonly lines: readonly HandLine[];
  readonly subtotalMinor: number;
  readonly tax: readonly { readonly code: string; readonly rate: number; readonly amountMinor: number }[];
  readonly taxMinor: number;
  readonly totalMinor: number;
  readonly country?: string;
}

export interface HandError {
  readonly error: string;
  readonly message: string;
}

/** A decimal string as an integer ratio: "0.255" is [255, 1000]. */
function ratio(text: string): [number, number] {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) throw new Error(`not a decimal: ${text}`);
  const frac = m[2] ?? '';
  return [Number(m[1]! + frac), 10 ** frac.length];
}

function cents(text: string): number {
  const [n, d] = ratio(text);
  if (100 % d !== 0) throw new Error(`more than two decimals: ${text}`);
  return n * (100 / d);
}

/** `p / d` rounded half-even, for a non-negative safe integer `p`. */
function divHalfEven(p: number, d: number): number {
  const q = Math.floor(p / d);
  const r = p - q * d;
  return 2 * r > d || (2 * r === d && q % 2 === 1) ? q + 1 : q;
}

interface TaxRate {
  readonly code: string;
  readonly num: number;
  readonly den: number;
}

/** Build the quote function of one catalogue. */
export function handwrittenQuoter(catalogue: Catalogue): (assetIds: unknown, request?: unknown) => HandQuote | HandError {
  const priceOf = new Map<string, number>();
  for (const a of catalogue.assets) priceOf.set(a.id, cents(a.price));
  const fallback = catalogue.defaultPrice === undefined ? undefined : cents(catalogue.defaultPrice);
  const priceOrDefault = (id: string): number | undefined => priceOf.get(id) ?? fallback;

  const bundles = catalogue.bundles;
  const size = bundles.map((b) => b.assets.length);
  const amount = bundles.map((b) => {
    const [n, d] = ratio(b.multiplier);
    return divHalfEven(b.assets.reduce((s, a) => s + priceOrDefault(a)!, 0) * n, d);
  });
  const saving = bundles.map((b, i) => b.assets.reduce((s, a) => s + priceOrDefault(a)!, 0) - amount[i]!);
  const bundlesOf = new Map<string, number[]>();
  bundles.forEach((b, i) => {
    for (const a of b.assets) {
      const list = bundlesOf.get(a);
      if (list) list.push(i);
      else bundlesOf.set(a, [i]);
    }
  });

  // The first rule naming a country wins.
  const rates = new Map<string, TaxRate>();
  for (const rule of catalogue.tax.rules) {
    const countries = rule.region === 'EU' ? Object.keys(VAT_STANDARD_RATES) : rule.region;
    for (const c of countries) {
      if (rates.has(c)) continue;
      const [num, den] = ratio(rule.rate === 'vat' ? VAT_STANDARD_RATES[c]! : rule.rate);
      rates.set(c, { code: rule.code, num, den });
    }
  }
  const noTax: TaxRate = { code: catalogue.tax.defaultCode, num: 0, den: 1 };

  const count = new Int32Array(bundles.length);
  const fail = (error: string, message: string): HandError => ({ error, message });

  return (assetIds, request) => {
    if (!Array.isArray(assetIds) || assetIds.length === 0) return fail('invalid_assets', 'assetIds must be a non-empty array');
    const n = assetIds.length;
    if (n > 31) return fail('too_many_assets', 'this quote takes at most 31 assets');
    const ids = assetIds as unknown[];
    const position = new Map<string, number>();
    const prices: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (typeof id !== 'string' || id === '') return fail('invalid_assets', `assetIds[${i}] is not a non-empty string`);
      if (position.has(id)) return fail('duplicate_asset', `asset '${id}' is named twice`);
      const p = priceOrDefault(id);
      if (p === undefined) return fail('unknown_asset', `asset '${id}' is not in the catalogue`);
      position.set(id, i);
      prices.push(p);
    }
    const ctx = typeof request === 'object' && request !== null ? (request as { context?: { country?: unknown } }).context : undefined;
    const country = typeof ctx?.country === 'string' ? ctx.country : undefined;

    // Applicable bundles (all of their assets in the basket, saving something), in policy order,
    // as bit masks over basket positions.
    const touched: number[] = [];
    for (let i = 0; i < n; i++) {
      const list = bundlesOf.get(ids[i] as string);
      if (list === undefined) continue;
      for (const b of list) if (count[b]++ === 0) touched.push(b);
    }
    const cands: number[] = [];
    for (const b of touched) {
      if (count[b] === size[b] && saving[b]! >= 0) cands.push(b);
      count[b] = 0;
    }
    cands.sort((x, y) => x - y);
    const k = cands.length;
    const mask: number[] = [];
    const save: number[] = [];
    for (const b of cands) {
      let m = 0;
      for (const a of bundles[b]!.assets) m |= 1 << position.get(a)!;
      mask.push(m);
      save.push(saving[b]!);
    }

    // Branch and bound, taking a bundle before leaving it out: the first best set found is the
    // one the tie rule prefers, so only a strictly larger saving replaces it.
    let best = -1;
    let bestSet: number[] = [];
    const chosen: number[] = [];
    const search = (j: number, used: number, saved: number): void => {
      if (j === k) {
        if (saved > best) {
          best = saved;
          bestSet = chosen.slice();
        }
        return;
      }
      let bound = saved;
      for (let t = j; t < k; t++) if ((mask[t]! & used) === 0) bound += save[t]!;
      if (bound <= best) return;
      if ((mask[j]! & used) === 0) {
        chosen.push(j);
        search(j + 1, used | mask[j]!, saved + save[j]!);
        chosen.pop();
      }
      search(j + 1, used, saved);
    };
    if (k > 0) search(0, 0, 0);

    const rate = (country === undefined ? undefined : rates.get(country)) ?? noTax;
    const taxOf = (amountMinor: number): number => (rate.num === 0 ? 0 : divHalfEven(amountMinor * rate.num, rate.den));
    const lines: HandLine[] = [];
    let subtotal = 0;
    let taxTotal = 0;
    let covered = 0;
    for (const j of bestSet) {
      const b = cands[j]!;
      const t = taxOf(amount[b]!);
      lines.push({ bundleId: bundles[b]!.id, assets: bundles[b]!.assets, amountMinor: amount[b]!, taxCode: rate.code, taxMinor: t });
      subtotal += amount[b]!;
      taxTotal += t;
      covered |= mask[j]!;
    }
    for (let i = 0; i < n; i++) {
      if ((covered & (1 << i)) !== 0) continue;
      const t = taxOf(prices[i]!);
      lines.push({ assets: [ids[i] as string], amountMinor: prices[i]!, taxCode: rate.code, taxMinor: t });
      subtotal += prices[i]!;
      taxTotal += t;
    }
    const tax = [{ code: rate.code, rate: rate.num / rate.den, amountMinor: taxTotal }];
    const total = subtotal + taxTotal;
    if (country === undefined) return { currency: 'USD', lines, subtotalMinor: subtotal, tax, taxMinor: taxTotal, totalMinor: total };
    return { currency: 'USD', lines, subtotalMinor: subtotal, tax, taxMinor: taxTotal, totalMinor: total, country };
  };
}
