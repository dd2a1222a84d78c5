/** src/lint/rules/unused-param.ts: M407, a param defined under `params` that no expression reads. */
import { describe, expect, it } from 'vitest';
import { unusedParam } from '../../../src/lint/rules/unused-param.js';
import { policy, rule, runRule } from '../../helpers/lint-rule.js';

const lint = (params: string, rules: string, opts: { errors?: boolean } = {}) => runRule(unusedParam, policy(rules, `params:\n${params}`), opts);
const open = rule('open', 'action: {allow: true}');

describe('M407: a param nothing reads', () => {
  it('is an info at the param’s name', () => {
    expect(lint('  min_balance: 10\n', open)).toEqual([
      {
        code: 'M407',
        severity: 'info',
        message: "param 'min_balance' is never used",
        at: 'min_balance',
        hint: 'remove it, or use it as `params.min_balance`',
        labels: [],
      },
    ]);
  });

  it('reports every unused param, of any type, in definition order, and keeps quotes in the span', () => {
    const found = lint('  used: 1\n  "label": shop\n  enabled: true\n', rule('r', 'condition: "user.token_balance > params.used"\naction: {allow: true}'));
    expect(found.map((d) => [d.message, d.at])).toEqual([
      ["param 'label' is never used", '"label"'],
      ["param 'enabled' is never used", 'enabled'],
    ]);
  });

  it('a param named like a field is still unused when only the field is read', () => {
    expect(lint('  tier: pro\n', rule('r', `condition: "user.tier == 'pro'"\naction: {allow: true}`)).map((d) => d.at)).toEqual(['tier']);
  });
});

describe('M407 near misses: a read anywhere counts', () => {
  it.each([
    ['a condition', `condition: "params.x > 1"\naction: {allow: true}`],
    ['a map condition', `condition: {user.token_balance: "> params.x"}\naction: {allow: true}`],
    ['a cost', `action: {allow: true, cost: "params.x * 2"}`],
    ['a multiplier if', `action:\n  allow: true\n  cost: {base: 1, multipliers: [{if: "params.x > 1", value: 2}]}`],
    ['a multiplier value', `action:\n  allow: true\n  cost: {base: 1, multipliers: [{if: "user.tier == 'pro'", value: "params.x"}]}`],
  ])('in %s', (_where, body) => {
    expect(lint('  x: 2\n', rule('r', body))).toEqual([]);
  });

  it('in a rule that can never decide (the param is still part of the policy)', () => {
    const dead = rule('dead', 'priority: 1\ncondition: "params.x > 1"\naction: {allow: true}');
    expect(lint('  x: 2\n', rule('all', 'priority: 9\naction: {allow: true}') + dead)).toEqual([]);
  });

  it('nothing is reported while a rule is broken: the lost part may be what reads the param', () => {
    const broken = rule('broken', 'condition: "params.x > and user.tier == \'pro\'"\naction: {allow: true}');
    expect(lint('  x: 2\n  y: 3\n', broken, { errors: true })).toEqual([]);
  });
});
