/**
 * The package as a user gets it: `npm pack` of a fresh clone (no dist/) ships a CLI that runs, and
 * the binary of a clone that was never built says how to build it instead of crashing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetizeWith, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

/** What a fresh clone does not have: build output, installed packages, local scratch. */
const NOT_IN_A_CLONE = new Set(['dist', 'node_modules', '.git', 'out', 'coverage', '.tmp']);

beforeAll(() => requireBuild());
const tmp = tempFolder('monetize-pack-');

describe('packaging', () => {
  it('bin/monetize.js in a clone that was never built says to run `npm run build` (exit 2), without a stack trace', () => {
    const pkg = join(tmp(), 'unbuilt');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    copyFileSync(join(ROOT, 'bin/monetize.js'), join(pkg, 'bin/monetize.js'));
    const r = monetizeWith({ bin: join(pkg, 'bin/monetize.js') }, 'lint', 'examples/monetization-policy.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('monetize: error: the CLI is not built');
    expect(r.stderr).toContain(`= help: run \`npm run build\` in ${pkg}`);
  });

  it('`npm pack` of a clone that was never built builds first, so the package holds a CLI that runs', () => {
    const clone = join(tmp(), 'clone');
    cpSync(ROOT, clone, { recursive: true, filter: (src) => !NOT_IN_A_CLONE.has(relative(ROOT, src).split(sep)[0]!) });
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    // Only what this test sets: not the npm settings of the `npm test` that runs it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--offline', '--ignore-scripts=false'], { cwd: clone, env, encoding: 'utf8', timeout: 170_000 });
    expect(pack.status, pack.stderr).toBe(0);
    // Build scripts may print before the JSON report.
    const report = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { files: { path: string }[] }[];
    const files = report[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/monetize.js', 'dist/cli/main.js', 'dist/src/index.js', 'dist/src/index.d.ts']));
    const r = monetizeWith({ bin: join(clone, 'bin/monetize.js') }, 'lint', 'examples/monetization-policy.yaml');
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 180_000);
});
