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
export const MAX_COVER_STEPS = 200000;

/** A quote function over one table, with its indexes built once. */
export type Quoter = (assetIds: unknown, request?: unknown) => Quote | QuoteError;

/** An asset as a quote prices it. `seen` and `covered` stamp the quote (by its number) that last met it. */
interface Priced {
  readonly minor: number;
  readonly taxCode: string | null;
  /** Indexes of the bundles this asset is part of. */
  readonly bundles: readonly number[];
  seen: number;
  covered: number;
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
 * The best cover: among the pairwise disjoint sets of `candidates` (bundle indexes), the one with
 * the largest total saving; among equal savings, the one that takes the earliest bundle (policy
 * order) where two sets differ. Bundles that share no asset, directly or through others, are
 * independent, so each connected group is solved on its own (the best of each group together is
 * the best overall, tie rule included). Within a group, branch and bound: take the free asset with
 * the fewest bundles that could still cover it, and try each such bundle, then leaving the asset
 * single; cut a branch when even an optimistic bound — every free asset saving the largest
 * per-asset share of a bundle that could still take it — cannot reach the best so far. Returns the
 * chosen indexes in policy order, or undefined when the search would take more than `maxSteps`
 * steps.
 */
export function bestCover(table: QuoteTable, candidates: readonly number[], maxSteps: number = MAX_COVER_STEPS): number[] | undefined {
  if (candidates.length < 2) return candidates.filter((i) => table.bundles[i]!.saving >= 0);
  // A bundle dearer than its parts never belongs to the best cover.
  const bs = candidates.filter((i) => table.bundles[i]!.saving >= 0).sort((x, y) => x - y);
  if (bs.length === 0) return [];
  // Number the assets of the candidates and group the bundles that share assets (union-find).
  const slot = new Map<string, number>();
  const members = bs.map((i) => table.bundles[i]!.assets.map((a) => (slot.has(a) ? slot.get(a)! : (slot.set(a, slot.size), slot.size - 1))));
  const parent = Array.from({ length: slot.size }, (_, s) => s);
  const root = (s: number): number => {
    while (parent[s] !== s) s = parent[s] = parent[parent[s]!]!;
    return s;
  };
  for (const mine of members) for (const s of mine) parent[root(s)] = root(mine[0]!);
  const groups = new Map<number, number[]>();
  members.forEach((mine, j) => {
    const g = root(mine[0]!);
    const list = groups.get(g);
    if (list) list.push(j);
    else groups.set(g, [j]);
  });
  const budget = { steps: maxSteps };
  const chosen: number[] = [];
  for (const group of groups.values()) {
    const best = group.length === 1 ? group : solveGroup(table, bs, members, group, slot.size, budget);
    if (best === undefined) return undefined;
    for (const j of best) chosen.push(bs[j]!);
  }
  return chosen.sort((x, y) => x - y);
}

/** One connected group of bundles (`group`: positions in `bs`, ascending) → the positions chosen. */
function solveGroup(table: QuoteTable, bs: readonly number[], members: readonly (readonly number[])[], group: readonly number[], slots: number, budget: { steps: number }): number[] | undefined {
  const saving = (j: number): number => table.bundles[bs[j]!]!.saving;
  // share[j]: bundle j's saving per asset, rounded up (so the bound stays an upper bound).
  const share = new Map(group.map((j) => [j, Math.ceil(saving(j) / members[j]!.length)]));
  // The bundles of the group holding each asset, richest share first (good covers are found early).
  const holding = new Map<number, number[]>();
  for (const j of group) for (const s of members[j]!) (holding.get(s) ?? holding.set(s, []).get(s)!).push(j);
  for (const list of holding.values()) list.sort((x, y) => share.get(y)! - share.get(x)! || x - y);
  const assets = [...holding.keys()];
  const free = new Uint8Array(slots).fill(1);
  // blocked[j]: how many of bundle j's assets are taken or left single (0: it still fits).
  const blocked = new Int32Array(bs.length);
  const fits = (j: number): boolean => blocked[j] === 0;
  const close = (s: number, by: number): void => {
    free[s] = by > 0 ? 0 : 1;
    for (const k of holding.get(s)!) blocked[k]! += by;
  };
  const taken: number[] = [];
  let best = -1;
  let bestSet: number[] = [];

  const search = (gained: number): boolean => {
    if (--budget.steps < 0) return false;
    // The free asset with the fewest bundles that still fit, and the optimistic bound.
    let pick = -1;
    let pickCount = Infinity;
    let bound = gained;
    for (const s of assets) {
      if (free[s] === 0) continue;
      let count = 0;
      let top = 0;
      for (const j of holding.get(s)!) {
        if (!fits(j)) continue;
        if (count === 0) top = share.get(j)!;
        count++;
      }
      bound += top;
      if (count > 0 && count < pickCount) {
        pick = s;
        pickCount = count;
      }
    }
    if (bound < best) return true;
    if (pick < 0) {
      // A leaf: nothing else fits. Better saving, or equal saving and preferred by the tie rule.
      const set = [...taken].sort((x, y) => x - y);
      if (gained > best || (gained === best && tieOrder(set, bestSet) < 0)) {
        best = gained;
        bestSet = set;
      }
      return true;
    }
    for (const j of holding.get(pick)!) {
      if (!fits(j)) continue;
      for (const s of members[j]!) close(s, 1);
      taken.push(j);
      const ok = search(gained + saving(j));
      taken.pop();
      for (const s of members[j]!) close(s, -1);
      if (!ok) return false;
    }
    // Or the asset stays single.
    close(pick, 1);
    const ok = search(gained);
    close(pick, -1);
    return ok;
  };
  return search(0) ? bestSet : undefined;
}

/**
 * The tie order between two covers of equal saving, as sorted lists of bundle indexes: the one that
 * takes the earliest bundle (in policy order) where the two differ comes first. Negative: `a` first.
 */
export function tieOrder(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let k = 0;
  while (i < a.length && k < b.length) {
    if (a[i] === b[k]) {
      i++;
      k++;
    } else return a[i]! < b[k]! ? -1 : 1;
  }
  return i < a.length ? -1 : k < b.length ? 1 : 0;
}

/** Index a table once; the returned function prices baskets. */
export function createQuoter(table: QuoteTable): Quoter {
  const bundlesOf = new Map<string, number[]>();
  table.bundles.forEach((b, i) => {
    for (const a of b.assets) {
      const list = bundlesOf.get(a);
      if (list) list.push(i);
      else bundlesOf.set(a, [i]);
    }
  });
  const none: readonly number[] = [];
  const priced = (minor: number, taxCode: string | null, id: string): Priced => ({ minor, taxCode, bundles: bundlesOf.get(id) ?? none, seen: 0, covered: 0 });
  // Every asset a quote can meet more than once is indexed here: the registry, and without one,
  // the bundles' assets at the default price. Other ids (no registry) are priced fresh per quote.
  const known = new Map<string, Priced>();
  const unpriced = new Set<string>();
  for (const a of table.assets) {
    const minor = a.minor ?? table.defaultMinor;
    if (minor === null) unpriced.add(a.id);
    else known.set(a.id, priced(minor, a.taxCode, a.id));
  }
  if (!table.registry && table.defaultMinor !== null) for (const id of bundlesOf.keys()) if (!known.has(id)) known.set(id, priced(table.defaultMinor, null, id));
  const countries = new Set<string>();
  for (let i = 0; i + 1 < table.countries.length; i += 2) countries.add(table.countries.slice(i, i + 2));
  const hits = new Int32Array(table.bundles.length);
  let generation = 0;

  const lookup = (id: string): Priced | QuoteError => {
    const found = known.get(id);
    if (found) return found;
    // (Messages are built by concatenation: the shipped code has no template literals.)
    const noPrice = "asset '" + id + "' has no price and the policy sets no default_price";
    if (table.registry) return unpriced.has(id) ? quoteError('no_price', noPrice, id) : quoteError('unknown_asset', "asset '" + id + "' is not in the policy's assets registry", id);
    const fallback = table.defaultMinor;
    return fallback === null ? quoteError('no_price', noPrice, id) : priced(fallback, null, id);
  };

  const price: Quoter = (assetIds, request) => {
    // First read everything the caller gave (its getters run here and nowhere later), then price.
    if (!Array.isArray(assetIds)) return quoteError('invalid_assets', 'assetIds must be an array of asset id strings');
    const n = assetIds.length;
    if (n === 0) return quoteError('invalid_assets', 'assetIds is empty: name at least one asset');
    if (n > MAX_QUOTE_ASSETS) return quoteError('too_many_assets', 'a quote may name at most ' + MAX_QUOTE_ASSETS + ' assets, not ' + n);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // An own element only: a hole reads as absent, never from Array.prototype.
      const id = Object.prototype.hasOwnProperty.call(assetIds, i) ? (assetIds as unknown[])[i] : undefined;
      if (typeof id !== 'string' || id === '') return quoteError('invalid_assets', 'assetIds[' + i + '] is not a non-empty string');
      ids.push(id);
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

    const gen = ++generation;
    const basket: Priced[] = [];
    for (const id of ids) {
      const p = lookup(id);
      if ('error' in p) return p;
      if (p.seen === gen) return quoteError('duplicate_asset', "asset '" + id + "' is named twice", id);
      p.seen = gen;
      basket.push(p);
    }
    if (!table.registry && basket.length > 1) {
      // Fresh (unindexed) entries carry no stamp from an earlier id: compare their ids directly.
      const fresh = new Set<string>();
      for (let i = 0; i < n; i++) {
        if (known.has(ids[i]!)) continue;
        if (fresh.has(ids[i]!)) return quoteError('duplicate_asset', "asset '" + ids[i] + "' is named twice", ids[i]);
        fresh.add(ids[i]!);
      }
    }

    // Bundles all of whose assets are in the basket, in policy order.
    const touched: number[] = [];
    for (const p of basket) {
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
    if (candidates.length > 1) candidates.sort((x, y) => x - y);
    const cover = bestCover(table, candidates);
    if (cover === undefined) return quoteError('too_complex', 'choosing among ' + candidates.length + ' overlapping bundles would take more than ' + MAX_COVER_STEPS + ' search steps; quote fewer assets at once');

    // Tax: the first rule whose region holds the country.
    const tax = table.tax;
    let rule: QuoteTaxRule | undefined;
    if (tax !== null && country !== undefined) {
      for (const r of tax.rules) {
        if (r.countries.includes(country)) {
          rule = r;
          break;
        }
      }
    }
    const reverse = rule !== undefined && rule.reverseCharge && vatId;
    const rate: Ratio = rule === undefined || reverse ? [0, 1] : (rule.rate ?? (ownValue(table.vat, country!) as Ratio | undefined) ?? [0, 1]);
    const inclusive = tax !== null && tax.inclusive;
    const fallbackCode = rule !== undefined ? rule.code : tax !== null ? tax.defaultCode : null;
    const taxOf = (amount: number): number => (rate[0] === 0 ? 0 : inclusive ? mulDivHalfEven(amount, rate[0], rate[1] + rate[0]) : mulDivHalfEven(amount, rate[0], rate[1]));

    const taxCodes: string[] = [];
    const taxAmounts: number[] = [];
    const addTax = (code: string | null, amount: number): void => {
      if (code === null) return;
      const at = taxCodes.indexOf(code);
      if (at < 0) {
        taxCodes.push(code);
        taxAmounts.push(amount);
      } else taxAmounts[at]! += amount;
    };
    let subtotal = 0;
    let taxTotal = 0;
    const lines: QuoteLine[] = [];
    for (const b of cover) {
      const bundle = table.bundles[b]!;
      for (const a of bundle.assets) known.get(a)!.covered = gen;
      let lineTax = 0;
      let code: string | null | undefined;
      for (const [own, part] of bundle.parts) {
        const partCode = own ?? fallbackCode;
        const t = taxOf(part);
        addTax(partCode, t);
        lineTax += t;
        code = code === undefined || code === partCode ? partCode : null;
      }
      subtotal += bundle.minor;
      taxTotal += lineTax;
      // A copy of the ids: the quote is the caller's to change, the table is not.
      const assets = bundle.assets.slice();
      lines.push(code !== null && code !== undefined ? { bundleId: bundle.id, assets, amountMinor: bundle.minor, taxCode: code, taxMinor: lineTax } : { bundleId: bundle.id, assets, amountMinor: bundle.minor, taxMinor: lineTax });
    }
    for (let i = 0; i < n; i++) {
      const p = basket[i]!;
      if (p.covered === gen) continue;
      const code = p.taxCode ?? fallbackCode;
      const t = taxOf(p.minor);
      addTax(code, t);
      subtotal += p.minor;
      taxTotal += t;
      lines.push(code !== null ? { assets: [ids[i]!], amountMinor: p.minor, taxCode: code, taxMinor: t } : { assets: [ids[i]!], amountMinor: p.minor, taxMinor: t });
    }
    const total = inclusive ? subtotal : subtotal + taxTotal;
    if (!Number.isSafeInteger(total)) return quoteError('amount_too_large', 'the total exceeds the largest amount a quote can hold exactly');
    const rateNumber = rate[0] / rate[1];
    const taxOut: QuoteTaxLine[] = [];
    for (let i = 0; i < taxCodes.length; i++) {
      taxOut.push(reverse ? { code: taxCodes[i]!, rate: rateNumber, amountMinor: taxAmounts[i]!, reverseCharge: true } : { code: taxCodes[i]!, rate: rateNumber, amountMinor: taxAmounts[i]! });
    }
    return country === undefined
      ? { currency: table.currency, lines, subtotalMinor: subtotal, tax: taxOut, taxMinor: taxTotal, totalMinor: total, inclusive, vatRatesAsOf: table.vatRatesAsOf }
      : { currency: table.currency, lines, subtotalMinor: subtotal, tax: taxOut, taxMinor: taxTotal, totalMinor: total, inclusive, country, vatRatesAsOf: table.vatRatesAsOf };
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
