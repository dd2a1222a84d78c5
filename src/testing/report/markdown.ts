/** `monetize test --format markdown`: a summary fit for a pull-request comment or a job summary. */
import { markdownCode as code, markdownText as plain } from '../../diag/escape.js';
import { describeMismatch, outcome, totals, type TestReport } from './model.js';

/** Render a test report as Markdown. */
export function renderTestMarkdown(report: TestReport): string {
  const t = totals(report);
  const out: string[] = [];
  out.push(`### ${t.failed || t.total === 0 ? '❌' : '✅'} monetize test: ${t.passed} passed, ${t.failed} failed${t.total === 0 ? ' (no cases: nothing was tested)' : ''}`);
  out.push('');
  const failed = report.runs.flatMap((run) => run.results.filter((r) => !r.passed).map((r) => ({ run, r })));
  if (failed.length) {
    out.push('| case | where | what differs | decided by |', '|---|---|---|---|');
    for (const { r } of failed) out.push(`| ${plain(r.name)} | ${code(`${r.file}:${r.line}`, true)} | ${plain(r.mismatches.map(describeMismatch).join('; '))} | ${code(outcome(r), true)} |`);
    out.push('');
  }
  if (report.coverage) {
    for (const run of report.runs) {
      const cov = run.coverage;
      out.push(`**Coverage of ${code(run.policy, false)}:** ${cov.percent}% of rules decided at least one case${report.minCoverage !== undefined ? ` (minimum ${report.minCoverage}%)` : ''}.`);
      out.push('', '| rule | cases | note |', '|---|---:|---|');
      for (const [id, n] of Object.entries(cov.rules)) out.push(`| ${code(id, true)} | ${n} | ${n === 0 ? (cov.unreached.includes(id) ? 'never reached' : 'never decided') : ''} |`);
      if (cov.unchosenBundles?.length) out.push('', `Bundles no quote case chose: ${cov.unchosenBundles.map((id) => code(id, false)).join(', ')}`);
      const never = cov.multipliers.filter((m) => m.applied === 0);
      if (never.length) {
        out.push('', 'Multipliers never applied:', '');
        for (const m of never) out.push(`- ${code(m.ruleId, false)}: ${code(`if ${m.if}`, false)}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
