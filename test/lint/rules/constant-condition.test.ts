/**
 * src/lint/rules/constant-condition.ts: M402, a rule condition or multiplier `if` that reads
 * nothing from the request or params, so it has the same value for every request.
 */
import { describe, expect, it } from 'vitest';
import { constantCondition } from '../../../src/lint/rules/constant-condition.js';
import { policy, rule, runRule } from '../../helpers/lint-rule.js';

const lint = (rules: string, head = '') => runRule(constantCondition, policy(rules, head));
const when = (cond: string) => rule('r', `condition: ${cond}\naction: {allow: true}`);
const multiplied = (ifs: string, extra = '') => rule('r', `${extra}action:\n  allow: true\n  cost: {base: 1, multipliers: [{if: ${ifs}, value: 2}]}`);

describe('M402: a condition that does not depend on the request', () => {
  it('`condition: false`: the rule never applies, so the hint says to remove it', () => {
    expect(lint(when('false'))).toEqual([
      {
        code: 'M402',
        severity: 'warning',
        message: "the condition of rule 'r' does not depend on the request: it is always the same",
        at: 'false',
        hint: 'a rule with `condition: false` never applies; remove the rule',
        labels: [],
      },
    ]);
  });

  it('a comparison of literals: the hint suggests comparing a request field', () => {
    const [d, ...rest] = lint(when('"1 > 2"'));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'M402', severity: 'warning', at: '1 > 2', hint: "compare a request field, e.g. `user.tier == 'pro'`" });
  });

  it('other constant expressions, always true or always false', () => {
    const rules = [`"not false"`, `"'a' + 'b' == 'ab'"`, `"len('abc') > 2 or 1 == 2"`].map((c, i) => rule(`r${i}`, `condition: ${c}\naction: {allow: true}`)).join('');
    expect(lint(rules).map((d) => [d.message.split(' does ')[0], d.at])).toEqual([
      ["the condition of rule 'r0'", 'not false'],
      ["the condition of rule 'r1'", "'a' + 'b' == 'ab'"],
      ["the condition of rule 'r2'", "len('abc') > 2 or 1 == 2"],
    ]);
  });
});

describe('M402: a multiplier `if` that does not depend on the request', () => {
  it('is reported at the `if`, also on a rule without a condition', () => {
    expect(lint(multiplied('"2 > 1"'))).toEqual([
      {
        code: 'M402',
        severity: 'warning',
        message: "this multiplier 'if' of rule 'r' does not depend on the request",
        at: '2 > 1',
        hint: 'fold the multiplier into the base, or remove it',
        labels: [],
      },
    ]);
  });

  it('a constant condition and a constant multiplier on one rule are two findings', () => {
    expect(lint(multiplied('"true"', 'condition: "1 == 1"\n')).map((d) => [d.message.slice(0, 20), d.at])).toEqual([
      ['the condition of rul', '1 == 1'],
      ["this multiplier 'if'", 'true'],
    ]);
  });
});

describe('M402 near misses: nothing is reported', () => {
  it('for `condition: true` (the documented way to write "always"), as YAML or as an expression', () => {
    expect(lint(when('true') + when('"true"').replace('id: r', 'id: r2'))).toEqual([]);
  });

  it('for conditions reading a request field, a time field, exists() or a param', () => {
    const conds = [`"user.tier == 'pro'"`, '"time.hour < 12"', '"exists(user.country)"', '"params.limit > 1"', '{asset.type: model}'];
    const rules = conds.map((c, i) => rule(`r${i}`, `condition: ${c}\naction: {allow: true}`)).join('');
    expect(lint(rules, 'params: {limit: 2}\n')).toEqual([]);
  });

  it('for a multiplier `if` reading the request', () => {
    expect(lint(multiplied(`"asset.tags contains 'premium'"`))).toEqual([]);
  });
});
