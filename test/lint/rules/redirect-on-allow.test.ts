/** src/lint/rules/redirect-on-allow.ts: M406, an allowing rule that also declares a redirect. */
import { describe, expect, it } from 'vitest';
import { redirectOnAllow } from '../../../src/lint/rules/redirect-on-allow.js';
import { policy, rule, runRule } from '../../helpers/lint-rule.js';

const lint = (rules: string) => runRule(redirectOnAllow, policy(rules));

describe('M406: an allowing rule with a redirect', () => {
  it('is an info at the redirect value (clients usually follow redirects only on denial)', () => {
    expect(lint(rule('welcome', 'action:\n  allow: true\n  redirect: /welcome'))).toEqual([
      {
        code: 'M406',
        severity: 'info',
        message: "rule 'welcome' allows access and also declares a redirect",
        at: '/welcome',
        hint: 'clients usually follow redirects only on denial; remove it unless yours use it',
        labels: [],
      },
    ]);
  });

  it('reports each allowing rule, quoted redirects included', () => {
    const rules = rule('a', 'action: {allow: true, redirect: "/a"}') + rule('b', 'action: {allow: true, cost: 1, redirect: \'/b?x=1\'}');
    expect(lint(rules).map((d) => [d.code, d.severity, d.at, d.message.slice(0, 8)])).toEqual([
      ['M406', 'info', '"/a"', "rule 'a'"],
      ['M406', 'info', "'/b?x=1'", "rule 'b'"],
    ]);
  });
});

describe('M406 near misses: nothing is reported', () => {
  it('for a denying rule with a redirect (the paywall pattern)', () => {
    expect(lint(rule('paywall', 'action: {allow: false, reason: upgrade_required, redirect: /pricing}'))).toEqual([]);
  });

  it('for an allowing rule without one', () => {
    expect(lint(rule('open', 'action: {allow: true, reason: welcome}'))).toEqual([]);
  });
});
