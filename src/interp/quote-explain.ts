/**
 * Why a quote came out as it did: every bundle cover the engine could have chosen, each with its
 * pre-tax subtotal and the reason it lost, and the tax rule that matched. Reference code for
 * `monetize explain --quote` and failed quote test cases; it is never shipped. The quote itself,
 * and which cover was chosen, always come from the engine (`createQuoter`): this file only lays
 * out the alternatives next to it, so a bug here can mislabel an alternative but never change a
 * price.
 */
import { applicableBundles, createQuoter, tieOrder, type Quote, type QuoteError, type QuoteTable, type QuoteTaxRule } from '../money/engine.js';
import { formatMinor } from '../money/format.js';

/** How many covers an explanation lists; the rest are counted. */
export const MAX_COVERS_SHOWN = 200;
/** How many covers are enumerated at most (the number of disjoint sets grows as 2^bundles). */
export const MAX_COVERS_ENUMERATED = 20000;

/** One set of pairwise disjoint applicable bundles. */
export interface CoverCandidate {
  /** Bundle ids in policy order; empty: every asset on its own line. */
  readonly bundles: readonly string[];
  /** The same bundles as indexes into `QuoteTable.bundles`. */
  readonly indexes: readonly number[];
  /** The pre-tax subtotal of the quote had this cover been chosen, in minor units. */
  readonly subtotalMinor: number;
  readonly chosen: boolean;
  /** Why this cover lost to the chosen one; absent on the chosen cover. */
  readonly why?: string;
}

export interface CoverList {
  /** The cheapest covers first (ties in the engine's order), at most `MAX_COVERS_SHOWN`. */
  readonly shown: readonly CoverCandidate[];
  /** How many covers were enumerated (shown or not). */
  readonly count: number;
  /** False when the enumeration stopped at `MAX_COVERS_ENUMERATED`: more covers exist. */
  readonly complete: boolean;
  /** How many bundles apply to the basket (all their assets are in it). */
  readonly applicable: number;
}

/** The tax rule a quote used, and what it gave. */
export interface TaxMatch {
  /** The buyer's country, when the request names one. */
  readonly country?: string;
  /** Index into the policy's `tax.rules` of the rule that matched (0-based). */
  readonly ruleIndex?: number;
  /** The region of that rule as the policy writes it (`EU`, `DE`…), when the caller knows it. */
  readonly region?: readonly string[];
  /** The matched rule's code, else the policy's `default_code`; null when neither exists. */
  readonly code: string | null;
  /** The rate applied (0 when no rule matched or under reverse charge). */
  readonly rate: number;
  /** The rate is the country's standard VAT rate (`rate: vat`). */
  readonly vat: boolean;
  /** The rule allows reverse charge and the buyer gave a VAT id: rate 0. */
  readonly reverseCharge: boolean;
  readonly inclusive: boolean;
  /** Why no rule matched; absent when one did. */
  readonly noRule?: 'no_tax' | 'no_country' | 'no_region';
  readonly vatRatesAsOf: string;
}

export interface QuoteExplanation {
  readonly assetIds: readonly string[];
  /** What the engine returned: the truth. */
  readonly quote: Quote | QuoteError;
  /** Absent when the quote is an error. */
  readonly covers?: CoverList;
  /** Absent when the quote is an error. */
  readonly tax?: TaxMatch;
  readonly currency: string;
  readonly exponent: number;
}

export interface QuoteExplainOptions {
  /** Each tax rule's region as written in the policy, by rule index (for display). */
  readonly regions?: readonly (readonly string[])[];
  readonly maxShown?: number;
  readonly maxEnumerated?: number;
}

/** The earliest bundle index in exactly one of two sorted index lists, or undefined when equal. */
function firstDifference(a: readonly number[], b: readonly number[]): number | undefined {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else return Math.min(a[i]!, b[j]!);
  }
  return a[i] ?? b[j];
}

/** Every set of pairwise disjoint bundles among `candidates` (policy order), up to `limit` sets. */
export function enumerateCovers(table: QuoteTable, candidates: readonly number[], limit: number): { covers: number[][]; complete: boolean } {
  const covers: number[][] = [];
  const used = new Set<string>();
  const chosen: number[] = [];
  let complete = true;
  const walk = (j: number): void => {
    if (!complete) return;
    if (j === candidates.length) {
      if (covers.length >= limit) complete = false;
      else covers.push(chosen.slice());
      return;
    }
    const assets = table.bundles[candidates[j]!]!.assets;
    if (assets.every((a) => !used.has(a))) {
      for (const a of assets) used.add(a);
      chosen.push(candidates[j]!);
      walk(j + 1);
      chosen.pop();
      for (const a of assets) used.delete(a);
    }
    walk(j + 1);
  };
  walk(0);
  return { covers, complete };
}

/** The indexes of the bundles the engine chose, read from its bundle lines. */
function chosenIndexes(table: QuoteTable, candidates: readonly number[], quote: Quote): number[] {
  const out: number[] = [];
  const taken = new Set<number>();
  for (const line of quote.lines) {
    if (line.bundleId === undefined) continue;
    const i = candidates.find((c) => !taken.has(c) && table.bundles[c]!.id === line.bundleId);
    if (i === undefined) throw new Error(`internal: the quote has a line of bundle '${line.bundleId}', which does not apply`);
    taken.add(i);
    out.push(i);
  }
  return out.sort((x, y) => x - y);
}

function ownString(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** Which tax rule a (valid) quote used: the first whose countries hold the buyer's country. */
function taxMatch(table: QuoteTable, quote: Quote, request: unknown, regions: QuoteExplainOptions['regions']): TaxMatch {
  const tax = table.tax;
  const base = { ...(quote.country === undefined ? {} : { country: quote.country }), inclusive: quote.inclusive, vatRatesAsOf: quote.vatRatesAsOf };
  if (tax === null) return { ...base, code: null, rate: 0, vat: false, reverseCharge: false, noRule: 'no_tax' };
  const country = quote.country;
  const index = country === undefined ? -1 : tax.rules.findIndex((r) => r.countries.includes(country));
  if (index < 0) return { ...base, code: tax.defaultCode, rate: 0, vat: false, reverseCharge: false, noRule: country === undefined ? 'no_country' : 'no_region' };
  const rule: QuoteTaxRule = tax.rules[index]!;
  const vatId = ownString(ownString(request, 'context'), 'vatId');
  const reverse = rule.reverseCharge && typeof vatId === 'string' && vatId.trim() !== '';
  const ratio = rule.rate ?? (Object.hasOwn(table.vat, country!) ? table.vat[country!]! : [0, 1]);
  const region = regions?.[index];
  return {
    ...base,
    ruleIndex: index,
    ...(region === undefined ? {} : { region }),
    code: rule.code,
    rate: reverse ? 0 : ratio[0] / ratio[1],
    vat: rule.rate === null,
    reverseCharge: reverse,
  };
}

/**
 * Quote `assetIds` for `request` with the engine, and lay out every cover it could have chosen:
 * each set of pairwise disjoint applicable bundles (bundles that cost more than their assets
 * bought singly included, so their loss shows), sorted by subtotal and then by the engine's tie
 * order, the chosen one marked and each other one saying why it lost.
 */
export function explainQuote(table: QuoteTable, assetIds: readonly string[], request?: unknown, options: QuoteExplainOptions = {}): QuoteExplanation {
  const quote = createQuoter(table)(assetIds, request);
  const head = { assetIds, quote, currency: table.currency, exponent: table.exponent };
  if ('error' in quote) return head;
  const money = (minor: number): string => formatMinor(minor, table.exponent, table.currency);
  const candidates = applicableBundles(table, assetIds);
  const chosen = chosenIndexes(table, candidates, quote);
  const savingOf = (cover: readonly number[]): number => cover.reduce((s, i) => s + table.bundles[i]!.saving, 0);
  // Every asset bought on its own: the chosen subtotal plus what its bundles saved.
  const singles = quote.subtotalMinor + savingOf(chosen);
  const found = enumerateCovers(table, candidates, options.maxEnumerated ?? MAX_COVERS_ENUMERATED);
  const covers = found.covers;
  if (!found.complete && !covers.some((c) => tieOrder(c, chosen) === 0)) covers.push(chosen);
  const ranked = covers.map((indexes) => ({ indexes, subtotalMinor: singles - savingOf(indexes) }));
  ranked.sort((a, b) => a.subtotalMinor - b.subtotalMinor || tieOrder(a.indexes, b.indexes));
  const chosenTotal = quote.subtotalMinor;
  const why = (indexes: readonly number[], subtotal: number): string => {
    const losses = indexes
      .filter((i) => table.bundles[i]!.saving < 0)
      .map((i) => `'${table.bundles[i]!.id}' costs ${money(-table.bundles[i]!.saving)} more than its assets bought one by one`);
    const tail = losses.length ? `; ${losses.join('; ')}` : '';
    if (subtotal > chosenTotal) return `dearer by ${money(subtotal - chosenTotal)}${tail}`;
    const d = firstDifference(indexes, chosen)!;
    const id = table.bundles[d]!.id;
    // The engine is the truth; a cover that beats its choice would be a bug in one of the two.
    if (subtotal < chosenTotal) return `cheaper by ${money(chosenTotal - subtotal)}, yet not chosen: this is a bug, please report it`;
    return chosen.includes(d) ? `same total; the chosen cover takes '${id}' (earlier in the policy)` : `same total; this cover takes '${id}' (earlier in the policy), yet was not chosen: this is a bug, please report it`;
  };
  const shown = ranked.slice(0, options.maxShown ?? MAX_COVERS_SHOWN).map(({ indexes, subtotalMinor }): CoverCandidate => {
    const isChosen = tieOrder(indexes, chosen) === 0;
    return {
      bundles: indexes.map((i) => table.bundles[i]!.id),
      indexes,
      subtotalMinor,
      chosen: isChosen,
      ...(isChosen ? {} : { why: why(indexes, subtotalMinor) }),
    };
  });
  return {
    ...head,
    covers: { shown, count: ranked.length, complete: found.complete, applicable: candidates.length },
    tax: taxMatch(table, quote, request, options.regions),
  };
}
