/**
 * checkParamOverrides: the one check of hand-written param overrides (`explain --params`, `params:`
 * in test cases) against the params a policy declares. It accepts exactly what `decide` reads as
 * present, so a value it lets through never quietly turns into an absent param.
 */
import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/interp/interpreter.js';
import { checkParamOverrides } from '../../src/interp/params.js';
import type { IrParam } from '../../src/ir/ir.js';
import { irOfText } from '../helpers/front-end.js';

const DECLARED: readonly IrParam[] = [
  { name: 'surge', kind: 'number', value: 1.5 },
  { name: 'prefix', kind: 'string', value: 'beta:' },
  { name: 'promo', kind: 'boolean', value: false },
];

describe('checkParamOverrides', () => {
  it('accepts values of the declared types', () => {
    expect(checkParamOverrides(DECLARED, { surge: 2, prefix: '', promo: true })).toEqual([]);
    expect(checkParamOverrides(DECLARED, {})).toEqual([]);
  });

  it.each([
    ['a number as a string', { surge: '2' }, `param 'surge' is declared as a number (default 1.5), but the override is the string "2"`, 'write the number without quotes: 2'],
    ['a non-finite number', { surge: Infinity }, "param 'surge' is declared as a number (default 1.5), but the override is the number Infinity, which is not finite", 'give a number, like the default 1.5'],
    ['null', { surge: null }, "param 'surge' is declared as a number (default 1.5), but the override is null", 'give a number, like the default 1.5'],
    ['a list', { prefix: ['a'] }, 'param \'prefix\' is declared as a string (default "beta:"), but the override is a list', 'give a string, like the default "beta:"'],
    ['an object', { promo: {} }, "param 'promo' is declared as a boolean (default false), but the override is an object", 'give a boolean, like the default false'],
    ['a boolean as a string', { promo: 'true' }, `param 'promo' is declared as a boolean (default false), but the override is the string "true"`, 'write the boolean without quotes: true'],
    ['a number for a string', { prefix: 7 }, 'param \'prefix\' is declared as a string (default "beta:"), but the override is the number 7', 'quote it to make it a string: "7"'],
  ])('refuses %s, naming the declared type and the fix', (_what, overrides, message, hint) => {
    expect(checkParamOverrides(DECLARED, overrides)).toEqual([{ kind: 'type', name: Object.keys(overrides)[0], message, hint }]);
  });

  it('names unknown params, with a did-you-mean or the list of params', () => {
    expect(checkParamOverrides(DECLARED, { surg: 2 })).toEqual([{ kind: 'unknown', name: 'surg', message: "the policy defines no param 'surg'", hint: "did you mean 'surge'?" }]);
    expect(checkParamOverrides(DECLARED, { zzz: 2 })[0]!.hint).toBe("the policy's params are 'surge', 'prefix', 'promo'");
    expect(checkParamOverrides([], { surge: 2 })[0]!.hint).toBe('the policy defines no params at all');
  });

  it('reports every problem, in the order written', () => {
    expect(checkParamOverrides(DECLARED, { promo: 1, surg: 2, surge: '3' }).map((p) => [p.kind, p.name])).toEqual([
      ['type', 'promo'],
      ['unknown', 'surg'],
      ['type', 'surge'],
    ]);
  });

  it('reads own keys only, and shows hostile names and values as text', () => {
    const own = JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, unknown>;
    expect(checkParamOverrides(DECLARED, own).map((p) => p.name)).toEqual(['__proto__', 'constructor']);
    const [p, q] = checkParamOverrides(DECLARED, { '\u001b[2Jx': 1, surge: 'a\u001b[31m\u202e' });
    expect(p!.message).toBe("the policy defines no param '␛[2Jx'");
    expect(q!.message).toBe(`param 'surge' is declared as a number (default 1.5), but the override is the string "a\\u001b[31m\ufffd"`);
  });

  it('accepts exactly what decide reads as present (the override decides, not the default)', () => {
    const ir = irOfText('version: "1.0"\nparams: {surge: 1.5, prefix: "beta:", promo: false}\nrules:\n  - id: hit\n    condition: "params.surge == 2 or params.prefix == \'\' or params.promo"\n    action: {allow: true}\n');
    const decide = createInterpreter(ir).decide;
    const request = { assetId: 'a', action: 'read', context: {} };
    for (const params of [{ surge: 2 }, { prefix: '' }, { promo: true }]) {
      expect(checkParamOverrides(ir.params, params)).toEqual([]);
      expect(decide(request, { params }).policyId).toBe('hit');
    }
    for (const params of [{ surge: '2' }, { prefix: 0 }, { promo: 'true' }, { surge: null }]) {
      expect(checkParamOverrides(ir.params, params)).toHaveLength(1);
      expect(decide(request, { params }).policyId).toBe('default_deny');
    }
  });
});
