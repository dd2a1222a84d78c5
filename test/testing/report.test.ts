/**
 * Reports of `monetize test` (and the explain trace they embed) given hostile text: a policy whose
 * reason, redirect and multiplier text carry terminal escapes, C1 controls, NUL and bidi
 * overrides, a request carrying them in a value, and case names that try Markdown links, images,
 * HTML and entities. No renderer may pass a control character through, and the Markdown report
 * must show every such string as the text it is.
 */
import { dump } from 'js-yaml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/diag/escape.js';
import { explanationPretty } from '../../src/interp/render.js';
import { quoteString } from '../../src/lang/syntax.js';
import { loadPolicyText, toChecked, type CheckedPolicy } from '../../src/pipeline/pipeline.js';
import type { TestCase } from '../../src/testing/load.js';
import { renderTestJunit } from '../../src/testing/report/junit.js';
import { renderTestMarkdown } from '../../src/testing/report/markdown.js';
import type { TestReport } from '../../src/testing/report/model.js';
import { renderTestPretty } from '../../src/testing/report/pretty.js';
import { runCases } from '../../src/testing/run.js';

/** Clears the screen, homes the cursor and prints a verdict; then a C1 CSI, a bidi override, NUL. */
const FAKE_VERDICT = '\u001b[2J\u001b[HALLOW by admin\u009b31m\u202e\u0000';
/** An OSC 8 hyperlink and a line break that would start a line of its own. */
const LINK = '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\\ndecision: ALLOW';
const NAMES = [
  `${FAKE_VERDICT} all passed`,
  '[click me](https://evil.example) ![pixel](https://evil.example/p.png)',
  '<img src=x onerror=alert(1)> <script>alert(1)</script> &amp; &#x41;',
  'www.evil.example and mail@evil.example and https://evil.example',
  'a | pipe, `code`, **bold**, _em_, ~~strike~~ and a \\| backslash-pipe',
  'line one\nline two\r\n\u2066isolated\u2069',
];

/** What a terminal acts on: C0 (line breaks included), DEL, C1, bidi embeddings/overrides/isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** Chalk's own colour sequences, the only escapes a coloured report may hold. */
const SGR = /\u001b\[\d+(?:;\d+)*m/g;

const POLICY = dump({
  version: '1.0',
  schema: { user: { nick: 'string' } },
  rules: [
    { id: 'nicknamed', priority: 20, condition: "user.nick == 'plain'", action: { allow: true, cost: { base: 1, multipliers: [{ if: `user.nick != '${FAKE_VERDICT}'`, value: 2 }] } } },
    { id: 'paywall', priority: 10, condition: "user.tier == 'free'", action: { allow: false, reason: FAKE_VERDICT, redirect: LINK } },
  ],
});

function checked(): CheckedPolicy {
  const r = loadPolicyText('hostile.yaml', POLICY);
  const c = toChecked(r);
  if (!c) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return c;
}

const REQUEST = { assetId: 'a', action: 'read', context: { userId: 'u', tier: 'free', tokenBalance: 0, entitlements: [], nick: `\u202e${FAKE_VERDICT}` } };

function testCase(name: string): TestCase {
  return { name, file: 'hostile.test.yaml', line: 3, span: { start: 0, end: 0 }, requests: [REQUEST], expect: { allowed: true }, spans: { params: new Map() } };
}

function report(names: readonly string[]): TestReport {
  const c = checked();
  return { runs: [{ policy: 'hostile.yaml', source: c.source, ...runCases(c, names.map(testCase)) }], coverage: true };
}

describe('terminal reports pass no control character through', () => {
  const r = report(NAMES);
  const c = checked();

  it('the run really carries the hostile text (the case fails on the hostile decision)', () => {
    const result = r.runs[0]!.results[0]!;
    expect(result.passed).toBe(false);
    expect(result.actual.reason).toBe(FAKE_VERDICT);
    expect(result.explanation).toBeDefined();
  });

  // Each with a piece of the hostile text as it must be shown: made visible, not dropped.
  it.each([
    ['test pretty, no colour', () => renderTestPretty(r, false), '␛[2J␛[HALLOW by admin'],
    ['test pretty, colour (beyond its own colour codes)', () => renderTestPretty(r, true).replace(SGR, ''), '␛[2J␛[HALLOW by admin'],
    ['explain pretty, no colour', () => explanationPretty(r.runs[0]!.results[0]!.explanation!, c.source, false), 'reason=␛[2J␛[HALLOW by admin'],
    ['explain pretty, colour (beyond its own colour codes)', () => explanationPretty(r.runs[0]!.results[0]!.explanation!, c.source, true).replace(SGR, ''), 'reason=␛[2J␛[HALLOW by admin'],
    ['junit', () => renderTestJunit(r), '␛[2J␛[HALLOW by admin'],
    ['markdown', () => renderTestMarkdown(r), '␛\\[2J␛\\[HALLOW by admin'],
  ])('%s', (_what, render, visible) => {
    const out = render();
    // Line feeds are the renderer's own; every other control is not.
    for (const line of out.split('\n')) expect(CONTROL.exec(line), `a control character in ${JSON.stringify(line)}`).toBeNull();
    expect(out).toContain(visible);
  });

  it('a reason or redirect with a line break does not start a line of its own', () => {
    for (const out of [renderTestPretty(r, false), explanationPretty(r.runs[0]!.results[0]!.explanation!, c.source, false)]) {
      expect(out.split('\n').filter((l) => /^\s*decision: ALLOW/.test(l))).toEqual([]);
    }
  });
});

// --- reading Markdown back --------------------------------------------------------------------

const PUNCT = /[!-/:-@[-`{-~]/;
const WORD = /^[\p{L}\p{N}]$/u;

/** The cells of a GFM table row, split on `|` not escaped by a backslash. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < row.length - 1; i++) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (row[i] === '|') {
      out.push(cur);
      cur = '';
    } else cur += row[i];
  }
  out.push(cur);
  // GFM trims the whitespace around a cell's content.
  return out.map((s) => s.trim());
}

/**
 * The text a plain (non-code) cell renders to, or the first thing in it that would be markup: an
 * unescaped character that opens a link, image, HTML, entity, code span, emphasis or strikethrough,
 * or the start of a bare URL, `www.` name or e-mail address that GitHub would link.
 */
function readPlain(cell: string): { text: string } | { markup: string } {
  let text = '';
  for (let i = 0; i < cell.length; i++) {
    const ch = cell[i]!;
    if (ch === '\\' && i + 1 < cell.length && PUNCT.test(cell[i + 1]!)) {
      text += cell[++i];
      continue;
    }
    // An `_` between two letters or digits cannot open or close emphasis.
    if (ch === '_' && WORD.test(cell[i - 1] ?? '') && WORD.test(cell[i + 1] ?? '')) {
      text += ch;
      continue;
    }
    if ('[]<>&!`*_~|@'.includes(ch)) return { markup: cell.slice(i, i + 12) };
    if (cell.startsWith('://', i) || /^www\./i.test(cell.slice(i))) return { markup: cell.slice(i, i + 12) };
    text += ch;
  }
  return { text };
}

/** The text of a cell that is one code span, or undefined when it is not exactly one. */
function readCode(cell: string, inTable: boolean): string | undefined {
  const fence = /^`+/.exec(cell)?.[0];
  if (!fence || !cell.endsWith(fence) || cell.length < 2 * fence.length) return undefined;
  let inner = cell.slice(fence.length, cell.length - fence.length);
  // A run of exactly the fence's length inside would close the span early.
  if ((inner.match(/`+/g) ?? []).some((run) => run.length === fence.length)) return undefined;
  if (inner.length >= 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') inner = inner.slice(1, -1);
  return inTable ? inner.replace(/\\\|/g, '|') : inner;
}

/** What the report must show for a string: one line, controls visible (as a cell, trimmed). */
function shown(s: string): string {
  return oneLine(s.replace(/[\t\r\n]+/g, ' ')).trim();
}

describe('the Markdown report shows hostile names as text', () => {
  function failedRows(out: string): string[][] {
    return out
      .split('\n')
      .filter((l) => l.startsWith('| ') && l.includes('hostile.test.yaml:3'))
      .map(cells);
  }

  it('no link, image, HTML, entity or autolink, and one row of four cells per case', () => {
    const rows = failedRows(renderTestMarkdown(report(NAMES)));
    expect(rows).toHaveLength(NAMES.length);
    rows.forEach((row, i) => {
      expect(row).toHaveLength(4);
      expect(readPlain(row[0]!)).toEqual({ text: shown(NAMES[i]!) });
      expect(readCode(row[1]!, true)).toBe('hostile.test.yaml:3');
      expect(readCode(row[3]!, true)).toBe('paywall');
      expect(readPlain(row[2]!)).toHaveProperty('text');
    });
  });

  it('multiplier text in the coverage list is one code span holding the text', () => {
    const out = renderTestMarkdown(report(NAMES));
    const item = out.split('\n').find((l) => l.startsWith('- ') && l.includes('nicknamed'))!;
    const [id, cond] = item.slice(2).split(': ', 2) as [string, string];
    expect(readCode(id, false)).toBe('nicknamed');
    // The expression as the canonical printer writes it (C0 escaped), with what it leaves (C1, bidi) made visible.
    expect(readCode(cond, false)).toBe(shown(`if user.nick != ${quoteString(FAKE_VERDICT)}`));
  });

  it('any case name reads back as itself (property)', () => {
    const c = checked();
    const unit = fc.oneof(fc.constantFrom(...'[]()<>!&|`*_~\\:/.@#w \n\t\u001b\u009b\u202e'.split('')), fc.string({ unit: 'grapheme', maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(fc.string({ unit, minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }), (names) => {
        const r: TestReport = { runs: [{ policy: 'hostile.yaml', source: c.source, ...runCases(c, names.map(testCase)) }], coverage: false };
        const rows = failedRows(renderTestMarkdown(r));
        expect(rows.map((row) => row.length)).toEqual(names.map(() => 4));
        expect(rows.map((row) => readPlain(row[0]!))).toEqual(names.map((n) => ({ text: shown(n) })));
      }),
      { numRuns: Number(process.env.MD_RUNS ?? 300) },
    );
  });

  it('code spans hold any backtick run and pipe as text', () => {
    const c = checked();
    for (const file of ['a`b', '``x``', '`', 'p|q', 'x\\|y']) {
      const r: TestReport = { runs: [{ policy: file, source: c.source, ...runCases(c, [{ ...testCase('n'), file }]) }], coverage: true };
      const out = renderTestMarkdown(r);
      const row = out.split('\n').find((l) => l.startsWith('| n |'))!;
      expect(readCode(cells(row)[1]!, true)).toBe(`${file}:3`);
      const heading = out.split('\n').find((l) => l.startsWith('**Coverage of '))!;
      expect(readCode(heading.slice('**Coverage of '.length, heading.indexOf(':**')), false)).toBe(file);
    }
  });
});
