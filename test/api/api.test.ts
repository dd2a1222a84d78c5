import { describe, expect, it } from 'vitest';
import { compilePolicy, createDecider, loadPolicy, PolicyError, type AccessRequest } from '../../src/index.js';

const SEED = 'examples/monetization-policy.yaml';
const request: AccessRequest = {
  assetId: 'model:llm-base',
  action: 'execute',
  timestamp: 1764000000000,
  context: { userId: 'u_42', tier: 'pro', tokenBalance: 40, entitlements: [] },
  asset: { type: 'model', tags: ['premium'] },
};

describe('programmatic API', () => {
  it('loads, compiles in-process and decides', () => {
    const decider = createDecider(loadPolicy(SEED));
    expect(decider.decide(request)).toEqual({ allowed: true, policyId: 'dynamic_token_pricing', cost: 10 });
    expect(decider.policyInfo.ruleIds).toEqual(['enterprise_unlimited', 'dynamic_token_pricing', 'free_tier_paywall']);
    expect(decider.policyInfo.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('explains with the interpreter and agrees with the compiled decision', () => {
    const decider = createDecider(loadPolicy(SEED));
    const e = decider.explain(request);
    expect(e.decision).toEqual(decider.decide(request));
    expect(e.cost?.multipliers.map((m) => m.applied)).toEqual([true, true]);
  });

  it('throws a PolicyError carrying the diagnostics when the policy has errors', () => {
    const text = 'version: "1.0"\nrules:\n  - id: a\n    condition: "user.teir == \'pro\'"\n    action: {allow: true}\n';
    let err: unknown;
    try {
      loadPolicy('inline.yaml', { text });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    const pe = err as PolicyError;
    expect(pe.diagnostics.map((d) => d.code)).toEqual(['M300']);
    expect(pe.message).toContain("inline.yaml:4:17: error[M300]: unknown field 'user.teir'");
  });

  it('compiles to a module file with declarations', async () => {
    const out = await compilePolicy(loadPolicy(SEED), { format: 'cjs' });
    expect(out.code).toContain('module.exports = { decide, quote, policyInfo };');
    expect(out.dts).toContain('export declare function decide(request: AccessRequest, options?: DecideOptions): AccessDecision;');
  });

  it('applies param overrides passed to decide', () => {
    const text = [
      'version: "1.0"',
      'params: {surge: 1}',
      'rules:',
      '  - id: metered',
      '    action: {allow: true, cost: "2 * params.surge"}',
      '',
    ].join('\n');
    const decider = createDecider(loadPolicy('surge.yaml', { text }));
    expect(decider.decide(request).cost).toBe(2);
    expect(decider.decide(request, { params: { surge: 1.5 } }).cost).toBe(3);
    expect(decider.decide({ ...request, params: { surge: 2 } }).cost).toBe(4);
    expect(decider.decide(request, { params: { surge: 'high' } })).toEqual({ allowed: false, policyId: 'default_deny', reason: 'no_matching_policy' });
  });
});

describe('the seed policy', () => {
  it('is the brief template, unchanged (sha256 of shared/design/seed-policy.yaml)', async () => {
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const hash = createHash('sha256').update(readFileSync(SEED)).digest('hex');
    expect(hash).toBe('35aae35550adea9e49d89a8d45417723ba3d7fd098cc3c7b60c0191ef14bbb83');
  });
});
