/**
 * The operator and function tables are the one definition of the language's operators: these tests
 * hold the other stages to them — the parser's precedence levels, lowering to a variant of the
 * operator's own entry, the printers, and an evaluator and emitter for every executable entry.
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/ast.js';
import { parseExpressionFresh } from '../../src/expr/parse.js';
import { printExpr } from '../../src/expr/print.js';
import { FUNCTION_LIST } from '../../src/lang/functions.js';
import { BINARY_OPERATORS, UNARY_OPERATORS, variant, variantIds, type ValueOperator } from '../../src/lang/operators.js';
import { BOOLEAN, NUMBER, STRING, UNKNOWN, enumOf, listOf, type Type } from '../../src/lang/types.js';

const TYPES: readonly Type[] = [NUMBER, STRING, BOOLEAN, UNKNOWN, enumOf('e', ['a']), listOf(STRING), listOf(NUMBER)];

function parse(text: string): Expr {
  const r = parseExpressionFresh(text);
  expect(r.errors).toEqual([]);
  return r.ast!;
}

describe('operator table', () => {
  it('gives every operator one entry and one spelling', () => {
    const ops = [...BINARY_OPERATORS.map((o) => o.op), ...UNARY_OPERATORS.map((o) => o.op)];
    expect(new Set(ops).size).toBe(ops.length);
  });

  it('matches the parser: the tighter operator of two ends up deeper in the tree', () => {
    const binary = BINARY_OPERATORS.filter((o) => o.op !== 'not in');
    for (const outer of binary) {
      for (const inner of binary) {
        if (outer.precedence === inner.precedence) continue;
        // `a OUTER b INNER c`: when INNER binds tighter it is the right child, else the root.
        const e = parse(`user.a ${outer.op} user.b ${inner.op} user.c`);
        expect(e.kind).toBe('binary');
        const root = (e as Extract<Expr, { kind: 'binary' }>).op;
        expect(root, `${outer.op} vs ${inner.op}`).toBe(inner.precedence > outer.precedence ? outer.op : inner.op);
      }
    }
  });

  it('puts not between and and the comparisons, and unary minus above * / %', () => {
    const not = UNARY_OPERATORS.find((u) => u.op === 'not')!.precedence;
    const neg = UNARY_OPERATORS.find((u) => u.op === 'neg')!.precedence;
    const prec = (op: string) => BINARY_OPERATORS.find((o) => o.op === op)!.precedence;
    expect(not).toBeGreaterThan(prec('and'));
    expect(not).toBeLessThan(prec('=='));
    expect(neg).toBeGreaterThan(prec('*'));
    // and the parser agrees: `not a == b` negates the comparison, `-a * b` negates `a` only.
    expect(printExpr(parse('not user.a == user.b'))).toBe('not user.a == user.b');
    expect(parse('not user.a == user.b').kind).toBe('unary');
    const product = parse('-user.a * user.b');
    expect(product.kind === 'binary' && product.op).toBe('*');
  });

  it('lowers every well-typed use to a variant of the operator’s own entry', () => {
    for (const o of BINARY_OPERATORS) {
      if (o.group === 'logic') continue;
      const entry = o as ValueOperator;
      for (const l of TYPES) {
        for (const r of TYPES) {
          const verdict = entry.type(l, r);
          if ('want' in verdict) continue;
          const id = entry.lower(l, r, verdict.type);
          expect(Object.keys(entry.variants), `${o.op} on ${l.kind}, ${r.kind}`).toContain(id);
          expect(variant(id as never).op).toBe(o.op);
        }
      }
    }
  });

  it('says what it wants when the types do not fit', () => {
    const plus = BINARY_OPERATORS.find((o) => o.op === '+')! as ValueOperator;
    expect(plus.type(NUMBER, STRING)).toMatchObject({ want: "'+' adds two numbers or joins two strings" });
    const inOp = BINARY_OPERATORS.find((o) => o.op === 'in')! as ValueOperator;
    expect(inOp.type(STRING, STRING)).toMatchObject({ want: "the right side of 'in' must be a list", assume: BOOLEAN });
  });

  it('evaluates every variant as JavaScript would, with no value for non-orderable pairs', () => {
    expect(variant('lt').evaluate(1, 2)).toBe(true);
    expect(variant('lt').evaluate('b', 'a')).toBe(false);
    expect(variant('lt').evaluate(1, 'a')).toBeUndefined();
    expect(variant('ge').evaluate(true, false)).toBeUndefined();
    expect(variant('in').evaluate('a', ['b', 'a'])).toBe(true);
    expect(variant('not_in').evaluate('a', ['b'])).toBe(true);
    expect(variant('has').evaluate(['x'], 'x')).toBe(true);
    expect(variant('includes').evaluate('premium-model', 'model')).toBe(true);
    expect(variant('concat').evaluate('a', 'b')).toBe('ab');
    expect(variant('mod').evaluate(-7, 3)).toBe(-1);
    expect(Object.is(variant('neg').evaluate(0), 0)).toBe(true);
    for (const id of variantIds()) expect(variant(id).emit.kind).toBeTypeOf('string');
  });
});

describe('function table', () => {
  it('has an evaluator and an emitter for every function but exists (a field test, not a value)', () => {
    for (const f of FUNCTION_LIST) {
      if (f.name === 'exists') {
        expect(f.evaluate).toBeUndefined();
        continue;
      }
      expect(f.evaluate, f.name).toBeTypeOf('function');
      expect(f.emit, f.name).toBeDefined();
    }
  });

  it('evaluates with no value for arguments of the wrong kind', () => {
    const fn = (name: string) => FUNCTION_LIST.find((f) => f.name === name)!.evaluate!;
    expect(fn('len')(['abc'])).toBe(3);
    expect(fn('len')([5])).toBeUndefined();
    expect(fn('min')([3, 1, 2])).toBe(1);
    expect(fn('max')([3, 'x'])).toBeUndefined();
    expect(fn('round')([2.5])).toBe(2);
    expect(fn('round')([2.675, 2])).toBe(2.68);
    expect(Object.is(fn('ceil')([-0.5]), 0)).toBe(true);
    expect(fn('upper')(['ab'])).toBe('AB');
  });

  it('checks literal arguments the types cannot: round digits 0..6', () => {
    const round = FUNCTION_LIST.find((f) => f.name === 'round')!;
    expect(round.literalArgs!([{ literal: 1.5 }, { literal: 2 }])).toBeUndefined();
    expect(round.literalArgs!([{ literal: 1.5 }, { literal: 7 }])).toMatchObject({ index: 1 });
    expect(round.literalArgs!([{ literal: 1.5 }, {}])).toMatchObject({ index: 1 });
  });
});
