/** `monetize test --format junit`: JUnit XML as CI systems (GitHub, GitLab, Jenkins) read it. */
import { multiLine } from '../../diag/escape.js';
import { actualDetail, describeMismatch, totals, type TestReport } from './model.js';

/**
 * Escape text for XML attributes and content. CI systems show these names and messages to people,
 * so terminal controls and bidi overrides are made visible first (as in every other report); what
 * XML 1.0 still cannot carry (lone surrogates, U+FFFE, U+FFFF) becomes U+FFFD.
 */
export function xmlEscape(s: string): string {
  return multiLine(s)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Render a test report as JUnit XML, one testsuite per test file. */
export function renderTestJunit(report: TestReport): string {
  const t = totals(report);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="monetize" tests="${t.total}" failures="${t.failed}" errors="0">`];
  const byFile = new Map<string, { policy: string; results: TestReport['runs'][number]['results'][number][] }>();
  for (const run of report.runs) {
    for (const r of run.results) {
      const e = byFile.get(r.file) ?? { policy: run.policy, results: [] };
      e.results.push(r);
      byFile.set(r.file, e);
    }
  }
  for (const [file, { policy, results }] of byFile) {
    const failures = results.filter((r) => !r.passed).length;
    lines.push(`  <testsuite name="${xmlEscape(file)}" tests="${results.length}" failures="${failures}" errors="0">`);
    lines.push(`    <properties><property name="policy" value="${xmlEscape(policy)}"/></properties>`);
    for (const r of results) {
      const open = `    <testcase name="${xmlEscape(r.name)}" classname="${xmlEscape(file)}" file="${xmlEscape(file)}" line="${r.line}"`;
      if (r.passed) {
        lines.push(`${open}/>`);
        continue;
      }
      const detail = [...r.mismatches.map(describeMismatch), ...actualDetail(r)].join('\n');
      lines.push(`${open}>`);
      lines.push(`      <failure message="${xmlEscape(r.mismatches.map(describeMismatch).join('; '))}" type="AssertionError">${xmlEscape(detail)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
