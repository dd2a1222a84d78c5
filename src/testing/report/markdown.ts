/** `monetize test --format markdown`: a summary fit for a pull-request comment or a job summary. */
import { describeMismatch, totals, type TestReport } from './model.js';

/** Escape text for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** Render a test report as Markdown. */
export function renderTestMarkdown(report: TestReport): string {
  const t = totals(report);
  const out: string[] = [];
  out.push(`### ${t.failed || t.total === 0 ? '❌' : '✅'} monetize test: ${t.passed} passed, ${t.failed} failed${t.total === 0 ? ' (no cases: nothing was tested)' : ''}`);
  out.push('');
  const failed = report.runs.flatMap((run) => run.results.filter((r) => !r.passed).map((r) => ({ run, r })));
  if (failed.length) {
    out.push('| case | where | what differs | decided by |', '|---|---|---|---|');
    for (const { r } of failed) out.push(`| ${cell(r.name)} | \`${cell(`${r.file}:${r.line}`)}\` | ${cell(r.mismatches.map(describeMismatch).join('; '))} | \`${cell(r.actual.policyId)}\` |`);
    out.push('');
  }
  if (report.coverage) {
    for (const run of report.runs) {
      const cov = run.coverage;
      out.push(`**Coverage of \`${cell(run.policy)}\`:** ${cov.percent}% of rules decided at least one case${report.minCoverage !== undefined ? ` (minimum ${report.minCoverage}%)` : ''}.`);
      out.push('', '| rule | cases | note |', '|---|---:|---|');
      for (const [id, n] of Object.entries(cov.rules)) out.push(`| \`${cell(id)}\` | ${n} | ${n === 0 ? (cov.unreached.includes(id) ? 'never reached' : 'never decided') : ''} |`);
      const never = cov.multipliers.filter((m) => m.applied === 0);
      if (never.length) {
        out.push('', 'Multipliers never applied:', '');
        for (const m of never) out.push(`- \`${cell(m.ruleId)}\`: \`if ${cell(m.if)}\``);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
