/**
 * End-to-end tests of what monetize writes: an output is never one of the command's inputs (compared
 * as files, through links, for every file written, companions included), it is written whole or not
 * at all, and a stream that cannot be written is a clear exit 2, never a stack trace.
 */
import { closeSync, copyFileSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, monetizeWith, requireBuild, ROOT, type CliResult } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const SEED = 'examples/monetization-policy.yaml';
const SEED_TESTS = 'examples/monetization-policy.test.yaml';
const LOG = 'test/e2e/fixtures/testing/sample.jsonl';
const seedText = (): string => readFileSync(join(ROOT, SEED), 'utf8');

beforeAll(() => requireBuild());
const tmp = tempFolder('monetize-outputs-');
let n = 0;
/** A fresh folder for one test, so no test sees another's files. */
const fresh = (): string => {
  const d = join(tmp(), `t${n++}`);
  mkdirSync(d);
  return d;
};
/** A copy of the seed policy in `dir`, under `name`. */
const seedCopy = (dir: string, name = 'policy.yaml'): string => {
  const p = join(dir, name);
  copyFileSync(join(ROOT, SEED), p);
  return p;
};

/** The run was refused as an overwrite of `input`, with exit 2 and the fix. */
function expectRefused(r: CliResult, input: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toContain(`over the input '${input}'`);
  expect(r.stderr).toContain('= help: choose another -o file');
}

describe('an output is never one of the inputs', () => {
  it('compile -o through a symbolic link to the policy is refused; the policy is untouched', () => {
    const d = fresh();
    const policy = seedCopy(d);
    symlinkSync(policy, join(d, 'link.js'));
    const r = monetize('compile', policy, '-o', join(d, 'link.js'));
    expectRefused(r, policy);
    expect(r.stderr).toContain('the same file');
    expect(readFileSync(policy, 'utf8')).toBe(seedText());
  });

  it('compile -o onto a hard link of the policy is refused; the policy is untouched', () => {
    const d = fresh();
    const policy = seedCopy(d);
    linkSync(policy, join(d, 'hard.js'));
    expectRefused(monetize('compile', policy, '-o', join(d, 'hard.js')), policy);
    expect(readFileSync(policy, 'utf8')).toBe(seedText());
  });

  it("compile -o out.js is refused when the policy is out.js's declarations, out.d.ts", () => {
    const d = fresh();
    const policy = seedCopy(d, 'out.d.ts');
    const r = monetize('compile', policy, '-o', join(d, 'out.js'));
    expectRefused(r, policy);
    expect(readFileSync(policy, 'utf8')).toBe(seedText());
    // Refused before anything is written: not even the module.
    expect(readdirSync(d)).toEqual(['out.d.ts']);
  });

  it('compile -o out.js --sourcemap is refused when the policy is its source map, out.js.map', () => {
    const d = fresh();
    const policy = seedCopy(d, 'out.js.map');
    expectRefused(monetize('compile', policy, '-o', join(d, 'out.js'), '--sourcemap'), policy);
    expect(readFileSync(policy, 'utf8')).toBe(seedText());
    expect(readdirSync(d)).toEqual(['out.js.map']);
  });

  it('test -o through a symbolic link to the test file is refused; the test file is untouched', () => {
    const d = fresh();
    const policy = seedCopy(d, 'monetization-policy.yaml');
    const tests = join(d, 'monetization-policy.test.yaml');
    copyFileSync(join(ROOT, SEED_TESTS), tests);
    symlinkSync(tests, join(d, 'report.txt'));
    expectRefused(monetize('test', policy, tests, '-o', join(d, 'report.txt')), tests);
    expect(readFileSync(tests, 'utf8')).toBe(readFileSync(join(ROOT, SEED_TESTS), 'utf8'));
  });

  it('test --record -o through a symbolic link to the policy is refused; the policy is untouched', () => {
    const d = fresh();
    const policy = seedCopy(d);
    symlinkSync(policy, join(d, 'cases.test.yaml'));
    expectRefused(monetize('test', policy, '--record', LOG, '-o', join(d, 'cases.test.yaml')), policy);
    expect(readFileSync(policy, 'utf8')).toBe(seedText());
  });

  it('-o through a link to a file that is not an input writes that file and keeps the link', () => {
    const d = fresh();
    const target = join(d, 'real.js');
    writeFileSync(target, 'old');
    symlinkSync(target, join(d, 'link.js'));
    const r = monetize('compile', SEED, '-o', join(d, 'link.js'));
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain('policyInfo');
    expect(statSync(join(d, 'link.js')).ino).toBe(statSync(target).ino);
  });
});

describe('outputs are written whole or not at all', () => {
  it('a compile whose source map cannot be written leaves the module as it was, and no temporary file', () => {
    const d = fresh();
    const out = join(d, 'policy.js');
    writeFileSync(out, 'the previous module');
    mkdirSync(`${out}.map`);
    const r = monetize('compile', SEED, '-o', out, '--sourcemap');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`monetize: error: cannot write '${out}.map': it is a folder`);
    expect(readFileSync(out, 'utf8')).toBe('the previous module');
    expect(readdirSync(d).sort()).toEqual(['policy.js', 'policy.js.map']);
  });

  it('-o a device writes into it, never replacing it: /dev/null is fine, /dev/full is "cannot write"', () => {
    expect(monetize('compile', SEED, '-o', '/dev/null').status).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const full = monetize('test', SEED, '-o', '/dev/full');
    expect(full.status).toBe(2);
    expect(full.stderr).toContain("monetize: error: cannot write '/dev/full': no space left on the device");
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });
});

describe('a standard stream that cannot be written', () => {
  /** Run with one stream sent to /dev/full, which fails every write with ENOSPC. */
  const toFull = (stream: 'stdout' | 'stderr', ...args: string[]): CliResult => {
    const fd = openSync('/dev/full', 'w');
    try {
      return monetizeWith({ [stream]: fd }, ...args);
    } finally {
      closeSync(fd);
    }
  };

  it.each([
    ['schema', ['schema']],
    ['lint', ['lint', SEED]],
    ['compile to standard output', ['compile', SEED]],
    ['explain', ['explain', SEED, '--request', '@examples/requests/pro-premium-model.json']],
    ['test', ['test', SEED]],
  ])('%s > /dev/full exits 2 with "cannot write stdout" and no stack trace', (_what, args) => {
    const r = toFull('stdout', ...args);
    expect(r.stderr).toBe('monetize: error: cannot write stdout: no space left on the device\n');
    expect(r.status).toBe(2);
  });

  it('2> /dev/full exits 2 even when the command itself succeeded (there is nowhere to say why)', () => {
    const r = toFull('stderr', 'compile', SEED, '-o', join(fresh(), 'policy.js'));
    expect(r.status).toBe(2);
  });
});
