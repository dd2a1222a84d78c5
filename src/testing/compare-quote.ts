/**
 * Comparing a quote with a quote case's partial expectation: amounts exactly (integer minor
 * units), lines and tax lines as lists in order, each item a partial object, or the error code.
 */
import type { Quote, QuoteError, QuoteLine, QuoteTaxLine } from '../money/engine.js';
import type { QuoteExpectation, QuoteLineExpectation, QuoteTaxExpectation } from './load.js';
import type { Mismatch } from './run.js';

// Rates are decimal ratios computed as one division; a tolerance far below any rate written keeps 0.19 equal to 19/100.
const RATE_EPSILON = 1e-12;

function same(want: unknown, got: unknown): boolean {
  if (want === null) return got === undefined;
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => w === got[i]);
  if (typeof want === 'number' && typeof got === 'number') return Math.abs(want - got) < RATE_EPSILON || want === got;
  return want === got;
}

/** Each key of a partial item against the item, as `<where>.<key>` mismatches. */
function compareItem(where: string, want: QuoteLineExpectation | QuoteTaxExpectation, got: QuoteLine | QuoteTaxLine): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [key, w] of Object.entries(want)) {
    const g: unknown = Object.hasOwn(got, key) ? (got as unknown as Record<string, unknown>)[key] : undefined;
    // `reverseCharge: false` asserts the line is not reverse charge: the engine leaves the key out then.
    const wanted = key === 'reverseCharge' && w === false ? null : w;
    if (!same(wanted, g)) out.push({ key: `${where}.${key}`, expected: w, actual: g ?? null });
  }
  return out;
}

/** A list of partial items against the actual list: the lengths, then each item in order. */
function compareList(key: 'lines' | 'tax', want: readonly (QuoteLineExpectation | QuoteTaxExpectation)[], got: readonly (QuoteLine | QuoteTaxLine)[]): Mismatch[] {
  if (want.length !== got.length) return [{ key: `${key} (count)`, expected: want.length, actual: got.length }];
  return want.flatMap((w, i) => compareItem(`${key}[${i}]`, w, got[i]!));
}

/** Mismatches between a quote case's expectation and what `quote` returned. */
export function compareQuote(expect: QuoteExpectation, actual: Quote | QuoteError): Mismatch[] {
  if ('error' in actual) {
    return expect.error === actual.error ? [] : [{ key: 'error', expected: expect.error ?? null, actual: actual.error }];
  }
  if (expect.error !== undefined) return [{ key: 'error', expected: expect.error, actual: null }];
  const out: Mismatch[] = [];
  for (const key of ['totalMinor', 'subtotalMinor', 'taxMinor'] as const) {
    const want = expect[key];
    if (want !== undefined && want !== actual[key]) out.push({ key, expected: want, actual: actual[key] });
  }
  if (expect.lines) out.push(...compareList('lines', expect.lines, actual.lines));
  if (expect.tax) out.push(...compareList('tax', expect.tax, actual.tax));
  return out;
}
