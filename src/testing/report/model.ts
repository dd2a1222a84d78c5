/** What reporters render: the runs of one `monetize test` invocation, grouped by policy. */
import type { SourceFile } from '../../diag/source.js';
import type { TestRun } from '../run.js';

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
