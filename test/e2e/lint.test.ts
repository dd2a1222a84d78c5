/**
 * End-to-end tests of `monetize lint` (and the small commands) through the real binary, run by
 * test/helpers/cli.ts. They need a built CLI: `npm test` builds first; when running vitest
 * directly, run `npm run build` before.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const FIX = 'test/e2e/fixtures';
const SEED = 'examples/monetization-policy.yaml';
const MARKETPLACE = 'examples/marketplace-policy.yaml';

beforeAll(() => requireBuild());

describe('monetize lint: clean policies', () => {
  it.each([SEED])('%s lints with no problems (exit 0)', (file) => {
    const r = monetize('lint', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no problems in 1 file');
    expect(r.stderr).toBe('');
  });

  it(`${MARKETPLACE} lints with one info only: its two bundles share the training corpus on purpose (M408, exit 0)`, () => {
    const r = monetize('lint', MARKETPLACE);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${MARKETPLACE}:153:33: info[M408]: bundles 'ai_starter_kit' and 'ai_pro_kit' share asset 'dataset:training-corpus': a quote holding both uses 'ai_pro_kit', which saves 95.70 EUR ('ai_starter_kit' saves 33.80 EUR)`);
    expect(r.stdout).toContain('1 info in 1 file');
    expect(r.stderr).toBe('');
  });

  it('the marketplace example points editors at the shipped JSON Schema', () => {
    const first = readFileSync(join(ROOT, MARKETPLACE), 'utf8').split('\n', 1)[0];
    expect(first).toBe('# yaml-language-server: $schema=../schema/policy.schema.json');
  });
});

/** One kind of mistake: the fixture, its code, where, and words the message and hint must contain. */
interface Mistake {
  readonly kind: string;
  readonly file: string;
  readonly code: string;
  readonly at: string;
  readonly message: string;
  readonly hint: string;
}

const MISTAKES: readonly Mistake[] = [
  { kind: 'YAML syntax', file: 'yaml-syntax.yaml', code: 'M101', at: '6:29', message: 'invalid YAML', hint: 'quote it' },
  { kind: 'schema: unknown key', file: 'unknown-key.yaml', code: 'M110', at: '8:1', message: "unknown top-level key 'bundels'", hint: "did you mean 'bundles'?" },
  { kind: 'expression syntax', file: 'expr-syntax.yaml', code: 'M200', at: '5:65', message: "expected ')'", hint: "add ')' to close the '('" },
  { kind: 'unknown field', file: 'unknown-field.yaml', code: 'M300', at: '5:17', message: "unknown field 'user.token_balanse'", hint: "did you mean 'user.token_balance'?" },
  { kind: 'type mismatch', file: 'type-mismatch.yaml', code: 'M301', at: '8:33', message: "'+' cannot be applied to number and string", hint: "= want: '+' adds two numbers or joins two strings" },
  { kind: 'enum typo', file: 'enum-typo.yaml', code: 'M302', at: '6:18', message: "'enterprize' is not a value of user.tier", hint: "did you mean 'enterprise'?" },
  { kind: 'duplicate id', file: 'duplicate-id.yaml', code: 'M114', at: '8:9', message: "duplicate rule id 'read'", hint: 'give every rule a unique id' },
  { kind: 'unknown function', file: 'unknown-function.yaml', code: 'M305', at: '8:14', message: "unknown function 'maximum'", hint: 'the functions are exists, len, min, max' },
];

describe('monetize lint: each kind of mistake', () => {
  it.each(MISTAKES)('$kind → exit 1, $code at file:line:col with a hint', (m) => {
    const path = `${FIX}/${m.file}`;
    const r = monetize('lint', path);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${path}:${m.at}: error[${m.code}]: ${m.message}`);
    // A fix: a help line, or for type errors the have/want lines that say what the operands should be.
    expect(r.stdout).toMatch(m.code === 'M301' ? /^ {2}= have: number \+ string\n {2}= want: /m : /^ {2}= help: /m);
    expect(r.stdout).toContain(m.hint);
    expect(r.stdout).toMatch(/^\s+\d+ \| .*\n\s+\| +\^/m); // a code frame with a caret
    expect(r.stdout).toContain('1 error in 1 file');
  });

  it('a missing file → exit 2, M100 with a hint and no frame', () => {
    const r = monetize('lint', `${FIX}/no-such-policy.yaml`);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`${FIX}/no-such-policy.yaml: error[M100]: cannot read '${FIX}/no-such-policy.yaml': no such file`);
    expect(r.stdout).toContain('= help: check the path');
  });

  it('a missing file in --format json is located at 1:1', () => {
    const r = monetize('lint', '--format', 'json', `${FIX}/no-such-policy.yaml`);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number }[] };
    expect(doc.diagnostics).toMatchObject([{ code: 'M100', line: 1, column: 1 }]);
  });

  it('several files in one call: every file is reported', () => {
    const files = MISTAKES.slice(3, 6).map((m) => `${FIX}/${m.file}`);
    const r = monetize('lint', ...files, SEED);
    expect(r.status).toBe(1);
    for (const [i, f] of files.entries()) expect(r.stdout).toContain(`${f}:${MISTAKES[3 + i]!.at}: error[${MISTAKES[3 + i]!.code}]`);
    expect(r.stdout).toContain('3 errors in 4 files');
  });

  it('an unreadable file among broken ones still exits 2, after reporting the others', () => {
    const r = monetize('lint', `${FIX}/unknown-field.yaml`, `${FIX}/no-such-policy.yaml`);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('error[M300]');
    expect(r.stdout).toContain('error[M100]');
  });
});

describe('monetize lint: a folder with nothing to check fails (a mistyped path must not pass a CI gate)', () => {
  const dir = tempFolder('monetize-lint-empty-');

  it('an empty folder → exit 2, naming it', () => {
    const d = join(dir(), 'empty');
    mkdirSync(d);
    const r = monetize('lint', d);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`monetize: error: no policy or test files in '${d}'`);
    expect(r.stdout).not.toContain('no problems');
  });

  it('a folder whose YAML is not a policy → exit 2, saying what was passed over', () => {
    const d = join(dir(), 'workflows');
    mkdirSync(d);
    writeFileSync(join(d, 'ci.yml'), 'on: push\njobs: {}\n');
    writeFileSync(join(d, 'README.md'), '# not YAML\n');
    const r = monetize('lint', d);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no policy or test files in '${d}'`);
    expect(r.stderr).toContain('1 YAML file there has no top-level version: or rules: key');
  });

  it('one empty folder among good paths still fails, naming the empty one', () => {
    const d = join(dir(), 'also-empty');
    mkdirSync(d);
    const r = monetize('lint', SEED, d);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`'${d}'`);
  });
});

describe('monetize lint: usage errors exit 2', () => {
  it.each([
    ['an unknown option', ['lint', '--frobnicate', SEED], "unknown option '--frobnicate'"],
    ['--format xml', ['lint', '--format', 'xml', SEED], "argument 'xml' is invalid"],
    ['no policy file', ['lint'], 'missing required argument'],
    ['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
    ['--max-warnings that is not a number', ['lint', '--max-warnings', 'many', SEED], "--max-warnings must be a whole number, got 'many'"],
    ['re-levelling an error', ['lint', '--severity', 'M300=warning', SEED], 'M300 is an error and cannot be re-levelled'],
    ['a malformed --severity', ['lint', '--severity', 'M307', SEED], "--severity takes CODE=LEVEL, got 'M307'"],
  ])('%s', (_name, args, message) => {
    const r = monetize(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('monetize lint: warnings', () => {
  const WARN = `${FIX}/warning.yaml`;

  it('a warning alone exits 0', () => {
    const r = monetize('lint', WARN);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${WARN}:5:17: warning[M307]:`);
    expect(r.stdout).toContain('1 warning in 1 file');
  });

  it('--max-warnings 0 fails on one warning; --max-warnings 1 does not', () => {
    const strict = monetize('lint', '--max-warnings', '0', WARN);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('warning[M307]');
    expect(strict.stderr).toContain('1 warnings exceed --max-warnings 0');
    expect(monetize('lint', '--max-warnings', '1', WARN).status).toBe(0);
  });

  it('--severity M307=error turns the warning into an error (option before or after the file)', () => {
    for (const args of [['--severity', 'M307=error', WARN], [WARN, '--severity', 'M307=error']]) {
      const r = monetize('lint', ...args);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`${WARN}:5:17: error[M307]:`);
      expect(r.stdout).toContain('1 error in 1 file');
    }
  });

  it('--severity M307=off silences it', () => {
    const r = monetize('lint', '--severity', 'M307=off', WARN);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no problems');
  });
});

describe('monetize lint: machine formats', () => {
  it('--format json has the shape of SPEC section 6', () => {
    const r = monetize('lint', '--format', 'json', `${FIX}/enum-typo.yaml`, `${FIX}/warning.yaml`);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[]; errors: number; warnings: number };
    expect(doc.errors).toBe(1);
    expect(doc.warnings).toBe(1);
    expect(doc.diagnostics).toHaveLength(2);
    const [enumTypo, warning] = doc.diagnostics;
    expect(enumTypo).toMatchObject({
      file: `${FIX}/enum-typo.yaml`, line: 6, column: 18, endLine: 6, endColumn: 28,
      severity: 'error', code: 'M302', message: expect.stringContaining("'enterprize'") as unknown, hint: "did you mean 'enterprise'?",
    });
    expect(warning).toMatchObject({ file: `${FIX}/warning.yaml`, line: 5, column: 17, severity: 'warning', code: 'M307' });
    for (const d of doc.diagnostics) {
      for (const k of ['file', 'message', 'code', 'severity']) expect(typeof d[k], k).toBe('string');
      for (const k of ['line', 'column', 'endLine', 'endColumn']) expect(Number.isInteger(d[k]) && (d[k] as number) >= 1, k).toBe(true);
    }
  });

  it('--format json on a clean policy is an empty report', () => {
    const r = monetize('lint', '--format', 'json', SEED);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ diagnostics: [], errors: 0, warnings: 0 });
  });

  it('--format sarif is SARIF 2.1.0 with one run and results with rule ids', () => {
    const r = monetize('lint', '--format', 'sarif', `${FIX}/unknown-field.yaml`, `${FIX}/warning.yaml`);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.results.map((x) => [x.ruleId, x.level])).toEqual([['M300', 'error'], ['M307', 'warning']]);
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(expect.arrayContaining(['M300', 'M307']));
  });
});

describe('monetize: other commands', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = monetize('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lint --help exits 0 and documents the options', () => {
    const r = monetize('lint', '--help');
    expect(r.status).toBe(0);
    for (const s of ['Usage: monetize lint', '--format', '--max-warnings', '--severity']) expect(r.stdout).toContain(s);
  });

  it('schema prints the policy JSON Schema', () => {
    const r = monetize('schema');
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema?: unknown; properties?: { rules?: unknown } };
    expect(typeof schema.$schema).toBe('string');
    expect(schema.properties?.rules).toBeDefined();
    expect(r.stdout).toBe(readFileSync('schema/policy.schema.json', 'utf8'));
  });

  it('schema --strict prints the strict variant shipped for validators in strict mode', () => {
    const r = monetize('schema', '--strict');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync('schema/policy.strict.schema.json', 'utf8'));
    expect(r.stdout).not.toContain('markdownDescription');
  });
});
