import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, CODES, type Code } from '../../src/diag/codes.js';
import { diag, type Diagnostic, type DiagnosticExtra } from '../../src/diag/diagnostic.js';
import { SourceFile } from '../../src/diag/source.js';
import { renderJson, toJsonDiagnostics } from '../../src/diag/render/json.js';
import { renderPlainError, renderPretty, renderSummary } from '../../src/diag/render/pretty.js';
import { artifactUri, renderSarif, toSarifLog } from '../../src/diag/render/sarif.js';
import { DIAGNOSTIC_FORMATS, isDiagnosticFormat, renderDiagnostics } from '../../src/diag/render/index.js';

const POLICY = [
  'version: "1.0"', // 1
  'rules:', // 2
  '  - id: pro', // 3
  "    when: user.tierr == 'pro'", // 4
  '  - id: pro', // 5
  '\twhen: a\tb', // 6
  '    cost: (1 +', // 7
  '      2)', // 8
  '    note: 価格 x', // 9
  '', // 10
].join('\n');

const policy = new SourceFile('policy.yaml', POLICY);
const files = new Map([[policy.path, policy]]);

/** A span over the `nth` occurrence of `needle` in the policy. */
function at(needle: string, nth = 1, length = needle.length): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k < nth; k++) i = POLICY.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  return { start: i, end: i + length };
}

/** The span of `pro` in the nth `- id: pro`. */
function pro(n: number): { start: number; end: number } {
  const s = at('- id: pro', n);
  return { start: s.start + 6, end: s.end };
}

function d(code: Code, span: { start: number; end: number }, message: string, extra: DiagnosticExtra = {}): Diagnostic {
  return diag(code, 'policy.yaml', span, message, extra);
}

const pretty = (ds: Diagnostic[], maxWidth?: number) => renderPretty(ds, files, { color: false, maxWidth });

/** A type error with the have/want detail (synthetic: any code and span will do). */
const typed = (extra: DiagnosticExtra = { have: 'string', want: 'number', hint: 'compare two numbers' }) =>
  d('M301', at('user.tierr'), "'==' cannot be applied to number and string", extra);

describe('pretty', () => {
  it('frames a single-line span with a hint', () => {
    const out = pretty([d('M300', at('user.tierr'), 'unknown field `user.tierr`', { hint: 'did you mean `user.tier`?' })]);
    expect(out).toBe(
      [
        'policy.yaml:4:11: error[M300]: unknown field `user.tierr`',
        "  4 |     when: user.tierr == 'pro'",
        '    |           ^~~~~~~~~~',
        '  = help: did you mean `user.tier`?',
        '',
      ].join('\n'),
    );
  });

  it('prints the have/want detail of a type error before the help line', () => {
    expect(pretty([typed()])).toBe(
      [
        "policy.yaml:4:11: error[M301]: '==' cannot be applied to number and string",
        "  4 |     when: user.tierr == 'pro'",
        '    |           ^~~~~~~~~~',
        '  = have: string',
        '  = want: number',
        '  = help: compare two numbers',
        '',
      ].join('\n'),
    );
    // Either line alone, and in colour the same text underneath.
    expect(pretty([typed({ want: 'boolean' })]).split('\n').slice(3)).toEqual(['  = want: boolean', '']);
    expect(pretty([typed({ have: 'list<string>\u001b[2J' })]).split('\n').slice(3)).toEqual(['  = have: list<string>\u241b[2J', '']);
    const colored = renderPretty([typed()], files, { color: true });
    expect(colored).toContain('\u001b[36m= have:\u001b[39m string');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(pretty([typed()]));
  });

  it('puts a zero-length span at the end of a line just past the last character', () => {
    const end = POLICY.indexOf('\n', POLICY.indexOf('(1 +'));
    const out = pretty([d('M200', { start: end, end }, 'expected an expression')]);
    expect(out).toBe(
      ['policy.yaml:7:15: error[M200]: expected an expression', '  7 |     cost: (1 +', '    |               ^', ''].join('\n'),
    );
  });

  it('underlines a multi-line span to the end of its first line', () => {
    const s = at('(1 +');
    const out = pretty([d('M304', { start: s.start, end: POLICY.indexOf('2)') + 2 }, 'cost is not a number')]);
    expect(out).toBe(
      ['policy.yaml:7:11: error[M304]: cost is not a number', '  7 |     cost: (1 +', '    |           ^~~~', ''].join('\n'),
    );
    expect(toJsonDiagnostics([d('M304', { start: s.start, end: POLICY.indexOf('2)') + 2 }, 'x')], files).diagnostics[0]).toMatchObject({
      line: 7,
      column: 11,
      endLine: 8,
      endColumn: 9,
    });
  });

  it('expands tabs to the same tab stops in the source line and the caret line', () => {
    const out = pretty([d('M300', at('\tb', 1, 2), 'unknown field `b`')].map((x) => ({ ...x, span: { start: x.span.start + 1, end: x.span.end } })));
    // `\twhen: a\tb`: the first tab fills 4 columns, the second runs from column 11 to the stop at 12.
    expect(out).toBe(['policy.yaml:6:10: error[M300]: unknown field `b`', '  6 |     when: a b', '    |             ^', ''].join('\n'));
    const lines = out.split('\n');
    expect(lines[1]!.indexOf('b')).toBe(lines[2]!.indexOf('^'));
  });

  it('keeps the caret aligned after double-width characters', () => {
    const x = at('格 x').start + 2;
    const out = pretty([d('M300', { start: x, end: x + 1 }, 'unknown field `x`')]);
    expect(out.split('\n').slice(1, 3)).toEqual(['  9 |     note: 価格 x', '    |                ^']);
  });

  it('prints secondary labels with their own location and frame, gutters aligned', () => {
    const other = new SourceFile('base.yaml', Array.from({ length: 12 }, (_, i) => `k${i + 1}: v`).join('\n'));
    const fs = new Map([...files, [other.path, other]]);
    const ds = [
      d('M114', pro(2), 'duplicate rule id `pro`', {
        labels: [
          { file: 'policy.yaml', span: pro(1), message: 'first defined here' },
          { file: 'base.yaml', span: { start: other.text.indexOf('k12'), end: other.text.indexOf('k12') + 3 }, message: 'also here' },
          { file: 'gone.yaml', span: { start: 0, end: 0 }, message: 'and in a file that was not loaded' },
        ],
      }),
    ];
    expect(renderPretty(ds, fs, { color: false })).toBe(
      [
        'policy.yaml:5:9: error[M114]: duplicate rule id `pro`',
        '   5 |   - id: pro',
        '     |         ^~~',
        '  note: first defined here',
        '  --> policy.yaml:3:9',
        '   3 |   - id: pro',
        '     |         ^~~',
        '  note: also here',
        '  --> base.yaml:12:1',
        '  12 | k12: v',
        '     | ^~~',
        '  note: and in a file that was not loaded',
        '  --> gone.yaml',
        '',
      ].join('\n'),
    );
  });

  it('sorts diagnostics and separates them with a blank line', () => {
    const out = pretty([d('M307', at('cost'), 'later', {}), d('M300', at('user.tierr'), 'earlier')]);
    expect(out.split('\n').filter((l) => /^policy\.yaml:/.test(l))).toEqual([
      'policy.yaml:4:11: error[M300]: earlier',
      'policy.yaml:7:5: warning[M307]: later',
    ]);
    expect(out).toContain('^~~~~~~~~~\n\npolicy.yaml:7:5');
  });

  it('cuts very long lines around the span with an ellipsis', () => {
    const line = 'x'.repeat(100) + 'needle' + 'y'.repeat(100);
    const src = new SourceFile('long.yaml', line);
    const out = renderPretty([diag('M300', 'long.yaml', { start: 100, end: 106 }, 'long')], new Map([[src.path, src]]), { color: false, maxWidth: 40 });
    const [, text, caret] = out.split('\n');
    expect(text).toBe('  1 | …' + 'x'.repeat(16) + 'needle' + 'y'.repeat(16) + '…');
    expect(caret!.indexOf('^')).toBe(text!.indexOf('needle'));
    expect(caret!.endsWith('| ' + ' '.repeat(17) + '^~~~~~')).toBe(true);
    // The start of a line needs no leading ellipsis.
    const head = renderPretty([diag('M300', 'long.yaml', { start: 2, end: 3 }, 'h')], new Map([[src.path, src]]), { color: false, maxWidth: 40 });
    expect(head.split('\n')[1]).toBe('  1 | ' + 'x'.repeat(38) + '…');
  });

  it('makes terminal escapes and bidi controls in source and messages visible', () => {
    const src = new SourceFile('evil.yaml', 'id: "\u001b[2J\u202e"');
    const out = renderPretty([diag('M113', 'evil.yaml', { start: 4, end: 10 }, 'bad \u001b[31mvalue')], new Map([[src.path, src]]), { color: false });
    expect(out).not.toMatch(/[\u001b\u202e]/);
    expect(out).toContain('\u241b[2J\ufffd');
  });

  it('makes controls in file names visible, and a lone carriage return in a message', () => {
    const out = renderPretty([diag('M100', 'x\u001b[2J.yaml', { start: 0, end: 0 }, 'fake\rerror[M000]: ok', { hint: 'a\r\nb' })], new Map(), { color: false });
    expect(out).toBe('x␛[2J.yaml: error[M100]: fake␍error[M000]: ok\n  = help: a\n  b\n');
  });

  it('prints a diagnostic whose file has no source as a location-less header', () => {
    const out = renderPretty([diag('M100', 'missing.yaml', { start: 0, end: 0 }, 'cannot read file', { hint: 'Check the path.' })], new Map(), { color: false });
    expect(out).toBe('missing.yaml: error[M100]: cannot read file\n  = help: Check the path.\n');
    expect(renderPlainError('missing.yaml', 'cannot read file', 'Check the path.')).toBe(out);
    expect(renderPlainError('x.yaml', 'nope')).toBe('x.yaml: error[M100]: nope\n');
  });

  it('colours only when asked, with the same text underneath', () => {
    const ds = [d('M307', at('user.tierr'), 'guard it', { hint: 'add exists()' }), d('M406', at('cost'), 'fyi')];
    const plain = renderPretty(ds, files, { color: false });
    const colored = renderPretty(ds, files, { color: true });
    expect(plain).not.toContain('\u001b[');
    expect(colored).toContain('\u001b[33mwarning[M307]'); // yellow
    expect(colored).toContain('\u001b[34minfo[M406]'); // blue
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(renderPretty([d('M300', pro(1), 'e')], files, { color: true })).toContain('\u001b[31merror[M300]');
  });

  it('summarises counts', () => {
    expect(renderSummary({ errors: 2, warnings: 1, infos: 0 }, false)).toBe('2 errors, 1 warning');
    expect(renderSummary({ errors: 0, warnings: 0, infos: 3 }, false)).toBe('3 infos');
    expect(renderSummary({ errors: 1, warnings: 0, infos: 0 }, false)).toBe('1 error');
    expect(renderSummary({ errors: 0, warnings: 0, infos: 0 }, false)).toBe('no problems');
    expect(renderSummary({ errors: 1, warnings: 0, infos: 0 }, true)).toBe('\u001b[31m1 error\u001b[39m');
  });
});

describe('json', () => {
  it('has the exact documented shape, key order and formatting', () => {
    const ds = [
      d('M307', at('cost'), 'unguarded', {}),
      d('M300', at('user.tierr'), 'unknown field `user.tierr`', { hint: 'did you mean `user.tier`?' }),
      diag('M406', 'policy.yaml', pro(2), 'fyi', { labels: [{ file: 'policy.yaml', span: pro(1), message: 'first' }] }),
    ];
    const out = renderJson(ds, files);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(toJsonDiagnostics(ds, files));
    expect(JSON.parse(out)).toEqual({
      diagnostics: [
        { file: 'policy.yaml', line: 4, column: 11, endLine: 4, endColumn: 21, severity: 'error', code: 'M300', name: 'unknown-field', message: 'unknown field `user.tierr`', hint: 'did you mean `user.tier`?' },
        {
          file: 'policy.yaml', line: 5, column: 9, endLine: 5, endColumn: 12, severity: 'info', code: 'M406', name: 'redirect-on-allow', message: 'fyi',
          labels: [{ file: 'policy.yaml', line: 3, column: 9, endLine: 3, endColumn: 12, message: 'first' }],
        },
        { file: 'policy.yaml', line: 7, column: 5, endLine: 7, endColumn: 9, severity: 'warning', code: 'M307', name: 'optional-unguarded', message: 'unguarded' },
      ],
      errors: 1,
      warnings: 1,
      infos: 1,
    });
    expect(Object.keys(JSON.parse(out))).toEqual(['diagnostics', 'errors', 'warnings', 'infos']);
    expect(Object.keys(JSON.parse(out).diagnostics[0])).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'name', 'message', 'hint']);
    expect(out).toContain('\n  "diagnostics": [\n    {\n      "file": "policy.yaml",\n');
  });

  it('carries the have/want detail of a type error as fields after the message', () => {
    const [j] = toJsonDiagnostics([typed()], files).diagnostics;
    expect(j).toMatchObject({ code: 'M301', have: 'string', want: 'number', hint: 'compare two numbers' });
    expect(Object.keys(j!)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'name', 'message', 'have', 'want', 'hint']);
    expect(renderJson([typed()], files)).toContain('"have": "string",\n      "want": "number",\n      "hint": "compare two numbers"\n');
    const [only] = toJsonDiagnostics([typed({ want: 'boolean' })], files).diagnostics;
    expect('have' in only!).toBe(false);
    expect(only!.want).toBe('boolean');
  });

  it('renders no diagnostics as an empty list and zero counts', () => {
    expect(renderJson([], files)).toBe('{\n  "diagnostics": [],\n  "errors": 0,\n  "warnings": 0,\n  "infos": 0\n}\n');
  });

  it('reports a file without source at 1:1 and an insertion point as equal columns', () => {
    const j = toJsonDiagnostics([diag('M100', 'gone.yaml', { start: 5, end: 9 }, 'unreadable'), d('M200', { start: 3, end: 3 }, 'x')], files);
    expect(j.diagnostics.map((x) => [x.file, x.line, x.column, x.endLine, x.endColumn])).toEqual([
      ['gone.yaml', 1, 1, 1, 1],
      ['policy.yaml', 1, 4, 1, 4],
    ]);
  });
});

// --- a compact, faithful subset of the SARIF 2.1.0 schema, plus GitHub code scanning's needs -----

const LEVELS = new Set(['none', 'note', 'warning', 'error']);

function checkSarif(log: unknown): string[] {
  const errs: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) errs.push(what);
  };
  const obj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const int1 = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  const uriRef = (v: unknown) => typeof v === 'string' && v.length > 0 && !/[\s\\]/.test(v) && (() => { try { new URL(v, 'file:///root/'); return true; } catch { return false; } })();
  const region = (r: unknown, where: string) => {
    need(obj(r), `${where}.region is an object`);
    if (!obj(r)) return;
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) need(int1(r[k]), `${where}.region.${k} is an integer >= 1`);
    need(r.endLine >= r.startLine, `${where}.region ends after it starts`);
    if (r.endLine === r.startLine) need(r.endColumn >= r.startColumn, `${where}.region columns ordered`);
  };
  const location = (l: unknown, where: string) => {
    need(obj(l) && obj(l.physicalLocation), `${where}.physicalLocation`);
    if (!obj(l) || !obj(l.physicalLocation)) return;
    const a = l.physicalLocation.artifactLocation;
    need(obj(a) && uriRef(a.uri), `${where}.artifactLocation.uri is a URI reference`);
    if (obj(a) && a.uriBaseId !== undefined) need(typeof a.uriBaseId === 'string', `${where}.uriBaseId is a string`);
    region(l.physicalLocation.region, where);
  };

  need(obj(log), 'log is an object');
  if (!obj(log)) return errs;
  need(log.version === '2.1.0', 'version is 2.1.0');
  need(typeof log.$schema === 'string' && log.$schema.includes('sarif-2.1.0'), '$schema names SARIF 2.1.0');
  need(Array.isArray(log.runs) && log.runs.length === 1, 'exactly one run');
  const run = log.runs?.[0];
  if (!obj(run)) return errs;
  need(['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind), 'columnKind is valid');
  const driver = run.tool?.driver;
  need(obj(driver) && typeof driver.name === 'string' && driver.name.length > 0, 'tool.driver.name');
  if (!obj(driver)) return errs;
  need(driver.version === undefined || typeof driver.version === 'string', 'driver.version is a string');
  need(driver.informationUri === undefined || /^https?:\/\//.test(driver.informationUri), 'informationUri is absolute');
  const rules: any[] = driver.rules ?? [];
  need(Array.isArray(rules), 'driver.rules is an array');
  need(new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids are unique');
  rules.forEach((r, i) => {
    need(typeof r.id === 'string' && r.id.length > 0, `rules[${i}].id`);
    for (const k of ['shortDescription', 'fullDescription', 'help']) {
      if (r[k] !== undefined) need(obj(r[k]) && typeof r[k].text === 'string' && r[k].text.length > 0, `rules[${i}].${k}.text`);
    }
    need(typeof r.help?.markdown === 'string', `rules[${i}].help.markdown`);
    need(LEVELS.has(r.defaultConfiguration?.level), `rules[${i}].defaultConfiguration.level`);
  });
  need(Array.isArray(run.results), 'run.results is an array');
  (run.results as any[]).forEach((res, i) => {
    const w = `results[${i}]`;
    need(obj(res.message) && typeof res.message.text === 'string' && res.message.text.length > 0, `${w}.message.text`);
    need(Number.isInteger(res.ruleIndex) && res.ruleIndex >= 0 && rules[res.ruleIndex]?.id === res.ruleId, `${w}.ruleId matches rules[ruleIndex]`);
    need(LEVELS.has(res.level), `${w}.level`);
    need(Array.isArray(res.locations) && res.locations.length >= 1, `${w}.locations`);
    (res.locations ?? []).forEach((l: unknown, j: number) => location(l, `${w}.locations[${j}]`));
    (res.relatedLocations ?? []).forEach((l: any, j: number) => {
      need(Number.isInteger(l.id) && l.id >= 0, `${w}.relatedLocations[${j}].id`);
      location(l, `${w}.relatedLocations[${j}]`);
    });
    need(obj(res.partialFingerprints) && Object.values(res.partialFingerprints).every((v) => typeof v === 'string' && v.length > 0), `${w}.partialFingerprints`);
  });
  return errs;
}

describe('sarif', () => {
  const root = path.resolve('/work/proj');
  const tool = { version: '0.1.0', informationUri: 'https://github.com/example/monetize' };
  const fs = new Map([['policies/my policy.yaml', new SourceFile('policies/my policy.yaml', POLICY)]]);
  const ds = [
    diag('M300', 'policies/my policy.yaml', at('user.tierr'), 'unknown field `user.tierr`', { hint: 'did you mean `user.tier`?' }),
    diag('M406', 'policies/my policy.yaml', pro(2), 'fyi', { labels: [{ file: 'policies/my policy.yaml', span: pro(1), message: 'first' }] }),
    diag('M100', '/elsewhere/x.yaml', { start: 0, end: 0 }, 'cannot read'),
  ];

  it('passes the SARIF 2.1.0 subset check', () => {
    const out = renderSarif(ds, fs, tool, { root });
    expect(out.endsWith('}\n')).toBe(true);
    const log = JSON.parse(out);
    expect(checkSarif(log)).toEqual([]);
    expect(checkSarif(JSON.parse(renderSarif([], fs, { version: '0.1.0' }, { root })))).toEqual([]);
    // The check itself catches broken logs.
    const broken = JSON.parse(out);
    broken.runs[0].results[0].ruleIndex = 1;
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].results[2].level = 'info';
    expect(checkSarif(broken)).toHaveLength(3);
  });

  it('declares every code as a rule with stable indices and help text', () => {
    const log = toSarifLog(ds, fs, tool, { root });
    const run = log.runs[0];
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.tool.driver).toMatchObject({ name: 'monetize', version: '0.1.0', informationUri: tool.informationUri });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(ALL_CODES);
    expect(run.tool.driver.rules[ALL_CODES.indexOf('M406')]).toEqual({
      id: 'M406',
      name: 'redirect-on-allow',
      shortDescription: { text: CODES.M406.summary },
      fullDescription: { text: `${CODES.M406.summary} ${CODES.M406.fix}` },
      help: { text: CODES.M406.fix, markdown: CODES.M406.fix },
      defaultConfiguration: { level: 'note' },
    });
  });

  it('maps results to levels, relative forward-slash URIs and 1-based exclusive regions', () => {
    const [r0, r1, r2] = toSarifLog(ds, fs, tool, { root }).runs[0].results;
    expect(r0).toMatchObject({ ruleId: 'M100', level: 'error', message: { text: 'cannot read' } });
    expect(r0!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/x.yaml' });
    expect(r1).toMatchObject({ ruleId: 'M300', ruleIndex: ALL_CODES.indexOf('M300'), level: 'error' });
    expect(r1!.message.text).toBe('unknown field `user.tierr`\nhelp: did you mean `user.tier`?');
    expect(r1!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'policies/my%20policy.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 11, endLine: 4, endColumn: 21 },
    });
    expect(r2!.level).toBe('note');
    expect(r2!.relatedLocations).toEqual([
      { id: 0, physicalLocation: { artifactLocation: { uri: 'policies/my%20policy.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 12 } }, message: { text: 'first' } },
    ]);
  });

  it('puts the have/want detail in the message text and in the result property bag', () => {
    const typedHere = diag('M301', 'policies/my policy.yaml', at('user.tierr'), 'mismatch', { have: 'string', want: 'number', hint: 'compare two numbers' });
    const log = toSarifLog([typedHere, ds[1]!], fs, tool, { root });
    expect(checkSarif(JSON.parse(JSON.stringify(log)))).toEqual([]);
    const [withDetail, without] = log.runs[0].results;
    expect(withDetail!.message.text).toBe('mismatch\nhave: string\nwant: number\nhelp: compare two numbers');
    expect(withDetail!.properties).toEqual({ have: 'string', want: 'number' });
    expect(without!.properties).toBeUndefined();
    const wantOnly = toSarifLog([diag('M303', 'policies/my policy.yaml', at('cost'), 'not boolean', { want: 'boolean' })], fs, tool, { root }).runs[0].results[0]!;
    expect(wantOnly.message.text).toBe('not boolean\nwant: boolean');
    expect(wantOnly.properties).toEqual({ want: 'boolean' });
    // The detail does not change the fingerprint: it is keyed by the message alone.
    const fpOf = (x: Diagnostic) => toSarifLog([x], fs, tool, { root }).runs[0].results[0]!.partialFingerprints.primaryLocationLineHash;
    expect(fpOf(typedHere)).toBe(fpOf(diag('M301', 'policies/my policy.yaml', at('user.tierr'), 'mismatch')));
  });

  it('fingerprints by code, file and message, not by line, and numbers repeats', () => {
    const fp = (dd: Diagnostic[]) => toSarifLog(dd, fs, tool, { root }).runs[0].results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    const mk = (span: { start: number; end: number }, m = 'same') => diag('M300', 'policies/my policy.yaml', span, m);
    const [a] = fp([mk(at('user.tierr'))]);
    const [b] = fp([mk(at('cost'))]);
    expect(a).toMatch(/^[0-9a-f]{16}:1$/);
    expect(b).toBe(a);
    const twice = fp([mk(at('cost')), mk(at('user.tierr'))]);
    expect(twice[1]).toBe(twice[0]!.replace(/:1$/, ':2'));
    expect(fp([mk(at('cost'), 'other')])[0]).not.toBe(a);
  });

  it('makes artifact URIs relative to the root with forward slashes', () => {
    expect(artifactUri('a/b.yaml', root)).toEqual({ uri: 'a/b.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactUri(path.join(root, 'c', 'd#1.yaml'), root)).toEqual({ uri: 'c/d%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactUri('../up.yaml', root).uri).toBe('file:///work/up.yaml');
  });
});

describe('renderDiagnostics', () => {
  it('dispatches by format name', () => {
    const ds = [d('M300', at('user.tierr'), 'unknown field')];
    const opts = { color: false, version: '0.1.0', root: '/' };
    expect(DIAGNOSTIC_FORMATS).toEqual(['pretty', 'json', 'sarif']);
    expect(isDiagnosticFormat('sarif')).toBe(true);
    expect(isDiagnosticFormat('junit')).toBe(false);
    expect(renderDiagnostics('pretty', ds, files, opts)).toBe(renderPretty(ds, files, { color: false }));
    expect(renderDiagnostics('json', ds, files, opts)).toBe(renderJson(ds, files));
    expect(renderDiagnostics('sarif', ds, files, opts)).toBe(renderSarif(ds, files, { version: '0.1.0' }, { root: '/' }));
  });
});
