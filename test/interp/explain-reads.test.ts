/**
 * Explain under a polluted Object.prototype: the interpreter hands out traces, failures and cost
 * breakdowns with no prototype, and the renderers read a decision's optional keys as own, so
 * `Object.prototype.failed = …` (or `skipped`, `cost`, `reason`, …) changes neither the JSON nor
 * the terminal form of an explanation.
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/interp/interpreter.js';
import { explanationJson, explanationPretty } from '../../src/interp/render.js';
import { loadPolicyText, toChecked } from '../../src/pipeline/pipeline.js';
import { withProps } from '../conformance/hostile-requests.js';

const POLICY = `version: "1.0"
rules:
  - id: enterprise
    priority: 100
    condition: {user.tier: enterprise}
    action: {allow: true}
  - id: metered
    priority: 50
    condition: "user.token_balance > 0"
    action: {allow: true, cost: {base: 1, multipliers: [{if: "asset.type == 'model'", value: 5}]}}
  - id: paywall
    priority: 10
    condition: {user.tier: free}
    action: {allow: false, reason: upgrade_required, redirect: /pricing}
`;

const SPAN = { start: 0, end: 1 };
const POLLUTION: Readonly<Record<string, unknown>> = {
  failed: { expression: 'polluted', span: SPAN, values: { polluted: 1 }, missing: ['polluted'], outcome: 'missing' },
  skipped: 'polluted',
  cost: { ruleId: 'polluted', base: 1, multipliers: [], raw: 1, result: 1, rounding: { decimals: 0, mode: 'ceil' } },
  error: 'polluted',
  errors: ['polluted'],
  reason: 'polluted',
  redirect: '/polluted',
};

describe('explain reads no key from Object.prototype', () => {
  const checked = toChecked(loadPolicyText('policy.yaml', POLICY))!;
  const interp = createInterpreter(checked.ir);
  const requests: [string, unknown][] = [
    ['decided by the first rule', { assetId: 'a', action: 'read', context: { tier: 'enterprise' } }],
    ['a rule with a cost', { assetId: 'a', action: 'read', context: { tier: 'pro', tokenBalance: 3 }, asset: { type: 'model' } }],
    ['a cost that cannot be computed', { assetId: 'a', action: 'read', context: { tier: 'pro', tokenBalance: 3 } }],
    ['denied with a reason and redirect', { assetId: 'a', action: 'read', context: { tier: 'free' } }],
    ['an invalid request', { assetId: '', action: 'read', context: {} }],
  ];
  for (const [name, request] of requests) {
    it(name, () => {
      const render = () => {
        const e = interp.explain(request);
        return { json: JSON.stringify(explanationJson(e, checked.source)), pretty: explanationPretty(e, checked.source, false) };
      };
      const want = render();
      expect(withProps(Object.prototype, POLLUTION, render)).toEqual(want);
    });
  }
});
