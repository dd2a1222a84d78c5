import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOp, Expr } from '../../src/expr/ast.js';
import { parseExpression, parseExpressionFresh } from '../../src/expr/parse.js';
import { printExpr } from '../../src/expr/print.js';

const Z = { start: 0, end: 0 };
const OPS: BinaryOp[] = ['or', 'and', '==', '!=', '<', '>=', 'in', 'not in', 'contains', 'starts_with', '+', '-', '*', '/'];
const str = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', "'", '"', '\\', ' ', 'é', '\u2028', '\n') });
const num = fc.oneof(fc.nat(1000), fc.double({ min: 0, max: 1e6, noNaN: true }));
const path = fc
  .tuple(fc.constantFrom('user', 'asset', 'params'), fc.array(fc.oneof(fc.constantFrom('tier', 'tags', 'x'), str), { minLength: 1, maxLength: 3 }))
  .map(([root, names]): Expr => ({ kind: 'path', root, rootSpan: Z, segments: names.map((name) => ({ name, span: Z })), span: Z }));
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  str.map((value): Expr => ({ kind: 'string', value, span: Z })),
  num.map((value): Expr => ({ kind: 'number', value, span: Z })),
  fc.boolean().map((value): Expr => ({ kind: 'boolean', value, span: Z })),
  path,
);
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom(...OPS), tie('expr'), tie('expr')).map(([op, left, right]): Expr => ({ kind: 'binary', op, opSpan: Z, left, right, span: Z })),
    tie('expr').map((operand): Expr => ({ kind: 'unary', op: 'not', opSpan: Z, operand, span: Z })),
    fc.array(tie('expr'), { maxLength: 3 }).map((items): Expr => ({ kind: 'list', items, span: Z })),
    fc.array(tie('expr'), { maxLength: 2 }).map((args): Expr => ({ kind: 'call', callee: 'max', calleeSpan: Z, args, span: Z })),
  ),
}));

/** The same tree with every string and number literal (and bracketed path key) replaced. */
function vary(e: Expr, n: number): Expr {
  switch (e.kind) {
    case 'string':
      return { ...e, value: `${e.value}~${n}` };
    case 'number':
      return { ...e, value: e.value * 7 + n };
    case 'path':
      return { ...e, segments: e.segments.map((s) => (/^[a-zA-Z_]\w*$/.test(s.name) ? s : { ...s, name: `${s.name}'${n}` })) };
    case 'list':
      return { ...e, items: e.items.map((i) => vary(i, n)) };
    case 'call':
      return { ...e, args: e.args.map((a) => vary(a, n)) };
    case 'unary':
      return { ...e, operand: vary(e.operand, n) };
    case 'binary':
      return { ...e, left: vary(e.left, n), right: vary(e.right, n) };
    default:
      return e;
  }
}

describe('parsing by shape', () => {
  it('gives exactly the tree a fresh parse gives, spans included, for texts that differ only in literals', () => {
    fc.assert(
      fc.property(expr, fc.nat(50), (e, n) => {
        const first = printExpr(e);
        const sibling = printExpr(vary(e, n + 1));
        parseExpression(first); // teaches the shape
        expect(parseExpression(sibling)).toEqual(parseExpressionFresh(sibling));
      }),
      { numRuns: 500 },
    );
  });

  it('reports errors the same way when a sibling has a problem the original did not', () => {
    parseExpression('user.token_balance > 5');
    expect(parseExpression('user.token_balance > 1e999')).toEqual(parseExpressionFresh('user.token_balance > 1e999'));
    expect(parseExpression('user.token_balance > 1e999').errors[0]?.code).toBe('M201');
    parseExpression("user.tier == 'a'");
    expect(parseExpression("user.tier == 'a\\q'").errors[0]?.code).toBe('M201');
  });
});
