/** Terminal output of `monetize test`. */
import { Chalk } from 'chalk';
import { oneLine as safe } from '../../diag/escape.js';
import { explanationPretty } from '../../interp/render.js';
import { quoteExplanationPretty } from '../../interp/render-quote.js';
import { describeMismatch, totals, type TestReport } from './model.js';

/**
 * Render a test report for a terminal. Case names, file names and everything a decision carries
 * come from test files, policies and requests: each goes through `safe` (`oneLine`), so none can
 * move the cursor, clear the screen or start a line that looks like a verdict.
 */
export function renderTestPretty(report: TestReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  for (const run of report.runs) {
    let lastFile = '';
    for (const r of run.results) {
      if (r.file !== lastFile) {
        out.push(c.bold(safe(r.file)) + c.dim(`  (policy ${safe(run.policy)})`));
        lastFile = r.file;
      }
      if (r.passed) {
        out.push(`  ${c.green('✓')} ${safe(r.name)}`);
        continue;
      }
      out.push(`  ${c.red('✗')} ${safe(r.name)}  ${c.dim(`${safe(r.file)}:${r.line}`)}`);
      for (const m of r.mismatches) out.push(`      ${safe(describeMismatch(m))}`);
      if (r.kind === 'quote') {
        out.push(`      quoted ${safe(r.assets.join(', '))}${r.user === undefined ? '' : ` for ${safe(JSON.stringify(r.user))}`}`);
        // The explanation shows the quote (or its error), the covers considered and the tax rule.
        const why = r.explanation ? quoteExplanationPretty(r.explanation, color) : `quote: ${safe(JSON.stringify(r.actual))}\n`;
        out.push(...why.trimEnd().split('\n').map((l) => (l ? `      ${l}` : '')));
        continue;
      }
      out.push(`      decided by ${c.bold(safe(r.actual.policyId))}: ${safe(JSON.stringify(r.actual))}`);
      if (r.explanation) {
        const trace = explanationPretty(r.explanation, run.source, color).trimEnd().split('\n');
        out.push(...trace.map((l) => (l ? `      ${l}` : '')));
      }
    }
    if (report.coverage) {
      const cov = run.coverage;
      out.push('', c.bold(`coverage of ${safe(run.policy)}: ${cov.percent}% of rules decided at least one case`));
      for (const [id, n] of Object.entries(cov.rules)) out.push(`  ${n > 0 ? c.green('●') : c.red('○')} ${safe(id)}: ${n} case${n === 1 ? '' : 's'}${cov.unreached.includes(id) ? c.dim(' (never reached)') : ''}`);
      if (cov.bundles) {
        for (const [id, n] of Object.entries(cov.bundles)) out.push(`  ${n > 0 ? c.green('●') : c.yellow('○')} bundle ${safe(id)}: chosen by ${n} quote case${n === 1 ? '' : 's'}`);
      }
      for (const m of cov.multipliers) {
        const state = m.applied === 0 ? c.yellow('never applied') : m.notApplied === 0 ? c.yellow('always applied') : 'applied and not applied';
        out.push(`    multiplier ${safe(m.ruleId)}[${m.index}] if ${safe(m.if)}: ${state} (${m.applied}/${m.applied + m.notApplied})`);
      }
    }
  }
  const t = totals(report);
  out.push('', `${t.failed ? c.red(`${t.failed} failed`) : t.total === 0 ? c.red('nothing tested') : c.green('all passed')}: ${t.passed} passed, ${t.failed} failed, ${t.total} case${t.total === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
