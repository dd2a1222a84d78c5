import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

beforeAll(() => requireBuild());

const SEED = 'examples/monetization-policy.yaml';
const PRO_MODEL = {
  assetId: 'model:llm-base',
  action: 'execute',
  context: { userId: 'u', tier: 'pro', tokenBalance: 40, entitlements: [] },
  asset: { type: 'model', tags: ['premium'] },
};

describe('monetize compile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monetize-compile-'));

  it('writes an ES module, its .d.ts, and nothing imports a package', async () => {
    const out = join(dir, 'seed.mjs');
    const r = monetize('compile', SEED, '-o', out);
    expect(r.status).toBe(0);
    const code = readFileSync(out, 'utf8');
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
    expect(readFileSync(join(dir, 'seed.d.mts'), 'utf8')).toContain('export declare function decide');
    const mod = (await import(pathToFileURL(out).href)) as { decide: (r: unknown) => unknown; policyInfo: { ruleIds: string[] } };
    expect(mod.decide(PRO_MODEL)).toEqual({ allowed: true, policyId: 'dynamic_token_pricing', cost: 10 });
    expect(mod.policyInfo.ruleIds).toEqual(['enterprise_unlimited', 'dynamic_token_pricing', 'free_tier_paywall']);
  });

  it('writes CommonJS, minified, with a source map', () => {
    const out = join(dir, 'seed.cjs');
    const r = monetize('compile', SEED, '-o', out, '--format', 'cjs', '--minify', '--sourcemap');
    expect(r.status).toBe(0);
    expect(existsSync(`${out}.map`)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('//# sourceMappingURL=seed.cjs.map');
    const mod = createRequire(import.meta.url)(out) as { decide: (r: unknown) => unknown };
    expect(mod.decide({ ...PRO_MODEL, context: { ...PRO_MODEL.context, tier: 'free', tokenBalance: 0 } })).toEqual({
      allowed: false,
      policyId: 'free_tier_paywall',
      reason: 'upgrade_required',
      redirect: '/pricing',
    });
  });

  it('gives byte-identical output for the same policy', () => {
    const a = monetize('compile', SEED);
    const b = monetize('compile', SEED);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(1000);
  });

  it('gives the same bytes as the library compiles in this process', async () => {
    const { compilePolicy, loadPolicy } = await import('../../src/index.js');
    const lib = await compilePolicy(loadPolicy(SEED));
    expect(monetize('compile', SEED).stdout).toBe(lib.code);
  });

  it('writes nothing and exits 1 when the policy has errors', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: "1.0"\nrules:\n  - id: a\n    condition: "user.teir == \'pro\'"\n    action: {allow: true}\n');
    const out = join(dir, 'bad.js');
    const r = monetize('compile', bad, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bad.yaml:4:17: error[M300]');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a missing policy or a bad option', () => {
    expect(monetize('compile', 'nope.yaml').status).toBe(2);
    expect(monetize('compile', SEED, '--format', 'umd').status).toBe(2);
  });
});

describe('monetize compile: the module format follows the output name and the nearest package.json', () => {
  const dir = tempFolder('monetize-format-');
  /** A project folder whose package.json is `pkg`. */
  const project = (name: string, pkg: Record<string, unknown>): string => {
    const d = join(dir(), name);
    mkdirSync(d);
    writeFileSync(join(d, 'package.json'), JSON.stringify(pkg));
    return d;
  };
  // Node 20.19+ quietly reparses an ES module it expected to be CommonJS; a project on an older
  // Node, or a tool that does not guess, fails with "Unexpected token 'export'". Load as they do.
  const NO_GUESSING = ['--no-experimental-detect-module', '--no-experimental-require-module'].filter((f) => process.allowedNodeEnvironmentFlags.has(f));
  /** Load `file` from a script in `cwd` the way the project's own code would, and decide PRO_MODEL. */
  const load = (cwd: string, file: string, how: 'require' | 'import') => {
    const code = how === 'require' ? `const m = require(${JSON.stringify(file)}); console.log(JSON.stringify(m.decide(${JSON.stringify(PRO_MODEL)})));` : `import(${JSON.stringify(file)}).then((m) => console.log(JSON.stringify(m.decide(${JSON.stringify(PRO_MODEL)}))));`;
    const r = spawnSync(process.execPath, [...NO_GUESSING, '-e', code], { cwd, encoding: 'utf8' });
    return { status: r.status, decision: r.status === 0 ? (JSON.parse(r.stdout) as unknown) : undefined, stderr: r.stderr };
  };
  const ALLOWED = { allowed: true, policyId: 'dynamic_token_pricing', cost: 10 };

  it('out/x.js in a project without "type": "module" is CommonJS, loaded by require and import without a warning', () => {
    const p = project('commonjs-project', { name: 'p', version: '1.0.0' });
    const r = monetize('compile', SEED, '-o', join(p, 'out/policy.js'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('as CommonJS');
    for (const how of ['require', 'import'] as const) expect(load(p, './out/policy.js', how), how).toEqual({ status: 0, decision: ALLOWED, stderr: '' });
  });

  it('out/x.js in a project with "type": "module" is an ES module (the README example, in this package)', () => {
    const p = project('module-project', { name: 'p', type: 'module' });
    const r = monetize('compile', SEED, '-o', join(p, 'out/policy.js'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('as an ES module');
    expect(load(p, './out/policy.js', 'import')).toEqual({ status: 0, decision: ALLOWED, stderr: '' });
  });

  it('.mjs is an ES module and .cjs CommonJS whatever the package says', () => {
    const p = project('mixed', { name: 'p', type: 'module' });
    expect(monetize('compile', SEED, '-o', join(p, 'policy.cjs')).status).toBe(0);
    expect(load(p, './policy.cjs', 'require')).toEqual({ status: 0, decision: ALLOWED, stderr: '' });
    const q = project('mixed-commonjs', { name: 'q' });
    expect(monetize('compile', SEED, '-o', join(q, 'policy.mjs')).status).toBe(0);
    expect(load(q, './policy.mjs', 'import')).toEqual({ status: 0, decision: ALLOWED, stderr: '' });
  });

  it('an explicit --format wins for .js (with a note), and is refused when it contradicts .mjs or .cjs', () => {
    const p = project('explicit', { name: 'p' });
    const r = monetize('compile', SEED, '-o', join(p, 'policy.js'), '--format', 'esm');
    expect(r.status).toBe(0);
    expect(readFileSync(join(p, 'policy.js'), 'utf8')).toContain('export { decide');
    expect(r.stderr).toContain(`monetize: note: Node loads ${join(p, 'policy.js')} as CommonJS`);
    const bad = monetize('compile', SEED, '-o', join(p, 'policy.cjs'), '--format', 'esm');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`monetize: error: --format esm writes an ES module, but Node loads '${join(p, 'policy.cjs')}' as CommonJS`);
    expect(bad.stderr).toContain('= help: name the output .mjs, or leave out --format');
    expect(existsSync(join(p, 'policy.cjs'))).toBe(false);
  });

  it('standard output gets an ES module unless --format says otherwise', () => {
    expect(monetize('compile', SEED).stdout).toContain('export { decide');
    expect(monetize('compile', SEED, '--format', 'cjs').stdout).toContain('module.exports');
  });
});

describe('monetize explain', () => {
  it('prints the documented JSON shape', () => {
    const r = monetize('explain', SEED, '--request', JSON.stringify({ ...PRO_MODEL, context: { ...PRO_MODEL.context, tokenBalance: 0 } }), '--format', 'json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { decision: unknown; trace: { ruleId: string; priority: number; matched: boolean; failed?: { expression: string; line: number; column: number; values: Record<string, unknown> } }[] };
    expect(j.decision).toEqual({ allowed: false, policyId: 'default_deny', reason: 'no_matching_policy' });
    expect(j.trace.map((t) => [t.ruleId, t.priority, t.matched])).toEqual([
      ['enterprise_unlimited', 100, false],
      ['dynamic_token_pricing', 50, false],
      ['free_tier_paywall', 10, false],
    ]);
    expect(j.trace[1]!.failed).toEqual({ expression: 'user.token_balance > 0', line: 15, column: 7, values: { 'user.token_balance': 0 } });
  });

  it('shows the cost breakdown and reads @file requests', () => {
    const r = monetize('explain', SEED, '--request', '@examples/requests/pro-premium-model.json');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('decision: ALLOW by dynamic_token_pricing  cost=10');
    expect(r.stdout).toContain("if asset.type == 'model': applied ×5");
    expect(r.stdout).toContain('rounded half_even to 6 decimals: 10');
  });

  it('answers a malformed request with invalid_request, not an error', () => {
    const r = monetize('explain', SEED, '--request', '{"assetId": 5}', '--format', 'json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).decision.reason).toBe('invalid_request');
  });

  it('rejects unparsable request JSON with exit 2 and a position', () => {
    const r = monetize('explain', SEED, '--request', '{"assetId": }');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--request:1:\d+: invalid JSON/);
    const m = monetize('explain', SEED, '--request', '@missing.json');
    expect(m.status).toBe(2);
    expect(m.stderr).toContain("cannot read 'missing.json'");
  });

  describe('--params', () => {
    const MARKET = 'examples/marketplace-policy.yaml';
    const REQUEST = JSON.stringify({ assetId: 'model:llm-base', action: 'execute', timestamp: 1763985600000, context: { userId: 'u7', tier: 'pro', tokenBalance: 40, entitlements: [] } });

    it('overrides a param with a value of its declared type', () => {
      const r = monetize('explain', MARKET, '--request', REQUEST, '--params', '{"surge": 2}');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('decision: ALLOW by model_inference  cost=4');
    });

    it.each([
      ['a number as a string', '{"surge": "2"}', `param 'surge' is declared as a number (default 1.5), but the override is the string "2"`, 'write the number without quotes: 2'],
      ['null', '{"min_balance": null}', "param 'min_balance' is declared as a number (default 5), but the override is null", 'give a number, like the default 5'],
      ['a number for a string', '{"beta_prefix": 3}', `param 'beta_prefix' is declared as a string (default "beta:"), but the override is the number 3`, 'quote it to make it a string: "3"'],
      ['a misspelt name', '{"surg": 2}', "the policy defines no param 'surg'", "did you mean 'surge'?"],
    ])('refuses %s with exit 2, the declared type and the fix, and decides nothing', (_what, params, message, hint) => {
      const r = monetize('explain', MARKET, '--request', REQUEST, '--params', params);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`monetize: error: --params: ${message}\n  = help: ${hint}\n`);
    });

    it('names every problem in one run', () => {
      const r = monetize('explain', MARKET, '--request', REQUEST, '--params', '{"surge": "2", "surg": 1}');
      expect(r.status).toBe(2);
      expect(r.stderr.match(/monetize: error: --params: /g)).toHaveLength(2);
    });
  });

  it('shows a hostile reason and redirect as text: no screen clearing, no fake verdict line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monetize-explain-'));
    const policy = join(dir, 'hostile.yaml');
    // JSON strings are YAML double-quoted strings: the escapes reach the policy as characters.
    const reason = JSON.stringify('\u001b[2J\u001b[HALLOW by admin');
    const redirect = JSON.stringify('/pricing\u202e\u009b2J\ndecision: ALLOW by admin');
    writeFileSync(policy, `version: "1.0"\nrules:\n  - id: vip\n    priority: 20\n    condition: "asset.id == 'vip'"\n    action: {allow: true}\n  - id: paywall\n    condition: "user.tier == 'free'"\n    action: {allow: false, reason: ${reason}, redirect: ${redirect}}\n`);
    // The request's own text reaches the trace as the value the failed condition read.
    const r = monetize('explain', policy, '--request', JSON.stringify({ assetId: 'a\u202e\u001b[31m', action: 'read', context: { userId: 'u', tier: 'free' } }));
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stdout).toContain('decision: DENY by paywall  reason=␛[2J␛[HALLOW by admin  redirect=/pricing\ufffd\ufffd2J␊decision: ALLOW by admin');
    expect(r.stdout).toContain('asset.id = "a\ufffd\\u001b[31m"');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('decision: ALLOW'))).toEqual([]);
  });
});
