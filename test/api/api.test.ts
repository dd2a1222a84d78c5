import { beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy, createDecider, loadPolicy, PolicyError, type AccessRequest, type Quote, type QuoteError } from '../../src/index.js';
import { monetize, requireBuild } from '../helpers/cli.js';

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

describe('decider.quote', () => {
  beforeAll(() => requireBuild());
  const basket = ['model:llm-base', 'dataset:training-corpus', 'model:other'];

  it('gives exactly what `monetize quote --format json` prints', () => {
    const decider = createDecider(loadPolicy(SEED));
    for (const user of [undefined, { country: 'DE' }, { country: 'FR', vatId: 'FR40303265045' }]) {
      const r = monetize('quote', SEED, '--assets', basket.join(','), '--format', 'json', ...(user ? ['--user', JSON.stringify(user)] : []));
      expect(r.status).toBe(0);
      expect(decider.quote(basket, user ? { context: user } : undefined)).toEqual(JSON.parse(r.stdout));
    }
  });

  it('prices the seed basket: the starter kit at 1.60 plus 1.00, German VAT 0.49', () => {
    const q: Quote | QuoteError = createDecider(loadPolicy(SEED)).quote(basket, { context: { country: 'DE' } });
    if ('error' in q) throw new Error(q.message);
    expect(q.lines.map((l) => [l.bundleId, l.amountMinor])).toEqual([['ai_starter_kit', 160], [undefined, 100]]);
    expect([q.subtotalMinor, q.taxMinor, q.totalMinor]).toEqual([260, 49, 309]);
  });

  it('takes an access request as the buyer, and answers a QuoteError instead of throwing', () => {
    const decider = createDecider(loadPolicy(SEED));
    expect(decider.quote(['a'], { ...request, context: { ...request.context, country: 'AT' } })).toMatchObject({ country: 'AT', taxMinor: 20, totalMinor: 120 });
    expect(decider.quote(['a', 'a'])).toEqual({ error: 'duplicate_asset', message: "asset 'a' is named twice", assetId: 'a' });
    expect(decider.quote([])).toEqual({ error: 'invalid_assets', message: 'assetIds is empty: name at least one asset' });
  });
});
