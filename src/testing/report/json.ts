/** `monetize test --format json`. */
import type { Coverage } from '../run.js';
import { totals, type TestReport } from './model.js';

function coverageJson(policy: string, c: Coverage): unknown {
  return { policy, rules: c.rules, uncovered: c.uncovered, unreached: c.unreached, multipliers: c.multipliers, percent: c.percent, ...(c.bundles ? { bundles: c.bundles, unchosenBundles: c.unchosenBundles } : {}) };
}

/** Render a test report as JSON. */
export function renderTestJson(report: TestReport): string {
  const t = totals(report);
  const cases = report.runs.flatMap((run) =>
    run.results.map((r) => ({
      name: r.name,
      file: r.file,
      line: r.line,
      passed: r.passed,
      ...(r.kind === 'quote' ? { kind: 'quote', quote: { assets: r.assets, ...(r.user === undefined ? {} : { user: r.user }) } } : {}),
      expected: r.expected,
      actual: r.actual,
      policy: run.policy,
      ...(r.passed ? {} : { mismatches: r.mismatches }),
    })),
  );
  const first = report.runs[0];
  const out = {
    passed: t.passed,
    failed: t.failed,
    cases,
    ...(report.coverage && first ? { coverage: coverageJson(first.policy, first.coverage) } : {}),
    ...(report.coverage && report.runs.length > 1 ? { policies: report.runs.map((r) => coverageJson(r.policy, r.coverage)) } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
