/**
 * src/interp/blame.ts: when a rule's condition does not hold, explain points at one
 * sub-expression, shows the values it read and says why it failed. These are the lines a user
 * reads in `monetize explain` and in failing `monetize test` cases.
 */
import { describe, expect, it } from 'vitest';
import { blame } from '../../src/interp/blame.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import type { FieldReader } from '../../src/ir/eval.js';
import { MISSING, type Value } from '../../src/ir/value.js';
import { irOfText } from '../helpers/front-end.js';

/** A one-rule policy with `condition: <cond>` (cond is YAML: quote expressions yourself). */
const policyWith = (cond: string) => `version: "1.0"\nrules:\n  - id: r\n    condition: ${cond}\n    action: {allow: true}\n`;

/**
 * Blame the condition for a request whose validated field values are `values` (by path; a path
 * not given is absent). Also returns the source text the blamed span covers.
 */
function blameOf(cond: string, values: Readonly<Record<string, Value>>) {
  const text = policyWith(cond);
  const ir = irOfText(text);
  const read: FieldReader = (i) => {
    const path = ir.fields[i]!.path;
    return Object.hasOwn(values, path) ? values[path]! : MISSING;
  };
  const failure = blame(ir.rules[0]!.cond!, read, ir.fields);
  return { ...failure, at: text.slice(failure.span.start, failure.span.end) };
}

describe('and: the first conjunct that is not true is blamed', () => {
  const COND = `"user.tier == 'pro' and user.token_balance > 0"`;

  it('the left side when it is false, even if the right side is false too', () => {
    expect(blameOf(COND, { 'user.tier': 'free', 'user.token_balance': 0 })).toMatchObject({
      expression: "user.tier == 'pro'",
      at: "user.tier == 'pro'",
      outcome: 'false',
      values: { 'user.tier': 'free' },
      missing: [],
    });
  });

  it('the right side when the left holds', () => {
    expect(blameOf(COND, { 'user.tier': 'pro', 'user.token_balance': 0 })).toMatchObject({
      expression: 'user.token_balance > 0',
      outcome: 'false',
      values: { 'user.token_balance': 0 },
    });
  });

  it('an absent field on the left is blamed as missing, with its value shown as null', () => {
    expect(blameOf(COND, { 'user.token_balance': 5 })).toMatchObject({
      expression: "user.tier == 'pro'",
      outcome: 'missing',
      values: { 'user.tier': null },
      missing: ['user.tier'],
    });
  });

  it('descends through chains and nested groups to the innermost failing comparison', () => {
    const cond = `"user.tier == 'pro' and (user.token_balance > 0 and asset.type == 'model')"`;
    expect(blameOf(cond, { 'user.tier': 'pro', 'user.token_balance': 3, 'asset.type': 'data' })).toMatchObject({
      expression: "asset.type == 'model'",
      at: "asset.type == 'model'",
      values: { 'asset.type': 'data' },
    });
  });

  it('works on map conditions, pointing at the failing entry', () => {
    const failure = blameOf(`{user.tier: pro, user.token_balance: "> 0"}`, { 'user.tier': 'pro', 'user.token_balance': 0 });
    expect(failure).toMatchObject({ expression: 'user.token_balance > 0', outcome: 'false', values: { 'user.token_balance': 0 } });
    expect(failure.at).toBe('user.token_balance: "> 0"');
  });
});

describe('or: a MISSING side is blamed, since it makes the whole condition fail closed', () => {
  const COND = `"user.tier == 'pro' or user.token_balance > 0"`;

  it('both sides false: the whole `or` is blamed, with every value it read', () => {
    expect(blameOf(COND, { 'user.tier': 'free', 'user.token_balance': 0 })).toMatchObject({
      expression: "user.tier == 'pro' or user.token_balance > 0",
      at: "user.tier == 'pro' or user.token_balance > 0",
      outcome: 'false',
      values: { 'user.tier': 'free', 'user.token_balance': 0 },
      missing: [],
    });
  });

  it('the left side is absent: it is blamed even though the right side holds', () => {
    expect(blameOf(COND, { 'user.token_balance': 5 })).toMatchObject({
      expression: "user.tier == 'pro'",
      outcome: 'missing',
      values: { 'user.tier': null },
      missing: ['user.tier'],
    });
  });

  it('the right side is absent after a false left side: the right side is blamed', () => {
    expect(blameOf(COND, { 'user.tier': 'free' })).toMatchObject({ expression: 'user.token_balance > 0', outcome: 'missing', missing: ['user.token_balance'] });
  });

  it('inside an `and`: descends into the `or` to its missing side', () => {
    const cond = `"user.tier == 'pro' and (asset.type == 'model' or user.token_balance > 0)"`;
    expect(blameOf(cond, { 'user.tier': 'pro', 'user.token_balance': 9 })).toMatchObject({ expression: "asset.type == 'model'", outcome: 'missing' });
  });

  it('`not` is not looked into: the negation as a whole is blamed', () => {
    const cond = `"not (user.tier == 'pro' or user.token_balance > 0)"`;
    expect(blameOf(cond, { 'user.tier': 'pro', 'user.token_balance': 0 })).toMatchObject({
      expression: "not (user.tier == 'pro' or user.token_balance > 0)",
      outcome: 'false',
      values: { 'user.tier': 'pro', 'user.token_balance': 0 },
    });
  });
});

describe('outcome: false, missing or not_finite', () => {
  const COND = '"100 / user.token_balance > 1"';

  it('not_finite when every field is present but arithmetic gives no finite number (division by zero)', () => {
    expect(blameOf(COND, { 'user.token_balance': 0 })).toMatchObject({ outcome: 'not_finite', values: { 'user.token_balance': 0 }, missing: [] });
  });

  it('missing when the field itself is absent, false when the comparison is simply false', () => {
    expect(blameOf(COND, {})).toMatchObject({ outcome: 'missing', values: { 'user.token_balance': null }, missing: ['user.token_balance'] });
    expect(blameOf(COND, { 'user.token_balance': 200 })).toMatchObject({ outcome: 'false', values: { 'user.token_balance': 200 }, missing: [] });
  });
});

describe('values and expression', () => {
  it('values hold each field read once, in reading order, lists included', () => {
    const cond = `"user.entitlements contains 'beta' or user.token_balance * user.token_balance > 10"`;
    const failure = blameOf(cond, { 'user.entitlements': ['alpha'], 'user.token_balance': 2 });
    expect(failure.values).toEqual({ 'user.entitlements': ['alpha'], 'user.token_balance': 2 });
    expect(Object.keys(failure.values)).toEqual(['user.entitlements', 'user.token_balance']);
  });

  it('the expression is the canonical print, not the text as written; the span still points at what was written', () => {
    const failure = blameOf(`'user.tier=="pro"   and  (user.token_balance>0)'`, { 'user.tier': 'pro', 'user.token_balance': -1 });
    expect(failure.expression).toBe('user.token_balance > 0');
    expect(failure.at).toBe('(user.token_balance>0)');
    expect(blameOf(`'user.tier=="pro"'`, { 'user.tier': 'free' })).toMatchObject({ expression: "user.tier == 'pro'", at: 'user.tier=="pro"' });
  });
});

describe('explain uses it', () => {
  it('the trace of a failed rule is the blame for the request’s values', () => {
    const cond = `"user.tier == 'pro' and user.token_balance > 0"`;
    const ir = irOfText(policyWith(cond));
    const trace = createInterpreter(ir).explain({ assetId: 'a', action: 'read', context: { tier: 'pro', tokenBalance: 0 } }).trace;
    const { at: _, ...expected } = blameOf(cond, { 'user.tier': 'pro', 'user.token_balance': 0 });
    expect(trace).toEqual([{ ruleId: 'r', priority: 0, matched: false, failed: expected }]);
  });
});
