import { describe, expect, it } from 'vitest';
import type { BinaryExpr, CallExpr, Expr, ListLit, PathExpr, StringLit, UnaryExpr } from '../../src/expr/ast.js';
import { parseConstraint, parseExpression, parsePath } from '../../src/expr/parse.js';
import { sexpr } from './sexpr.js';

function ast(text: string): Expr {
  const r = parseExpression(text);
  expect(r.errors).toEqual([]);
  return r.ast!;
}

const s = (text: string): string => sexpr(ast(text));

describe('operators', () => {
  it.each([
    ['a or b', '(or a b)'],
    ['a || b', '(or a b)'],
    ['a and b', '(and a b)'],
    ['a && b', '(and a b)'],
    ['not a', '(not a)'],
    ['!a', '(not a)'],
    ['a == b', '(== a b)'],
    ['a != b', '(!= a b)'],
    ['a < b', '(< a b)'],
    ['a <= b', '(<= a b)'],
    ['a > b', '(> a b)'],
    ['a >= b', '(>= a b)'],
    ['a in b', '(in a b)'],
    ['a not in b', '(not in a b)'],
    ['a contains b', '(contains a b)'],
    ['a starts_with b', '(starts_with a b)'],
    ['a ends_with b', '(ends_with a b)'],
    ['a + b', '(+ a b)'],
    ['a - b', '(- a b)'],
    ['a * b', '(* a b)'],
    ['a / b', '(/ a b)'],
    ['a % b', '(% a b)'],
    ['-a', '(neg a)'],
  ])('%s', (text, want) => {
    expect(s(text)).toBe(want);
  });
});

describe('precedence and associativity', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a == b', '(not (== a b))'],
    ['not a and b', '(and (not a) b)'],
    ['not not a', '(not (not a))'],
    ['! a or b', '(or (not a) b)'],
    ['a == b + 1', '(== a (+ b 1))'],
    ['a + b * c', '(+ a (* b c))'],
    ['a * b + c', '(+ (* a b) c)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['a or b or c', '(or (or a b) c)'],
    ['-a * b', '(* (neg a) b)'],
    ['- -a', '(neg (neg a))'],
    ['-(a + b)', '(neg (+ a b))'],
    ['a - -1', '(- a (neg 1))'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['(a < b) == c', '(== (< a b) c)'],
    ['a + b < c * d and e', '(and (< (+ a b) (* c d)) e)'],
    ["x not in ['a'] or not y contains 'b'", "(or (not in x ['a']) (not (contains y 'b')))"],
  ])('%s', (text, want) => {
    expect(s(text)).toBe(want);
  });
});

describe('primaries', () => {
  it('parses literals', () => {
    expect(ast('42')).toMatchObject({ kind: 'number', value: 42 });
    expect(ast('1.5e3')).toMatchObject({ kind: 'number', value: 1500 });
    expect(ast('true')).toMatchObject({ kind: 'boolean', value: true });
    expect(ast('false')).toMatchObject({ kind: 'boolean', value: false });
    expect(ast(String.raw`'it\'s \u00e9'`)).toMatchObject({ kind: 'string', value: "it's é" });
    expect(ast('"double"')).toMatchObject({ kind: 'string', value: 'double' });
  });

  it('parses lists, empty ones included', () => {
    expect(s('[]')).toBe('[]');
    expect(s("[1, 'a', [true], b.c]")).toBe("[1 'a' [true] b.c]");
    expect((ast('[ ]') as ListLit).items).toEqual([]);
  });

  it('parses calls', () => {
    expect(s('f()')).toBe('f()');
    expect(s("max(a, 1, 'x')")).toBe("max(a 1 'x')");
    expect(s('len(lower(x)) > 0')).toBe('(> len(lower(x)) 0)');
    expect((ast('exists(user.country)') as CallExpr).callee).toBe('exists');
  });

  it('parses paths with dots, brackets and keyword segments', () => {
    const p = ast('asset.metadata["compute cost"].unit') as PathExpr;
    expect(p.root).toBe('asset');
    expect(p.segments.map((x) => x.name)).toEqual(['metadata', 'compute cost', 'unit']);
    expect((ast("a['x']['y'].b") as PathExpr).segments.map((x) => x.name)).toEqual(['x', 'y', 'b']);
    expect((ast('asset.metadata.in') as PathExpr).segments.map((x) => x.name)).toEqual(['metadata', 'in']);
    const kw = ast('a.and.or.not.contains.starts_with.ends_with.true.false') as PathExpr;
    expect(kw.segments).toHaveLength(8);
    expect((ast('user') as PathExpr).segments).toEqual([]);
    expect(s('inner.order > 1')).toBe('(> inner.order 1)');
  });
});

describe('spans (identity offsets)', () => {
  it('gives half-open spans to every node and operator', () => {
    const e = ast("user.tier == 'pro'") as BinaryExpr;
    expect(e.span).toEqual({ start: 0, end: 18 });
    expect(e.opSpan).toEqual({ start: 10, end: 12 });
    const left = e.left as PathExpr;
    expect(left.rootSpan).toEqual({ start: 0, end: 4 });
    expect(left.segments[0]!.span).toEqual({ start: 5, end: 9 });
    expect(left.span).toEqual({ start: 0, end: 9 });
    expect(e.right.span).toEqual({ start: 13, end: 18 });
  });

  it('covers brackets, calls, lists, unary operators and `not in`', () => {
    const p = ast('a["k"]') as PathExpr;
    expect(p.span).toEqual({ start: 0, end: 6 });
    expect(p.segments[0]!.span).toEqual({ start: 2, end: 5 });
    const c = ast('f(1, 2)') as CallExpr;
    expect(c.span).toEqual({ start: 0, end: 7 });
    expect(c.calleeSpan).toEqual({ start: 0, end: 1 });
    expect(ast('[1, 2]').span).toEqual({ start: 0, end: 6 });
    const n = ast('not  x') as UnaryExpr;
    expect(n.opSpan).toEqual({ start: 0, end: 3 });
    expect(n.span).toEqual({ start: 0, end: 6 });
    const m = ast('a not  in b') as BinaryExpr;
    expect(m.opSpan).toEqual({ start: 2, end: 9 });
  });

  it('widens a parenthesised node to its parentheses', () => {
    const e = ast('(a or b) and c') as BinaryExpr;
    expect(e.left.span).toEqual({ start: 0, end: 8 });
    expect(e.span).toEqual({ start: 0, end: 14 });
  });
});

describe('spans through an offset map', () => {
  // The expression `a == "x"` written in a YAML double-quoted scalar: `cond: "a == \"x\""`.
  const file = 'cond: "a == \\"x\\""';
  const text = 'a == "x"';
  const offsets = [7, 8, 9, 10, 11, 12, 14, 15, 17];

  it('maps every span to file offsets', () => {
    expect(file.slice(7, 17)).toBe('a == \\"x\\"');
    const e = parseExpression(text, { offsets }).ast as BinaryExpr;
    expect(e.span).toEqual({ start: 7, end: 17 });
    expect(e.opSpan).toEqual({ start: 9, end: 11 });
    expect(e.left.span).toEqual({ start: 7, end: 8 });
    expect((e.right as StringLit).span).toEqual({ start: 12, end: 17 });
    expect(file.slice(12, 17)).toBe('\\"x\\"');
  });

  it('maps constraint and path spans too', () => {
    const c = parseConstraint('> 1', { offsets: [20, 21, 22, 23] }).constraint!;
    expect(c.opSpan).toEqual({ start: 20, end: 21 });
    expect(c.right.span).toEqual({ start: 22, end: 23 });
    expect(c.span).toEqual({ start: 20, end: 23 });
    const p = parsePath('a.b', { offsets: [5, 6, 7, 8] }).path!;
    expect(p.rootSpan).toEqual({ start: 5, end: 6 });
    expect(p.segments[0]!.span).toEqual({ start: 7, end: 8 });
  });
});

describe('constraint entry point', () => {
  it.each([
    ['> 0', '>', '0'],
    ['>= params.min_balance', '>=', 'params.min_balance'],
    ["!= 'free'", '!=', "'free'"],
    ['== true', '==', 'true'],
    ['< 1 + 2', '<', '(+ 1 2)'],
    ['<= -1', '<=', '(neg 1)'],
    ["in ['a', 'b']", 'in', "['a' 'b']"],
    ['not in [1]', 'not in', '[1]'],
    ["contains 'premium'", 'contains', "'premium'"],
    ["starts_with 'premium_'", 'starts_with', "'premium_'"],
    ["ends_with '_v2'", 'ends_with', "'_v2'"],
  ])('%s', (text, op, right) => {
    const r = parseConstraint(text);
    expect(r.errors).toEqual([]);
    expect(r.constraint!.op).toBe(op);
    expect(sexpr(r.constraint!.right)).toBe(right);
  });

  it('gives the operator and the whole constraint spans', () => {
    const c = parseConstraint('not in [1]').constraint!;
    expect(c.opSpan).toEqual({ start: 0, end: 6 });
    expect(c.span).toEqual({ start: 0, end: 10 });
  });

  it('takes an additive expression, not a condition', () => {
    expect(parseConstraint('== a or b').errors[0]!.message).toBe("unexpected 'or'");
  });
});

describe('path entry point', () => {
  it('parses a map key path', () => {
    const p = parsePath('user.token_balance').path!;
    expect(p).toMatchObject({ kind: 'path', root: 'user', segments: [{ name: 'token_balance' }], span: { start: 0, end: 18 } });
    expect(parsePath('asset.metadata["compute cost"]').path!.segments.map((x) => x.name)).toEqual(['metadata', 'compute cost']);
  });

  it('rejects anything but a path', () => {
    expect(parsePath('a == b').path).toBeUndefined();
    expect(parsePath('f(x)').errors).toHaveLength(1);
    expect(parsePath('1').errors[0]!.message).toBe('expected a name but found the number 1');
  });
});
