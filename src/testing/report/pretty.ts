/** Terminal output of `monetize test`. */
import { Chalk } from 'chalk';
import { explanationPretty } from '../../interp/render.js';
import { describeMismatch, totals, type TestReport } from './model.js';

/** Render a test report for a terminal. */
export function renderTestPretty(report: TestReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  for (const run of report.runs) {
    let lastFile = '';
    for (const r of run.results) {
      if (r.file !== lastFile) {
        out.push(c.bold(`${r.file}`) + c.dim(`  (policy ${run.policy})`));
        lastFile = r.file;
      }
      if (r.passed) {
        out.push(`  ${c.green('✓')} ${r.name}`);
        continue;
      }
      out.push(`  ${c.red('✗')} ${r.name}  ${c.dim(`${r.file}:${r.line}`)}`);
      for (const m of r.mismatches) out.push(`      ${describeMismatch(m)}`);
      out.push(`      decided by ${c.bold(r.actual.policyId)}: ${JSON.stringify(r.actual)}`);
      if (r.explanation) {
        const trace = explanationPretty(r.explanation, run.source, color).trimEnd().split('\n');
        out.push(...trace.map((l) => (l ? `      ${l}` : '')));
      }
    }
    if (report.coverage) {
      const cov = run.coverage;
      out.push('', c.bold(`coverage of ${run.policy}: ${cov.percent}% of rules decided at least one case`));
      for (const [id, n] of Object.entries(cov.rules)) out.push(`  ${n > 0 ? c.green('●') : c.red('○')} ${id}: ${n} case${n === 1 ? '' : 's'}${cov.unreached.includes(id) ? c.dim(' (never reached)') : ''}`);
      for (const m of cov.multipliers) {
        const state = m.applied === 0 ? c.yellow('never applied') : m.notApplied === 0 ? c.yellow('always applied') : 'applied and not applied';
        out.push(`    multiplier ${m.ruleId}[${m.index}] if ${m.if}: ${state} (${m.applied}/${m.applied + m.notApplied})`);
      }
    }
  }
  const t = totals(report);
  out.push('', `${t.failed ? c.red(`${t.failed} failed`) : t.total === 0 ? c.red('nothing tested') : c.green('all passed')}: ${t.passed} passed, ${t.failed} failed, ${t.total} case${t.total === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
