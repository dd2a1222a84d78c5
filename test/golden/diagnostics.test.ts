/**
 * Golden diagnostics: one broken policy per diagnostic code, run through the whole front end and
 * compared with its expected pretty output. `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites
 * the .txt files (and docs/diagnostics.md) from what monetize prints now; review the diff.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, CODES, isCode, type Code } from '../../src/diag/codes.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { renderPretty } from '../../src/diag/render/pretty.js';
import type { SourceFile } from '../../src/diag/source.js';
import { loadPolicyFile, loadPolicyText } from '../../src/pipeline/pipeline.js';
import { checkTestFile } from '../../src/testing/check.js';
import { DOC_PATH, FIXTURE_DIR, MISSING_POLICY, diagnosticsDoc, packageRoot } from '../../scripts/gen-diagnostics-doc.js';

const ROOT = packageRoot();
const DIR = join(ROOT, FIXTURE_DIR);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** M100 is a missing file: its golden output exists, its fixture deliberately does not. */
const MISSING_FILE_CODE: Code = 'M100';

/** Test-file codes: their fixtures are loaded as test files, relative to the working directory. */
function isTestFileCode(code: string): boolean {
  return code.startsWith('M5');
}

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** `# expect: M300 at 5:17` on the first line of a fixture. */
function expectation(text: string): { code: string; line: number; column: number } | undefined {
  const m = /^# expect: (M\d{3}) at (\d+):(\d+)\s*$/m.exec(text.split('\n', 1)[0] ?? '');
  return m ? { code: m[1]!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}

/** Pretty output, colour off, as `monetize lint` prints it for one file (without the summary line). */
function pretty(diags: readonly Diagnostic[], source: SourceFile | undefined): string {
  const files = new Map<string, SourceFile>(source ? [[source.path, source]] : []);
  return renderPretty(diags, files, { color: false });
}

/** Compare with a golden file, or rewrite it under UPDATE_GOLDEN=1. */
function golden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden diagnostics', () => {
  it.each(fixtures)('%s', (name) => {
    const rel = `${FIXTURE_DIR}/${name}`;
    const text = readFileSync(join(DIR, name), 'utf8');
    const want = expectation(text);
    expect(want, `${name} must start with '# expect: CODE at LINE:COL'`).toBeDefined();
    expect(name.startsWith(`${want!.code}-`), `${name} is named after its code`).toBe(true);

    // M5xx fixtures are test files, checked against the policy they name as `monetize test` does;
    // everything else is a policy (`monetize lint`).
    if (isTestFileCode(want!.code)) expect(resolve(rel), 'run vitest from the repository root').toBe(join(DIR, name));
    const r = isTestFileCode(want!.code) ? checkTestFile(rel) : loadPolicyText(rel, text);
    expect(r.source?.text).toBe(text);
    golden(join(DIR, name.replace(/\.yaml$/, '.txt')), pretty(r.diagnostics, r.source));

    const at = r.diagnostics.map((d) => {
      const p = r.source!.position(d.span.start);
      return `${d.code} at ${p.line}:${p.column}`;
    });
    expect(at).toContain(`${want!.code} at ${want!.line}:${want!.column}`);
  });

  it(`${MISSING_FILE_CODE}: a missing file is reported without a source frame`, () => {
    expect(existsSync(join(ROOT, MISSING_POLICY))).toBe(false);
    const r = loadPolicyFile(MISSING_POLICY);
    expect(r.unreadable).toBe(true);
    expect(r.source).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.span.start])).toEqual([[MISSING_FILE_CODE, 0]]);
    golden(join(DIR, `${MISSING_FILE_CODE}-${CODES[MISSING_FILE_CODE].name}.txt`), pretty(r.diagnostics, undefined));
  });
});

describe('golden coverage', () => {
  const files = readdirSync(DIR);

  it('every code has a fixture named <CODE>-<name>', () => {
    const missing: string[] = [];
    for (const code of ALL_CODES) {
      const base = `${code}-${CODES[code].name}`;
      if (code !== MISSING_FILE_CODE && !files.includes(`${base}.yaml`)) missing.push(`${base}.yaml`);
      if (!files.includes(`${base}.txt`)) missing.push(`${base}.txt`);
    }
    expect(missing, 'add a broken policy and its expected output for each new code').toEqual([]);
  });

  it('every fixture names a known code by its registered name, and pairs .yaml with .txt', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (f === '.gitkeep') continue;
      const m = /^(M\d{3})-([a-z0-9-]+)\.(yaml|txt)$/.exec(f);
      if (!m || !isCode(m[1]!) || CODES[m[1]].name !== m[2]) {
        bad.push(f);
        continue;
      }
      const other = f.replace(/\.(yaml|txt)$/, (_, ext: string) => (ext === 'yaml' ? '.txt' : '.yaml'));
      if (!files.includes(other) && !(m[1] === MISSING_FILE_CODE && m[3] === 'txt')) bad.push(f);
    }
    expect(bad).toEqual([]);
  });
});

describe('docs/diagnostics.md', () => {
  it('is the output of scripts/gen-diagnostics-doc.ts (regenerate it after changing codes or fixtures)', () => {
    const doc = diagnosticsDoc(ROOT);
    const path = join(ROOT, DOC_PATH);
    if (UPDATE) writeFileSync(path, doc);
    expect(existsSync(path), `${DOC_PATH} is missing: run node dist/scripts/gen-diagnostics-doc.js`).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(doc);
  });

  it('has a section for every code with its severity, meaning and fix', () => {
    const doc = diagnosticsDoc(ROOT);
    for (const code of ALL_CODES) {
      const c = CODES[code];
      const start = doc.indexOf(`\n## ${code} ${c.name}\n`);
      expect(start, code).toBeGreaterThan(0);
      const next = doc.indexOf('\n## ', start + 1);
      const body = doc.slice(start, next < 0 ? undefined : next);
      expect(body).toContain(`**Severity:** ${c.severity}`);
      expect(body).toContain(c.summary);
      expect(body).toContain(c.fix);
      if (code !== MISSING_FILE_CODE) expect(body).toContain('```yaml');
    }
  });

  it('explains re-levelling and --max-warnings at the top', () => {
    const top = diagnosticsDoc(ROOT).split('\n## M100')[0]!;
    expect(top).toContain('--severity CODE=level');
    expect(top).toContain('--max-warnings N');
    expect(top).toMatch(/Errors can never be re-levelled/);
  });
});
