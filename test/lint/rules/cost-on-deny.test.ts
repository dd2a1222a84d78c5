/** src/lint/rules/cost-on-deny.ts: M401, a denying rule with a cost that is never charged. */
import { describe, expect, it } from 'vitest';
import { costOnDeny } from '../../../src/lint/rules/cost-on-deny.js';
import { policy, rule, runRule } from '../../helpers/lint-rule.js';

const lint = (rules: string) => runRule(costOnDeny, policy(rules));

describe('M401: a denying rule declares a cost', () => {
  it('reports the cost of a plain-number deny', () => {
    expect(lint(rule('paywall', 'action: {allow: false, cost: 5, reason: upgrade_required}'))).toEqual([
      {
        code: 'M401',
        severity: 'warning',
        message: "rule 'paywall' denies access but declares a cost, which is never charged",
        at: '5',
        hint: 'remove the cost or set `allow: true`',
        labels: [],
      },
    ]);
  });

  it('underlines the whole cost block, multipliers included, and reports each denying rule', () => {
    const blockRule = [
      '  - id: a',
      '    action:',
      '      allow: false',
      '      cost:',
      '        base: "user.token_balance"',
      `        multipliers: [{if: "asset.type == 'model'", value: 2}]`,
      '',
    ].join('\n');
    const found = lint(blockRule + rule('b', 'action: {allow: false, cost: "1 + 1"}'));
    expect(found.map((d) => [d.code, d.message])).toEqual([
      ['M401', "rule 'a' denies access but declares a cost, which is never charged"],
      ['M401', "rule 'b' denies access but declares a cost, which is never charged"],
    ]);
    expect(found[0]!.at).toBe(`base: "user.token_balance"\n        multipliers: [{if: "asset.type == 'model'", value: 2}]`);
    expect(found[1]!.at).toBe('"1 + 1"');
  });
});

describe('M401 near misses: nothing is reported', () => {
  it('for an allowing rule with a cost, and a denying rule without one', () => {
    expect(lint(rule('metered', 'action: {allow: true, cost: 5}') + rule('paywall', 'action: {allow: false, reason: upgrade_required}'))).toEqual([]);
  });

  it('for a free allow (cost 0 is still a cost on an allowing rule)', () => {
    expect(lint(rule('free', 'action: {allow: true, cost: 0}'))).toEqual([]);
  });
});
