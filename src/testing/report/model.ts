/** What reporters render: the runs of one `monetize test` invocation, grouped by policy. */
import type { SourceFile } from '../../diag/source.js';
import { currencyExponent } from '../../money/currencies.js';
import type { Quote } from '../../money/engine.js';
import { formatMinor } from '../../money/format.js';
import type { CaseResult, TestRun } from '../run.js';

export interface PolicyRun extends TestRun {
  readonly policy: string;
  readonly source: SourceFile;
}

export interface TestReport {
  readonly runs: readonly PolicyRun[];
  /** Include coverage in the output. */
  readonly coverage: boolean;
  readonly minCoverage?: number;
}

/** Totals over all runs. */
export function totals(report: TestReport): { passed: number; failed: number; total: number } {
  let passed = 0;
  let failed = 0;
  for (const run of report.runs) for (const r of run.results) r.passed ? passed++ : failed++;
  return { passed, failed, total: passed + failed };
}

/** One line per mismatch: `cost: expected 10, got 5`. */
export function describeMismatch(m: { key: string; expected: unknown; actual: unknown }): string {
  if (m.key === 'engines') return `internal: the compiled module and the interpreter disagree (interpreter ${JSON.stringify(m.expected)}, compiled ${JSON.stringify(m.actual)})`;
  const show = (v: unknown): string => (v === null ? 'none' : JSON.stringify(v));
  return `${m.key}: expected ${show(m.expected)}, got ${show(m.actual)}`;
}

/** A quote's total for people: `1.90 USD`. */
export function quoteTotal(q: Quote): string {
  return formatMinor(q.totalMinor, currencyExponent(q.currency) ?? 0, q.currency);
}

/**
 * What a case actually got, in a few words: the deciding rule (`free_tier_paywall`), a quote's
 * total (`quote 1.90 USD`) or the quote's error code (`quote error unknown_asset`).
 */
export function outcome(r: CaseResult): string {
  if (r.kind !== 'quote') return r.actual.policyId;
  return 'error' in r.actual ? `quote error ${r.actual.error}` : `quote ${quoteTotal(r.actual)}`;
}

/** The full actual result and its input, one line each: for failure details. */
export function actualDetail(r: CaseResult): string[] {
  if (r.kind !== 'quote') return [`decided by ${r.actual.policyId}: ${JSON.stringify(r.actual)}`, `request: ${JSON.stringify(r.request)}`];
  const got = 'error' in r.actual ? `quote failed: ${r.actual.error}: ${r.actual.message}` : `quoted ${quoteTotal(r.actual)}: ${JSON.stringify(r.actual)}`;
  return [got, `quote: ${JSON.stringify({ assets: r.assets, ...(r.user === undefined ? {} : { user: r.user }) })}`];
}
