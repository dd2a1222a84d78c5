/** `monetize test --format markdown`: a summary fit for a pull-request comment or a job summary. */
import { oneLine } from '../../diag/escape.js';
import { describeMismatch, outcome, totals, type TestReport } from './model.js';

const WORD = /^[\p{L}\p{N}]$/u;

/**
 * Markdown for text that came from test files, policies and requests (case names, reasons,
 * redirects, expression text, paths). Such text is shown, never interpreted: a case name must not
 * become a link, an image, HTML or an entity in a pull-request comment, and a control character
 * must not reach whoever reads the report in a terminal.
 */
function plain(s: string): string {
  return (
    oneLine(s.replace(/[\t\r\n]+/g, ' '))
      // Every character that can open inline markup is backslash-escaped (any ASCII punctuation
      // may be): code spans, emphasis, strikethrough, links and images, HTML and autolinks,
      // entities, and the table's own cell separator. An `_` inside a word cannot open or close
      // emphasis, so rule ids such as free_tier_paywall stay as they are written.
      .replace(/[\\`*_~[\]<>&|!]/g, (c, i: number, all: string) => (c === '_' && WORD.test(all[i - 1] ?? '') && WORD.test(all[i + 1] ?? '') ? c : `\\${c}`))
      // GitHub also links bare URLs, `www.` names and e-mail addresses; an escaped `:`, `.` or `@`
      // keeps them text.
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/(www)\./gi, '$1\\.')
      .replace(/@/g, '\\@')
  );
}

/**
 * Text as a code span: nothing inside one is markup. The fence is longer than any run of
 * backticks in the text, and `|` is escaped inside table cells, where GFM splits on it first.
 */
function code(s: string, inTable: boolean): string {
  let text = oneLine(s.replace(/[\t\r\n]+/g, ' '));
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
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
