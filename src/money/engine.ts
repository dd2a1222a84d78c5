/**
 * The quote engine: bundle choice and tax over a lowered price table, in integer minor units.
 * Shipped inside every compiled module (like src/runtime) and used by the CLI and the library, so
 * all three give byte-identical quotes. It imports nothing. Every amount in the table was computed
 * exactly when the policy was lowered; here money is only added, and multiplied by a tax rate
 * through `mulDivHalfEven`, which is exact.
 */

/** A rate as a ratio of safe integers: 0.19 is [19, 100]. */
export type Ratio = readonly [number, number];

/** A registry asset: its single-line price in minor units (null: no price) and its tax code. */
export interface QuoteAsset {
  readonly id: string;
  readonly minor: number | null;
  readonly taxCode: string | null;
}

export interface QuoteBundle {
  readonly id: string;
  readonly assets: readonly string[];
  /** The bundle line: the exact sum of its assets' prices × its multiplier, rounded half-even once. */
  readonly minor: number;
  /** The sum of its assets' single lines minus `minor` (what choosing it saves; ≤ 0 never helps). */
  readonly saving: number;
  /** `minor` split by the assets' own tax codes (null: none), in proportion to their prices. */
  readonly parts: readonly (readonly [string | null, number])[];
}

export interface QuoteTaxRule {
  readonly countries: readonly string[];
  readonly code: string;
  /** null: the country's standard VAT rate from `QuoteTable.vat`. */
  readonly rate: Ratio | null;
  readonly reverseCharge: boolean;
}

/** Everything `quote` needs, computed when the policy is lowered; plain JSON. */
export interface QuoteTable {
  readonly currency: string;
  /** Digits of the minor unit (USD 2, JPY 0, KWD 3). */
  readonly exponent: number;
  /** Whether the policy has an asset registry: then ids outside it are unknown. */
  readonly registry: boolean;
  readonly assets: readonly QuoteAsset[];
  /** Price of an asset without its own, in minor units; null when the policy sets no default. */
  readonly defaultMinor: number | null;
  /** Bundles every asset of which can be priced, in policy order. */
  readonly bundles: readonly QuoteBundle[];
  readonly tax: { readonly inclusive: boolean; readonly defaultCode: string | null; readonly rules: readonly QuoteTaxRule[] } | null;
  /** Standard VAT rates of the EU member states, by country. */
  readonly vat: Readonly<Record<string, Ratio>>;
  readonly vatRatesAsOf: string;
  /** Every ISO 3166-1 alpha-2 code, concatenated. */
  readonly countries: string;
}

export interface QuoteLine {
  readonly bundleId?: string;
  readonly assets: readonly string[];
  readonly amountMinor: number;
  /** The line's tax code, when all of it has one code. */
  readonly taxCode?: string;
  readonly taxMinor: number;
}

export interface QuoteTaxLine {
  readonly code: string;
  readonly rate: number;
  readonly amountMinor: number;
  readonly reverseCharge?: true;
}

export interface Quote {
  readonly currency: string;
  readonly lines: readonly QuoteLine[];
  readonly subtotalMinor: number;
  readonly tax: readonly QuoteTaxLine[];
  readonly taxMinor: number;
  readonly totalMinor: number;
  /** Prices include tax: the total is the subtotal and the tax is the part of it that is tax. */
  readonly inclusive: boolean;
  readonly country?: string;
  readonly vatRatesAsOf: string;
}

export type QuoteErrorCode =
  | 'invalid_assets'
  | 'too_many_assets'
  | 'duplicate_asset'
  | 'unknown_asset'
  | 'no_price'
  | 'invalid_request'
  | 'unknown_country'
  | 'too_complex'
  | 'amount_too_large';

/** A quote that cannot be given: never a throw, never a guessed price. */
export interface QuoteError {
  readonly error: QuoteErrorCode;
  readonly message: string;
  readonly assetId?: string;
}

/** The most assets one quote may name. */
export const MAX_QUOTE_ASSETS = 1000;
/** The most search steps the bundle choice may take before the quote is refused as too complex. */
export const MAX_COVER_STEPS = 1000000;

/** A quote function over one table, with its indexes built once. */
export type Quoter = (assetIds: unknown, request?: unknown) => Quote | QuoteError;

interface Priced {
  readonly minor: number;
  readonly taxCode: string | null;
  /** Indexes of the bundles this asset is part of. */
  readonly bundles: readonly number[];
}

function ownValue(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function quoteError(error: QuoteErrorCode, message: string, assetId?: string): QuoteError {
  return assetId === undefined ? { error, message } : { error, message, assetId };
}

/** `a × n / d` rounded half-even, exactly, for non-negative safe integers. */
export function mulDivHalfEven(a: number, n: number, d: number): number {
  const p = a * n;
  if (Number.isSafeInteger(p)) {
    // The float division may be one off for large products; the remainder puts it right.
    let q = Math.floor(p / d);
    let r = p - q * d;
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
    return 2 * r > d || (2 * r === d && q % 2 === 1) ? q + 1 : q;
  }
  const bp = BigInt(a) * BigInt(n);
  const bd = BigInt(d);
  const q = bp / bd;
  const r = bp - q * bd;
  return Number(2n * r > bd || (2n * r === bd && q % 2n === 1n) ? q + 1n : q);
}

/** The bundles (indexes, in policy order) whose assets are all among `ids`. */
export function applicableBundles(table: QuoteTable, ids: readonly string[]): number[] {
  const wanted = new Set(ids);
  const out: number[] = [];
  table.bundles.forEach((b, i) => {
    if (b.assets.every((a) => wanted.has(a))) out.push(i);
  });
  return out;
}

/**
 * The best cover: among the pairwise disjoint sets of `candidates` (bundle indexes in policy
 * order), the one with the largest total saving; among equal savings, the one that takes the
 * earliest bundle where two sets differ. Branch and bound over the bundles in policy order, taking
 * a bundle before leaving it out, so that the first best set found is the one the tie rule
 * prefers; a branch is cut when even its optimistic bound cannot beat the best so far. Returns the
 * chosen indexes, or undefined when the search would take more than MAX_COVER_STEPS steps.
 */
export function bestCover(table: QuoteTable, candidates: readonly number[], maxSteps: number = MAX_COVER_STEPS): number[] | undefined {
  // A bundle that saves nothing at a loss never belongs to the best cover.
  const bs = candidates.filter((i) => table.bundles[i]!.saving >= 0);
  const k = bs.length;
  if (k === 0) return [];
  // Assets that appear in a candidate, numbered 0..m-1.
  const slot = new Map<string, number>();
  const members: number[][] = bs.map((i) => table.bundles[i]!.assets.map((a) => (slot.has(a) ? slot.get(a)! : (slot.set(a, slot.size), slot.size - 1))));
  const m = slot.size;
  // share[j * m + s]: an upper bound of what asset s can still save when bundles j.. remain —
  // the largest per-asset share (rounded up) of a bundle from j on that holds it.
  const share = new Float64Array((k + 1) * m);
  for (let j = k - 1; j >= 0; j--) {
    for (let s = 0; s < m; s++) share[j * m + s] = share[(j + 1) * m + s]!;
    const bundle = table.bundles[bs[j]!]!;
    const per = Math.ceil(bundle.saving / bundle.assets.length);
    for (const s of members[j]!) if (per > share[j * m + s]!) share[j * m + s] = per;
  }
  const used = new Uint8Array(m);
  const chosen: number[] = [];
  let best = -1;
  let bestSet: number[] = [];
  let steps = 0;
  const search = (j: number, saving: number): boolean => {
    if (++steps > maxSteps) return false;
    if (j === k) {
      if (saving > best) {
        best = saving;
        bestSet = chosen.slice();
      }
      return true;
    }
    let bound = saving;
    for (let s = 0; s < m; s++) if (used[s] === 0) bound += share[j * m + s]!;
    if (bound <= best) return true;
    const mine = members[j]!;
    if (mine.every((s) => used[s] === 0)) {
      for (const s of mine) used[s] = 1;
      chosen.push(bs[j]!);
      const ok = search(j + 1, saving + table.bundles[bs[j]!]!.saving);
      chosen.pop();
      for (const s of mine) used[s] = 0;
      if (!ok) return false;
    }
    return search(j + 1, saving);
  };
  return search(0, 0) ? bestSet : undefined;
}

/** Index a table once; the returned function prices baskets. */
export function createQuoter(table: QuoteTable): Quoter {
  const registry = new Map<string, Priced>();
  const bundlesOf = new Map<string, number[]>();
  table.bundles.forEach((b, i) => {
    for (const a of b.assets) {
      const list = bundlesOf.get(a);
      if (list) list.push(i);
      else bundlesOf.set(a, [i]);
    }
  });
  const none: readonly number[] = [];
  const unpriced = new Set<string>();
  for (const a of table.assets) {
    if (a.minor === null) {
      if (table.defaultMinor === null) unpriced.add(a.id);
      else registry.set(a.id, { minor: table.defaultMinor, taxCode: a.taxCode, bundles: bundlesOf.get(a.id) ?? none });
    } else registry.set(a.id, { minor: a.minor, taxCode: a.taxCode, bundles: bundlesOf.get(a.id) ?? none });
  }
  const countries = new Set<string>();
  for (let i = 0; i + 1 < table.countries.length; i += 2) countries.add(table.countries.slice(i, i + 2));
  const hits = new Int32Array(table.bundles.length);

  const lookup = (id: string): Priced | QuoteError => {
    const known = registry.get(id);
    if (known) return known;
    // (Messages are built by concatenation: the shipped code has no template literals.)
    const noPrice = "asset '" + id + "' has no price and the policy sets no default_price";
    if (table.registry) return unpriced.has(id) ? quoteError('no_price', noPrice, id) : quoteError('unknown_asset', "asset '" + id + "' is not in the policy's assets registry", id);
    const fallback = table.defaultMinor;
    return fallback === null ? quoteError('no_price', noPrice, id) : { minor: fallback, taxCode: null, bundles: bundlesOf.get(id) ?? none };
  };

  const price: Quoter = (assetIds, request) => {
    if (!Array.isArray(assetIds)) return quoteError('invalid_assets', 'assetIds must be an array of asset id strings');
    const n = assetIds.length;
    if (n === 0) return quoteError('invalid_assets', 'assetIds is empty: name at least one asset');
    if (n > MAX_QUOTE_ASSETS) return quoteError('too_many_assets', 'a quote may name at most ' + MAX_QUOTE_ASSETS + ' assets, not ' + n);
    const ids: string[] = [];
    const priced: Priced[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const id = ownValue(assetIds, String(i));
      if (typeof id !== 'string' || id === '') return quoteError('invalid_assets', 'assetIds[' + i + '] is not a non-empty string');
      if (seen.has(id)) return quoteError('duplicate_asset', "asset '" + id + "' is named twice", id);
      seen.add(id);
      const p = lookup(id);
      if ('error' in p) return p;
      ids.push(id);
      priced.push(p);
    }

    // Who is buying: only the country and VAT id are read.
    let country: string | undefined;
    let vatId = false;
    if (request !== undefined) {
      if (typeof request !== 'object' || request === null || Array.isArray(request)) return quoteError('invalid_request', 'the request must be an object');
      const ctx = ownValue(request, 'context');
      if (ctx !== undefined && (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx))) return quoteError('invalid_request', 'request.context must be an object');
      const c = ownValue(ctx, 'country');
      if (c !== undefined && c !== null) {
        if (typeof c !== 'string' || !countries.has(c)) return quoteError('unknown_country', 'country ' + (typeof c === 'string' ? "'" + c + "'" : 'of the request') + " is not an ISO 3166-1 alpha-2 code such as 'DE'");
        country = c;
      }
      const v = ownValue(ctx, 'vatId');
      vatId = typeof v === 'string' && v.trim() !== '';
    }

    // Bundles all of whose assets are in the basket, in policy order.
    const touched: number[] = [];
    for (const p of priced) {
      for (const b of p.bundles) {
        if (hits[b] === 0) touched.push(b);
        hits[b]!++;
      }
    }
    const candidates: number[] = [];
    for (const b of touched) {
      if (hits[b] === table.bundles[b]!.assets.length) candidates.push(b);
      hits[b] = 0;
    }
    candidates.sort((x, y) => x - y);
    const cover = bestCover(table, candidates);
    if (cover === undefined) return quoteError('too_complex', 'choosing among ' + candidates.length + ' overlapping bundles would take more than ' + MAX_COVER_STEPS + ' search steps; quote fewer assets at once');

    // Tax: the first rule whose region holds the country.
    const tax = table.tax;
    let rule: QuoteTaxRule | undefined;
    if (tax !== null && country !== undefined) for (const r of tax.rules) if (r.countries.includes(country)) { rule = r; break; }
    const reverse = rule !== undefined && rule.reverseCharge && vatId;
    const rate: Ratio = rule === undefined || reverse ? [0, 1] : (rule.rate ?? (ownValue(table.vat, country!) as Ratio | undefined) ?? [0, 1]);
    const inclusive = tax !== null && tax.inclusive;
    const codeOf = (own: string | null): string | null => own ?? rule?.code ?? tax?.defaultCode ?? null;
    const taxOf = (amount: number): number => (rate[0] === 0 ? 0 : inclusive ? mulDivHalfEven(amount, rate[0], rate[1] + rate[0]) : mulDivHalfEven(amount, rate[0], rate[1]));

    const taxLines = new Map<string, number>();
    let subtotal = 0;
    let taxTotal = 0;
    const lines: QuoteLine[] = [];
    const addLine = (bundleId: string | undefined, assets: readonly string[], amount: number, parts: readonly (readonly [string | null, number])[]): void => {
      let lineTax = 0;
      const codes = new Set<string | null>();
      for (const [own, part] of parts) {
        const code = codeOf(own);
        const t = taxOf(part);
        codes.add(code);
        lineTax += t;
        if (code !== null) taxLines.set(code, (taxLines.get(code) ?? 0) + t);
      }
      subtotal += amount;
      taxTotal += lineTax;
      const [only] = codes;
      lines.push({ ...(bundleId === undefined ? {} : { bundleId }), assets, amountMinor: amount, ...(codes.size === 1 && only !== null && only !== undefined ? { taxCode: only } : {}), taxMinor: lineTax });
    };
    const covered = new Set<string>();
    for (const b of cover) {
      const bundle = table.bundles[b]!;
      for (const a of bundle.assets) covered.add(a);
      // A copy: the quote is the caller's to change, the table is not.
      addLine(bundle.id, bundle.assets.slice(), bundle.minor, bundle.parts);
    }
    priced.forEach((p, i) => {
      if (!covered.has(ids[i]!)) addLine(undefined, [ids[i]!], p.minor, [[p.taxCode, p.minor]]);
    });
    const total = inclusive ? subtotal : subtotal + taxTotal;
    if (!Number.isSafeInteger(total)) return quoteError('amount_too_large', 'the total exceeds the largest amount a quote can hold exactly');
    const rateNumber = rate[0] / rate[1];
    const taxOut: QuoteTaxLine[] = [];
    for (const [code, amount] of taxLines) taxOut.push(reverse ? { code, rate: rateNumber, amountMinor: amount, reverseCharge: true } : { code, rate: rateNumber, amountMinor: amount });
    return {
      currency: table.currency,
      lines,
      subtotalMinor: subtotal,
      tax: taxOut,
      taxMinor: taxTotal,
      totalMinor: total,
      inclusive,
      ...(country === undefined ? {} : { country }),
      vatRatesAsOf: table.vatRatesAsOf,
    };
  };
  // Reading a hostile argument (a throwing getter, a revoked proxy) must not throw through quote().
  return (assetIds, request) => {
    try {
      return price(assetIds, request);
    } catch {
      return quoteError('invalid_request', 'the asset ids or the request could not be read');
    }
  };
}
