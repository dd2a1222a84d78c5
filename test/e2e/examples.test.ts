/**
 * The bundled examples are tested like a user's policy repository: every example policy has a
 * `*.test.yaml` beside it, the tests reach 100 % rule coverage (and apply every multiplier), the
 * examples lint clean, and the CI workflow shown in docs/ci.md is valid YAML. Needs a built CLI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';

const EXAMPLES = 'examples';
const WORKFLOW = 'examples/ci/github-actions.yml';

/** The YAML files directly in examples/: policies and their test files. */
const yamlFiles = (): string[] => readdirSync(join(ROOT, EXAMPLES)).filter((n) => /\.ya?ml$/.test(n)).sort();
const policies = (): string[] => yamlFiles().filter((n) => !/\.test\.ya?ml$/.test(n));

beforeAll(() => requireBuild());

interface CoverageJson {
  policy: string;
  percent: number;
  uncovered: string[];
  multipliers: { ruleId: string; index: number; applied: number }[];
}

describe('examples are tested', () => {
  it('there are example policies', () => {
    expect(policies()).toEqual(expect.arrayContaining(['monetization-policy.yaml']));
  });

  it.each(policies())('%s has a test file beside it', (policy) => {
    const test = policy.replace(/\.ya?ml$/, '.test.yaml');
    expect(existsSync(join(ROOT, EXAMPLES, test)), `examples/${test} is missing`).toBe(true);
  });

  it('`monetize test examples --coverage --min-coverage 100` passes', () => {
    const r = monetize('test', EXAMPLES, '--coverage', '--min-coverage', '100');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/all passed: \d+ passed, 0 failed/);
  });

  it('every example policy is fully covered and applies each cost multiplier at least once', () => {
    const r = monetize('test', EXAMPLES, '--coverage', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { coverage: CoverageJson; policies?: CoverageJson[] };
    const runs = report.policies ?? [report.coverage];
    expect(runs.map((c) => c.policy).sort()).toEqual(policies().map((p) => `${EXAMPLES}/${p}`).sort());
    for (const c of runs) {
      expect(c.uncovered, c.policy).toEqual([]);
      expect(c.percent, c.policy).toBe(100);
      const never = c.multipliers.filter((m) => m.applied === 0).map((m) => `${m.ruleId}[${m.index}]`);
      expect(never, `${c.policy}: multipliers never applied`).toEqual([]);
    }
  });

  it('the example policies and test files lint clean (one info: the marketplace bundles overlap on purpose)', () => {
    // The YAML files of examples/ itself; examples/ci/ holds a GitHub workflow, not a policy.
    const files = yamlFiles().map((n) => `${EXAMPLES}/${n}`);
    const r = monetize('lint', ...files);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`1 info in ${files.length} files`);
    expect(r.stdout.match(/\b(error|warning|info)\[M\d{3}\]/g)).toEqual(['info[M408]']);
  });
});

describe('the CI example', () => {
  interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    'continue-on-error'?: boolean;
    with?: Record<string, unknown>;
  }
  interface Workflow {
    on: Record<string, { paths?: string[] }>;
    jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
  }
  const text = (): string => readFileSync(join(ROOT, WORKFLOW), 'utf8');

  it('is valid YAML with the documented steps', () => {
    const wf = load(text()) as Workflow;
    expect(wf.on.pull_request?.paths).toContain('policy/**');
    const [job] = Object.values(wf.jobs);
    expect(job!.permissions).toMatchObject({ 'security-events': 'write', checks: 'write' });
    const steps = job!.steps;
    const uses = steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(expect.arrayContaining(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3', 'mikepenz/action-junit-report@v5']));
    expect(steps.find((s) => s.uses === 'actions/setup-node@v4')!.with).toMatchObject({ 'node-version': 20 });
    const runs = steps.map((s) => s.run ?? '');
    expect(runs).toContain('npm ci');
    const lint = steps.find((s) => s.run?.includes('monetize lint'))!;
    expect(lint.run).toMatch(/npx monetize lint policy\/ .*--format sarif > monetize\.sarif/);
    expect(lint['continue-on-error']).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!.with).toMatchObject({ sarif_file: 'monetize.sarif' });
    expect(runs).toContain('npx monetize test policy/ --format junit -o monetize-junit.xml');
    expect(steps.find((s) => s.uses?.startsWith('mikepenz/'))!.with).toMatchObject({ report_paths: 'monetize-junit.xml' });
    expect(runs.some((r) => /npx monetize test policy\/ --format markdown --coverage.* >> "\$GITHUB_STEP_SUMMARY"/.test(r))).toBe(true);
  });

  it('is the workflow shown in docs/ci.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
    const block = /```yaml\n(# \.github\/workflows\/pricing-policy\.yml[\s\S]*?)```/.exec(doc);
    expect(block, 'docs/ci.md shows the workflow in a ```yaml block').not.toBeNull();
    expect(block![1]).toBe(text());
  });

  it('uses only commands and options that the CLI accepts', () => {
    for (const cmd of ['lint', 'test']) {
      const help = monetize(cmd, '--help');
      expect(help.status).toBe(0);
      const used = [...text().matchAll(new RegExp(`npx monetize ${cmd} ([^>\\n]*)`, 'g'))].flatMap((m) => [...m[1]!.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((f) => f[1]!));
      expect(used.length).toBeGreaterThan(0);
      for (const flag of used) expect(help.stdout, `monetize ${cmd} ${flag}`).toContain(flag);
    }
  });
});

describe('the README shows real output', () => {
  it('the quote of the seed policy in the README is what `monetize quote` prints', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```console\n\$ monetize quote ([^\n]*)\\\n\s+([^\n]*)\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README.md shows a `monetize quote` run in a ```console block').not.toBeNull();
    const args = `${block![1]!}${block![2]!}`.match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'(.*)'$/, '$1'));
    const r = monetize('quote', ...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(block![3]!);
  });
});
