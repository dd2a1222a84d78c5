/**
 * End-to-end tests of `monetize test`, through the real binary (`node bin/monetize.js`) from the
 * repository root with NO_COLOR. They need a built CLI: `npm test` builds first; when running
 * vitest directly, run `npm run build` (or `npx tsc -p .` plus the bundle step) before.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { childrenNamed, parseXml } from './fixtures/testing/helpers.js';

const FIX = 'test/e2e/fixtures/testing';
const SEED = 'examples/monetization-policy.yaml';
const PASSING = `${FIX}/passing.test.yaml`;
const FAILING = `${FIX}/failing.test.yaml`;
const COVERAGE = `${FIX}/coverage.test.yaml`;
/** The first case name of failing.test.yaml: every character XML must escape. */
const ODD_NAME = `a <plain> article costs "one" token & it's 'metered'`;

let tmp = '';
beforeAll(() => {
  requireBuild();
  tmp = mkdtempSync(join(tmpdir(), 'monetize-test-e2e-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface JsonCase {
  name: string;
  file: string;
  line: number;
  passed: boolean;
  expected: Record<string, unknown>;
  actual: Record<string, unknown>;
}
interface JsonReport {
  passed: number;
  failed: number;
  cases: JsonCase[];
  coverage?: {
    rules: Record<string, number>;
    uncovered: string[];
    unreached: string[];
    percent: number;
    multipliers: { ruleId: string; index: number; if: string; applied: number; notApplied: number }[];
  };
}

describe('monetize test: passing and failing cases', () => {
  it('a passing test file exits 0', () => {
    const r = monetize('test', PASSING);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✓ enterprise users are never charged');
    expect(r.stdout).toContain('3 passed, 0 failed, 3 cases');
    expect(r.stderr).toBe('');
  });

  it('finds <policy>.test.yaml beside the policy when no tests are given', () => {
    const r = monetize('test', SEED);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('examples/monetization-policy.test.yaml');
  });

  it('a failing case exits 1 and names the case, file:line, expected vs actual, the rule and the trace', () => {
    const r = monetize('test', FAILING);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ free readers get the article for free');
    expect(r.stdout).toContain(`${FAILING}:7`);
    expect(r.stdout).toContain('allowed: expected true, got false');
    expect(r.stdout).toContain('policyId: expected "dynamic_token_pricing", got "free_tier_paywall"');
    expect(r.stdout).toContain('decided by free_tier_paywall');
    // The explain trace: every rule tried, the failed sub-expression with its value and position.
    expect(r.stdout).toContain('rules, in evaluation order');
    expect(r.stdout).toMatch(/failed: user\.token_balance > 0 \(is false\) +examples\/monetization-policy\.yaml:15:7/);
    expect(r.stdout).toContain('user.token_balance = 0');
    expect(r.stdout).toMatch(/✓ free_tier_paywall \(priority 10\) +decided/);
    expect(r.stdout).toContain('1 failed: 1 passed, 1 failed, 2 cases');
  });
});

describe('monetize test: malformed input is exit 2 with a position', () => {
  const MALFORMED = [
    { kind: 'an unknown key', file: 'unknown-key', code: 'M500', at: '5:5', message: "unknown key 'expects' in cases[0]" },
    { kind: 'a wrong type', file: 'wrong-type', code: 'M500', at: '5:23', message: 'cases[0].expect.allowed must be a boolean' },
    { kind: 'a missing expect', file: 'missing-expect', code: 'M500', at: '3:5', message: "cases[0] is missing required key 'expect'" },
    { kind: 'both request and requests', file: 'both-requests', code: 'M500', at: '5:5', message: "has both 'request' and 'requests'" },
    { kind: 'a YAML syntax error', file: 'yaml-syntax', code: 'M101', at: '5:5', message: 'invalid YAML' },
    { kind: 'an empty expect', file: 'empty-expect', code: 'M501', at: '5:13', message: 'expects nothing, so it can never fail' },
  ] as const;

  it.each(MALFORMED)('$kind → $code at $at', ({ file, code, at, message }) => {
    const path = `${FIX}/malformed/${file}.test.yaml`;
    const r = monetize('test', path);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${path}:${at}: error[${code}]: `);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('nothing was run');
  });

  it('a folder is searched for *.test.yaml and every malformed file is reported before anything runs', () => {
    const r = monetize('test', SEED, `${FIX}/malformed`);
    expect(r.status).toBe(2);
    for (const { file, code } of MALFORMED) expect(r.stderr).toMatch(new RegExp(`${file}\\.test\\.yaml:\\d+:\\d+: error\\[${code}\\]`));
    expect(r.stderr).toContain('7 problems in test files; nothing was run');
  });

  it('a test file with no cases fails (exit 1) with a clear message', () => {
    const r = monetize('test', `${FIX}/empty.test.yaml`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the test files hold no cases; a test run that checks nothing cannot pass');
    expect(r.stdout).not.toContain('all passed');
  });

  it('a test file naming no policy, with none on the command line, is exit 2', () => {
    const r = monetize('test', `${FIX}/no-policy.test.yaml`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${FIX}/no-policy.test.yaml:1:1: error[M500]: this test file names no policy`);
    expect(monetize('test', SEED, `${FIX}/no-policy.test.yaml`).status).toBe(0);
  });

  it.each([
    ['a missing test file', [`${FIX}/does-not-exist.test.yaml`], "cannot read 'test/e2e/fixtures/testing/does-not-exist.test.yaml'"],
    ['a missing policy', ['examples/does-not-exist.yaml'], "cannot read 'examples/does-not-exist.yaml'"],
    ['no path at all', [], "missing required argument 'paths'"],
    ['a bad --min-coverage', [PASSING, '--min-coverage', '120'], '--min-coverage takes a percentage from 0 to 100'],
  ])('%s is exit 2', (_what, args, message) => {
    const r = monetize('test', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('monetize test: every problem of a test file in one run, those against its policy included', () => {
  const EVERY = `${FIX}/every-problem.test.yaml`;

  it('reports M500, M501, M502 (wrong type at the value, unknown name at the key) and M503 together, and runs nothing', () => {
    const r = monetize('test', EVERY);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const at = [...r.stderr.matchAll(/every-problem\.test\.yaml:(\d+:\d+): error\[(M\d+)\]/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(at).toEqual(['M500 4:5', 'M500 6:5', 'M501 10:13', 'M502 14:21', 'M502 19:14', 'M503 24:39']);
    for (const text of [
      `param 'surge' is declared as a number (default 1.5), but the override is the string "2"`,
      '= help: write the number without quotes: 2',
      "the policy defines no param 'surg'",
      "= help: did you mean 'surge'?",
      "expects policyId 'token_acess', which is not a rule of examples/marketplace-policy.yaml",
      "= help: did you mean 'token_access'?",
      '6 problems in test files; nothing was run',
    ]) expect(r.stderr).toContain(text);
  });

  it('monetize lint reports the same problems in the test file', () => {
    const r = monetize('lint', EVERY);
    expect(r.status).toBe(1);
    const codes = [...r.stdout.matchAll(/error\[(M\d+)\]/g)].map((m) => m[1]);
    expect(codes).toEqual(['M500', 'M500', 'M501', 'M502', 'M502', 'M503']);
  });

  it('params of the declared types, and the policyIds default_deny and invalid_request, are accepted', () => {
    const r = monetize('test', 'examples/marketplace-policy.test.yaml', 'examples/monetization-policy.test.yaml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('monetize test: hostile names, reasons and redirects', () => {
  /** Clears the screen, homes the cursor and prints a verdict. */
  const FAKE = '\u001b[2J\u001b[HALLOW by admin';
  let policy = '';
  let tests = '';
  beforeAll(() => {
    policy = join(tmp, 'hostile.yaml');
    tests = join(tmp, 'hostile.test.yaml');
    // JSON strings are YAML double-quoted strings: the escapes reach the policy as characters.
    writeFileSync(policy, `version: "1.0"\nrules:\n  - id: paywall\n    condition: "user.tier == 'free'"\n    action: {allow: false, reason: ${JSON.stringify(FAKE)}, redirect: ${JSON.stringify('/pricing\u202e\u009b2J\ndecision: ALLOW')}}\n`);
    writeFileSync(
      tests,
      `policy: hostile.yaml\ncases:\n  - name: ${JSON.stringify(`${FAKE} [click](https://evil.example) <img src=x> \u0000`)}\n    request: {assetId: a, action: read, context: {userId: u, tier: free, tokenBalance: 0, entitlements: []}}\n    expect: {allowed: true}\n`,
    );
  });
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('pretty output shows the escapes and starts no line of its own', () => {
    const r = monetize('test', tests);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('✗ ␛[2J␛[HALLOW by admin [click](https://evil.example) <img src=x> ␀');
    expect(r.stdout).toContain('reason=␛[2J␛[HALLOW by admin');
    expect(r.stdout).toContain('redirect=/pricing\ufffd\ufffd2J␊decision: ALLOW');
    expect(r.stdout.split('\n').filter((l) => l.trimStart().startsWith('decision: ALLOW'))).toEqual([]);
  });

  it('the Markdown report escapes controls, links, images and HTML', () => {
    const r = monetize('test', tests, '--format', 'markdown');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    const row = r.stdout.split('\n').find((l) => l.includes('hostile.test.yaml:3'))!;
    expect(row).toContain('| ␛\\[2J␛\\[HALLOW by admin \\[click\\](https\\://evil.example) \\<img src=x\\> ␀ |');
  });
});

describe('monetize test --format json', () => {
  it('has the documented shape', () => {
    const r = monetize('test', FAILING, PASSING, '--format', 'json');
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.passed).toBe(4);
    expect(report.failed).toBe(1);
    expect(report.cases).toHaveLength(5);
    expect(report.coverage).toBeUndefined();
    for (const c of report.cases) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'file', 'line', 'passed', 'expected', 'actual']));
      expect(typeof c.line).toBe('number');
    }
    const failed = report.cases.find((c) => !c.passed)!;
    expect(failed).toMatchObject({
      name: 'free readers get the article for free',
      file: FAILING,
      line: 7,
      expected: { allowed: true, policyId: 'dynamic_token_pricing' },
      actual: { allowed: false, policyId: 'free_tier_paywall', reason: 'upgrade_required', redirect: '/pricing' },
    });
    expect(report.cases[0]!.name).toBe(ODD_NAME);
  });

  it('reports coverage: rules decided, never reached, multipliers never applied', () => {
    const r = monetize('test', COVERAGE, '--format', 'json', '--coverage');
    expect(r.status).toBe(0);
    const { coverage } = JSON.parse(r.stdout) as JsonReport;
    expect(coverage).toBeDefined();
    expect(coverage!.rules).toEqual({ readers: 1, shadowed_reader: 0, metered: 2, paywall: 0 });
    expect(coverage!.uncovered).toEqual(['shadowed_reader', 'paywall']);
    expect(coverage!.unreached).toEqual(['paywall']);
    expect(coverage!.percent).toBe(50);
    expect(coverage!.multipliers).toEqual([
      { ruleId: 'metered', index: 0, if: "asset.tags contains 'premium'", applied: 0, notApplied: 2 },
      { ruleId: 'metered', index: 1, if: "asset.type == 'model'", applied: 1, notApplied: 1 },
    ]);
  });

  it('pretty coverage marks never-reached rules and never-applied multipliers', () => {
    const r = monetize('test', COVERAGE, '--coverage');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('50% of rules decided at least one case');
    expect(r.stdout).toContain('○ paywall: 0 cases (never reached)');
    expect(r.stdout).toContain("multiplier metered[0] if asset.tags contains 'premium': never applied (0/2)");
  });
});

describe('monetize test --min-coverage', () => {
  it('fails (exit 1) at 100 when a rule decides no case', () => {
    const r = monetize('test', COVERAGE, '--min-coverage', '100');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is 50%, below --min-coverage 100% (never decided: shadowed_reader, paywall)');
  });

  it('passes at 50 when half of the rules decide a case', () => {
    expect(monetize('test', COVERAGE, '--min-coverage', '50').status).toBe(0);
  });
});

describe('monetize test --format junit', () => {
  it('is well-formed JUnit XML: suites, cases, failures and escaped names', () => {
    const r = monetize('test', FAILING, PASSING, '--format', 'junit');
    expect(r.status).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1' });
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([FAILING, PASSING]);
    expect(suites.map((s) => [s.attrs.tests, s.attrs.failures])).toEqual([['2', '1'], ['3', '0']]);
    const cases = suites.flatMap((s) => childrenNamed(s, 'testcase'));
    expect(cases).toHaveLength(5);
    expect(cases.map((c) => c.attrs.name)).toEqual([
      ODD_NAME,
      'free readers get the article for free',
      'enterprise users are never charged',
      'a premium model costs ten tokens',
      'the paywall has no cost',
    ]);
    expect(r.stdout).toContain('a &lt;plain&gt; article costs &quot;one&quot; token &amp; it&apos;s &apos;metered&apos;');
    const failures = cases.flatMap((c) => childrenNamed(c, 'failure').map((f) => ({ c, f })));
    expect(failures).toHaveLength(1);
    const [{ c, f }] = failures as [(typeof failures)[number]];
    expect(c.attrs).toMatchObject({ name: 'free readers get the article for free', file: FAILING, line: '7' });
    expect(f.attrs.message).toContain('policyId: expected "dynamic_token_pricing", got "free_tier_paywall"');
    expect(f.text).toContain('"tier":"free"');
  });

  it('(the XML reader used here rejects what a JUnit consumer would reject)', () => {
    expect(() => parseXml('<a n="x<y"/>')).toThrow(/unescaped/);
    expect(() => parseXml('<a>fish & chips</a>')).toThrow(/unescaped/);
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
    expect(() => parseXml('<a/><b/>')).toThrow(/one root/);
    const el = parseXml(`<?xml version="1.0"?>\n<!-- c --><a n='&lt;&amp;&quot;&apos;'>t&#x41;<![CDATA[<x>]]></a>`);
    expect(el.attrs.n).toBe(`<&"'`);
    expect(el.text).toBe('tA<x>');
  });

  it('-o writes the report to a file and only a note to stderr', () => {
    const out = join(tmp, 'reports', 'report.xml');
    const r = monetize('test', PASSING, '--format', 'junit', '-o', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out}: 3 passed, 0 failed`);
    const root = parseXml(readFileSync(out, 'utf8'));
    expect(root.attrs).toMatchObject({ tests: '3', failures: '0' });
  });
});

describe('monetize test --format markdown', () => {
  it('has a summary heading and a table of the failing cases', () => {
    const r = monetize('test', FAILING, '--format', 'markdown');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^### .*monetize test: 1 passed, 1 failed$/);
    expect(lines).toContain('| case | where | what differs | decided by |');
    const row = lines.find((l) => l.startsWith('| free readers get the article for free |'));
    expect(row).toContain(`\`${FAILING}:7\``);
    expect(row).toContain('allowed: expected true, got false');
    expect(row).toContain('`free_tier_paywall`');
    expect(r.stdout).not.toContain('a &lt;plain&gt;');
  });

  it('adds a coverage table with --coverage', () => {
    const r = monetize('test', COVERAGE, '--format', 'markdown', '--coverage');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^### .*monetize test: 3 passed, 0 failed$/);
    expect(r.stdout).toContain('50% of rules decided at least one case');
    expect(r.stdout).toContain('| `paywall` | 0 | never reached |');
    expect(r.stdout).toContain("- `metered`: `if asset.tags contains 'premium'`");
  });
});

describe('monetize test --record', () => {
  const LOG = `${FIX}/sample.jsonl`;
  interface Recorded {
    policy: string;
    cases: { name: string; request: Record<string, unknown>; expect: Record<string, unknown> }[];
  }

  function recordAndRun(log: string, out: string): Recorded {
    const r = monetize('test', SEED, '--record', log, '-o', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    // The malformed line is reported with file:line; the blank line is not a problem.
    expect(r.stderr).toContain(`${log}:7: skipped: invalid JSON`);
    expect(r.stderr).not.toContain(`${log}:4:`);
    expect(r.stderr).toContain(`wrote ${out}: 7 cases from 12 log lines`);
    const rec = load(readFileSync(out, 'utf8')) as Recorded;
    const run = monetize('test', out);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('7 passed, 0 failed, 7 cases');
    return rec;
  }

  it('turns an access log into de-duplicated golden cases that pass', () => {
    const rec = recordAndRun(LOG, join(tmp, 'cases.test.yaml'));
    // 10 requests, 7 distinct decision paths: duplicates of lines 1, 5 and 8 are dropped.
    expect(rec.cases).toHaveLength(7);
    expect(rec.cases.map((c) => c.name.replace(/.*\(log line (\d+)\)$/, '$1'))).toEqual(['1', '3', '5', '8', '10', '11', '12']);
    expect(rec.cases.map((c) => c.expect.policyId)).toEqual(['dynamic_token_pricing', 'dynamic_token_pricing', 'free_tier_paywall', 'enterprise_unlimited', 'dynamic_token_pricing', 'default_deny', 'invalid_request']);
    expect(rec.cases[0]!.expect).toEqual({ allowed: true, policyId: 'dynamic_token_pricing', cost: 10 });
    // The log's `id` field is not part of a request.
    for (const c of rec.cases) expect(c.request).not.toHaveProperty('id');
    expect(existsSync(join(tmp, rec.policy))).toBe(true);
  });

  it('reads gzip-compressed logs (.jsonl.gz)', () => {
    const gz = join(tmp, 'sample.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(ROOT, LOG))));
    const rec = recordAndRun(gz, join(tmp, 'gz-cases.test.yaml'));
    expect(rec.cases).toHaveLength(7);
  });

  it('a corrupt gzip log or a folder is unreadable input (exit 2), not a crash', () => {
    const bad = join(tmp, 'corrupt.jsonl.gz');
    writeFileSync(bad, 'not gzip\n');
    const r = monetize('test', SEED, '--record', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot read '${bad}'`);
    const dir = monetize('test', SEED, '--record', tmp);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toContain('it is a folder');
  });
});

describe('monetize test: quote cases', () => {
  const QUOTE = (expect: string): string =>
    `policy: ${JSON.stringify(join(ROOT, SEED))}\ncases:\n  - name: the starter kit in Germany\n    quote:\n      assets: ["model:llm-base", "dataset:training-corpus"]\n      user: {country: DE}\n      expect: ${expect}\n`;

  it('the seed examples price the starter kit for a German buyer, and the case passes', () => {
    const r = monetize('test', 'examples/monetization-policy.test.yaml', '--format', 'json');
    expect(r.status).toBe(0);
    const quoteCase = (JSON.parse(r.stdout) as JsonReport).cases.find((c) => c.name === 'the AI starter kit for a German buyer');
    expect(quoteCase).toMatchObject({ passed: true, actual: { totalMinor: 190, subtotalMinor: 160, taxMinor: 30 } });
  });

  it('a wrong total fails (exit 1) and shows the quote with its covers', () => {
    const file = join(tmp, 'quote-fails.test.yaml');
    writeFileSync(file, QUOTE('{totalMinor: 200}'));
    const r = monetize('test', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('  ✗ the starter kit in Germany');
    expect(r.stdout).toContain('      totalMinor: expected 200, got 190\n');
    expect(r.stdout).toContain('        · (no bundle: every asset on its own line)  2.00 USD  dearer by 0.40 USD\n');
  });

  it('a case with both request and quote is exit 2 before anything runs', () => {
    const file = join(tmp, 'quote-both.test.yaml');
    writeFileSync(file, QUOTE('{totalMinor: 190}').replace('    quote:\n', '    request: {assetId: a, action: read, context: {}}\n    quote:\n'));
    const r = monetize('test', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:4:5: error[M500]: case 'the starter kit in Germany' has both 'request' and 'quote'`);
    expect(r.stderr).toContain('nothing was run');
  });
});
