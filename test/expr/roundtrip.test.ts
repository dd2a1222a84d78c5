import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOp, Constraint, Expr } from '../../src/expr/ast.js';
import { parseConstraint, parseExpression } from '../../src/expr/parse.js';
import { printConstraint, printExpr } from '../../src/expr/print.js';

/** A deep copy without any span, so ASTs from different sources compare by structure. */
function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'span' && k !== 'opSpan' && k !== 'rootSpan' && k !== 'calleeSpan') out[k] = stripSpans(v);
  return out;
}

const Z = { start: 0, end: 0 };
const KEYWORDS = ['and', 'or', 'not', 'in', 'contains', 'starts_with', 'ends_with', 'true', 'false'];
const BINARY: BinaryOp[] = ['or', 'and', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'contains', 'starts_with', 'ends_with', '+', '-', '*', '/', '%'];
const COMPARE = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'contains', 'starts_with', 'ends_with'] as const;

const word = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/);
/** Roots and callees: identifiers that are not keywords (a keyword there would lex as an operator). */
const ident = word.filter((w) => !KEYWORDS.includes(w));
/** Characters that stress quoting and escaping, plus any code point (lone surrogates included). */
const nastyChar = fc.oneof(
  fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\u2028', '\u2029', '\0', '\x7f', 'é', '😀', '\ud800', ' ', '.', '[', ']'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.string({ unit: nastyChar, maxLength: 8 });
const segment = fc.oneof(word, fc.constantFrom(...KEYWORDS), text).map((name) => ({ name, span: Z }));
const number = fc.oneof(fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })).filter((n) => !Object.is(n, -0));

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  text.map((value): Expr => ({ kind: 'string', value, span: Z })),
  number.map((value): Expr => ({ kind: 'number', value, span: Z })),
  fc.boolean().map((value): Expr => ({ kind: 'boolean', value, span: Z })),
  fc.record({ root: ident, segments: fc.array(segment, { maxLength: 3 }) }).map((p): Expr => ({ kind: 'path', ...p, rootSpan: Z, span: Z })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('expr'), { maxLength: 3 }).map((items): Expr => ({ kind: 'list', items, span: Z })),
    fc.record({ callee: ident, args: fc.array(tie('expr'), { maxLength: 3 }) }).map((c): Expr => ({ kind: 'call', ...c, calleeSpan: Z, span: Z })),
    fc.record({ op: fc.constantFrom('not' as const, 'neg' as const), operand: tie('expr') }).map((u): Expr => ({ kind: 'unary', ...u, opSpan: Z, span: Z })),
    fc.record({ op: fc.constantFrom(...BINARY), left: tie('expr'), right: tie('expr') }).map((b): Expr => ({ kind: 'binary', ...b, opSpan: Z, span: Z })),
  ),
}));

const constraint: fc.Arbitrary<Constraint> = fc
  .record({ op: fc.constantFrom(...COMPARE), right: expr })
  .map((c) => ({ ...c, opSpan: Z, span: Z }));

function reparse(source: string): Expr {
  const r = parseExpression(source);
  if (r.errors.length > 0) throw new Error(`${source}\n${JSON.stringify(r.errors)}`);
  return r.ast!;
}

describe('printer ∘ parser round trip', () => {
  it('parse(print(x)) equals x, ignoring spans', () => {
    fc.assert(
      fc.property(expr, (x) => {
        expect(stripSpans(reparse(printExpr(x)))).toEqual(stripSpans(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('printing is a fixed point: print(parse(print(x))) === print(x)', () => {
    fc.assert(
      fc.property(expr, (x) => {
        const printed = printExpr(x);
        expect(printExpr(reparse(printed))).toBe(printed);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips constraints', () => {
    fc.assert(
      fc.property(constraint, (c) => {
        const r = parseConstraint(printConstraint(c));
        expect(r.errors).toEqual([]);
        expect(stripSpans(r.constraint)).toEqual(stripSpans(c));
      }),
      { numRuns: 500 },
    );
  });
});

describe('canonical printing', () => {
  const canon = (source: string): string => printExpr(reparse(source));

  it.each([
    ['a||b&&!c', 'a or b and not c'],
    ['(a or b) and c', '(a or b) and c'],
    ['((a)) + (b * c)', 'a + b * c'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a and (b and c)', 'a and (b and c)'],
    ['not (a == b)', 'not a == b'],
    ['(not a) == b', '(not a) == b'],
    ['not (a and b)', 'not (a and b)'],
    ['(a < b) == (c < d)', '(a < b) == (c < d)'],
    ['-(a * b)', '-(a * b)'],
    ['(-a) * b', '-a * b'],
    ['-(-1)', '--1'],
    ['a - -1', 'a - -1'],
    ['"x"', "'x'"],
    [`"it's"`, String.raw`'it\'s'`],
    ['1.50', '1.5'],
    ['1e21', '1e+21'],
    ['0.0000001', '1e-7'],
    ['[ 1 ,2 ]', '[1, 2]'],
    ['f( a,b )', 'f(a, b)'],
    ['a["b"]["c d"].e', 'a.b["c d"].e'.replace('"c d"', "'c d'")],
    ['a.in', 'a.in'],
  ])('%s → %s', (source, want) => {
    expect(canon(source)).toBe(want);
  });

  it('prints constraints with the operand parenthesised only when needed', () => {
    expect(printConstraint(parseConstraint('not  in [1,2]').constraint!)).toBe('not in [1, 2]');
    expect(printConstraint(parseConstraint('>=(a+1)').constraint!)).toBe('>= a + 1');
    const c: Constraint = { op: '==', opSpan: Z, span: Z, right: reparse('a or b') };
    expect(printConstraint(c)).toBe('== (a or b)');
  });
});
