/**
 * src/lint/rules/reachability.ts: M400 unreachable-rule (a rule evaluated earlier decides every
 * request) and M405 duplicate-condition (an earlier rule has the same condition), both judged in
 * evaluation order — priority descending, file order among equal priorities.
 */
import { describe, expect, it } from 'vitest';
import { reachability } from '../../../src/lint/rules/reachability.js';
import { policy, rule, runRule } from '../../helpers/lint-rule.js';

const lint = (rules: string, opts: { errors?: boolean } = {}) => runRule(reachability, policy(rules), opts);
const codes = (rules: string) => lint(rules).map((d) => `${d.code} ${d.at}`);

const allowAll = (id: string, priority: number, extra = '') => rule(id, `priority: ${priority}\naction: {allow: true${extra}}`);
const pro = (id: string, priority: number) => rule(id, `priority: ${priority}\ncondition: "user.tier == 'pro'"\naction: {allow: true}`);

describe('M400: a rule behind one that always decides', () => {
  it('reports the shadowed rule at its id, names the blocker and labels it', () => {
    const found = lint(allowAll('catch_all', 10) + pro('pro_only', 5));
    expect(found).toEqual([
      {
        code: 'M400',
        severity: 'warning',
        message: "rule 'pro_only' can never decide: rule 'catch_all' (priority 10) matches every request first",
        at: 'pro_only',
        hint: "give 'pro_only' a priority above 10, narrow 'catch_all', or remove 'pro_only'",
        labels: [{ at: 'catch_all', message: "'catch_all' always matches" }],
      },
    ]);
  });

  it('reports every rule after the blocker, quoted ids included', () => {
    const rules = allowAll('"all"', 10) + pro('a', 5) + pro('"b"', 1);
    expect(codes(rules)).toEqual(['M400 a', 'M400 "b"']);
  });

  it('treats `condition: true` like no condition', () => {
    const always = rule('always', 'priority: 10\ncondition: true\naction: {allow: false}');
    expect(codes(always + pro('later', 5))).toEqual(['M400 later']);
  });

  it('among equal priorities, the rule earlier in the file blocks the later one', () => {
    expect(codes(allowAll('first', 5) + pro('second', 5))).toEqual(['M400 second']);
  });

  it('a literal cost, also with literal multipliers, cannot fail: the rule still blocks', () => {
    expect(codes(allowAll('priced', 10, ', cost: 3') + pro('later', 5))).toEqual(['M400 later']);
    const multiplied = rule('priced', 'priority: 10\naction:\n  allow: true\n  cost: {base: 2, multipliers: [{if: "true", value: 3}, {if: "false", value: 1e308}]}');
    expect(codes(multiplied + pro('later', 5))).toEqual(['M400 later']);
  });
});

describe('M400 near misses: nothing is reported', () => {
  it('when the unconditioned rule has a lower priority, even if it comes first in the file', () => {
    expect(lint(allowAll('fallback', 1) + pro('pro_only', 5))).toEqual([]);
  });

  it('when the earlier rule has a condition', () => {
    expect(lint(pro('pro_only', 10) + allowAll('rest', 5))).toEqual([]);
  });

  it('when the earlier rule’s cost reads the request (it fails when the field is absent)', () => {
    expect(lint(allowAll('metered', 10, ', cost: "user.token_balance * 2"') + pro('later', 5))).toEqual([]);
  });

  it('when a constant cost always fails: a negative result never decides', () => {
    expect(lint(allowAll('broken_price', 10, ', cost: "1 - 2"') + pro('later', 5))).toEqual([]);
  });

  it('when a multiplier depends on the request, or the literal product overflows', () => {
    const conditional = rule('a', 'priority: 10\naction:\n  allow: true\n  cost: {base: 1, multipliers: [{if: "asset.type == \'model\'", value: 2}]}');
    expect(lint(conditional + pro('later', 5))).toEqual([]);
    const overflow = rule('a', 'priority: 10\naction:\n  allow: true\n  cost: {base: 1e308, multipliers: [{if: "true", value: 10}]}');
    expect(lint(overflow + pro('later', 5))).toEqual([]);
  });

  it('when the would-be blocker failed to build: a broken rule proves nothing', () => {
    const broken = rule('broken', 'priority: 10\naction: {allow: true, cost: "user.token_balance *"}');
    expect(lint(broken + pro('later', 5), { errors: true })).toEqual([]);
  });

  it('for a broken rule behind a blocker (its own error is enough)', () => {
    const broken = rule('broken', 'priority: 5\ncondition: "user.tier =="\naction: {allow: true}');
    expect(lint(allowAll('all', 10) + broken, { errors: true })).toEqual([]);
  });
});

describe('M405: the same condition as a rule evaluated earlier', () => {
  const metered = (id: string, priority: number, cond: string) => rule(id, `priority: ${priority}\ncondition: ${cond}\naction: {allow: true, cost: "user.token_balance"}`);

  it('reports the later rule’s condition and labels the earlier one', () => {
    const found = lint(metered('first', 10, `"user.tier == 'pro'"`) + metered('second', 5, `"user.tier == 'pro'"`));
    expect(found).toEqual([
      {
        code: 'M405',
        severity: 'warning',
        message: "rule 'second' has the same condition as 'first', which is evaluated first",
        at: "user.tier == 'pro'",
        hint: "'second' only decides when the cost of 'first' cannot be computed; merge the two rules or make the conditions differ",
        labels: [{ at: "user.tier == 'pro'", message: "same condition in 'first'" }],
      },
    ]);
  });

  it('compares conditions as canonically printed: spacing, quotes, parentheses and map form do not matter', () => {
    const rules = metered('a', 10, `"user.tier == 'pro'"`) + metered('b', 9, `'user.tier=="pro"'`) + metered('c', 8, `"(user.tier == 'pro')"`) + metered('d', 7, '{user.tier: pro}');
    expect(codes(rules)).toEqual(['M405 user.tier=="pro"', "M405 (user.tier == 'pro')", 'M405 user.tier: pro']);
    for (const d of lint(rules)) {
      expect(d.message).toContain("has the same condition as 'a'");
      expect(d.labels).toEqual([{ at: "user.tier == 'pro'", message: "same condition in 'a'" }]);
    }
  });

  it('names the rule evaluated first, not the one written first', () => {
    const found = lint(metered('low', 1, `"user.tier == 'pro'"`) + metered('high', 9, `"user.tier == 'pro'"`));
    expect(found.map((d) => [d.code, d.message])).toEqual([['M405', "rule 'low' has the same condition as 'high', which is evaluated first"]]);
  });
});

describe('M405 near misses: nothing is reported', () => {
  it('for conditions that differ in a value, an operator or the order of operands', () => {
    const m = (id: string, p: number, c: string) => rule(id, `priority: ${p}\ncondition: "${c}"\naction: {allow: true}`);
    const rules = m('a', 4, "user.tier == 'pro'") + m('b', 3, "user.tier == 'free'") + m('c', 2, "user.tier != 'pro'") + m('d', 1, "'pro' == user.tier");
    expect(lint(rules)).toEqual([]);
  });

  it('for a duplicate behind a blocker: it is reported as unreachable only', () => {
    expect(codes(pro('a', 10) + allowAll('all', 9) + pro('b', 5))).toEqual(['M400 b']);
  });
});
