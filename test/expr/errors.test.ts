import { describe, expect, it } from 'vitest';
import { LIMITS, parseConstraint, parseExpression, parsePath, type ExprError } from '../../src/expr/parse.js';

/** The only error of `text`, with code, message and span; asserts that no AST came back. */
function only(text: string): ExprError {
  const r = parseExpression(text);
  expect(r.ast).toBeUndefined();
  expect(r.errors).toHaveLength(1);
  return r.errors[0]!;
}

function err(code: string, message: string, start: number, end: number): object {
  return expect.objectContaining({ code, message, span: { start, end } });
}

describe('syntax errors (M200)', () => {
  it('reports a missing operand at the end of the previous token', () => {
    expect(only('a and')).toEqual(err('M200', "expected an operand after 'and' but found end of expression", 5, 5));
    expect(only('a and   ')).toEqual(err('M200', "expected an operand after 'and' but found end of expression", 5, 5));
    expect(only('x +')).toEqual(err('M200', "expected an operand after '+' but found end of expression", 3, 3));
    expect(only('a + * b')).toEqual(err('M200', "expected an operand after '+' but found '*'", 4, 5));
    expect(only('* x')).toEqual(err('M200', "expected an operand but found '*'", 0, 1));
  });

  it('reports a stray closing bracket', () => {
    const e = only('a )');
    expect(e).toEqual(err('M200', "unexpected ')'", 2, 3));
    expect(e.hint).toBe("remove it, or add the matching '(' earlier");
    expect(only('a ] b')).toEqual(err('M200', "unexpected ']'", 2, 3));
  });

  it('reports a missing closing bracket where it belongs', () => {
    const e = only('(a or b');
    expect(e).toEqual(err('M200', "expected ')' but found end of expression", 7, 7));
    expect(e.hint).toBe("add ')' to close the '('");
    expect(only('a in [1, 2')).toEqual(err('M200', "expected ']' but found end of expression", 10, 10));
    expect(only('f(a, b')).toEqual(err('M200', "expected ')' but found end of expression", 6, 6));
  });

  it('explains that comparisons do not chain', () => {
    const e = only('a < b < c');
    expect(e).toEqual(err('M200', 'comparison operators do not chain: write `a < b and b < c`', 6, 7));
    expect(e.hint).toBeDefined();
    expect(only('f(a == b != c)')).toEqual(err('M200', 'comparison operators do not chain: write `a < b and b < c`', 9, 11));
    expect(only('a in b not in c')).toEqual(err('M200', 'comparison operators do not chain: write `a < b and b < c`', 7, 10));
    expect(parseConstraint('> 0 < 5').errors).toEqual([err('M200', 'comparison operators do not chain: write `a < b and b < c`', 4, 5)]);
  });

  it('gives a single `=` its own message', () => {
    expect(only('a = b')).toEqual(err('M200', '`=` is not an operator: use `==`', 2, 3));
    expect(only('(a = b)')).toEqual(err('M200', '`=` is not an operator: use `==`', 3, 4));
    expect(only('a => b').hint).toBe('write `>=`');
    expect(parseConstraint('= 5').errors).toEqual([err('M200', '`=` is not an operator: use `==`', 0, 1)]);
  });

  it('reports a missing operator between operands', () => {
    const e = only('a b');
    expect(e).toEqual(err('M200', "unexpected 'b'", 2, 3));
    expect(e.hint).toBe("an operator is missing before 'b': e.g. `and`, `or` or `==`");
    expect(only("a == 'x' 'y'")).toEqual(err('M200', "unexpected string 'y'", 9, 12));
  });

  it('rejects trailing commas', () => {
    const e = only('[a, ]');
    expect(e).toEqual(err('M200', "expected an operand after ',' but found ']'", 4, 5));
    expect(e.hint).toBe('remove the trailing comma');
    expect(only('f(a,)').hint).toBe('remove the trailing comma');
  });

  it('explains malformed paths', () => {
    expect(only('a.')).toEqual(err('M200', "expected a field name after '.' but found end of expression", 2, 2));
    expect(only('a.b[0]')).toEqual(err('M200', "expected a string after '[' but found the number 0", 4, 5));
    expect(only('a.b.c(1)').hint).toMatch(/only built-in functions can be called/);
    expect(only('a not b')).toEqual(err('M200', "expected 'in' after 'not' but found 'b'", 6, 7));
  });

  it('reports empty and blank text', () => {
    expect(only('')).toEqual(err('M200', 'empty expression', 0, 0));
    expect(only(' \n\t')).toEqual(err('M200', 'empty expression', 0, 3));
    expect(parseConstraint('').errors).toEqual([err('M200', 'empty expression', 0, 0)]);
    expect(parsePath('  ').errors).toEqual([err('M200', 'empty expression', 0, 2)]);
  });

  it('reports constraint and path shapes', () => {
    expect(parseConstraint('x').errors[0]!.message).toMatch(/^expected a comparison operator \(==, !=.*\) but found 'x'$/);
    expect(parseConstraint('in').errors).toEqual([err('M200', "expected an operand after 'in' but found end of expression", 2, 2)]);
    expect(parseConstraint('== a and b').errors[0]!.hint).toMatch(/one comparison/);
    expect(parsePath('a == b').errors).toEqual([err('M200', "unexpected '=='", 2, 4)]);
  });

  it('recovers to report independent errors together', () => {
    const r = parseExpression('(a and) or (b +)');
    expect(r.ast).toBeUndefined();
    expect(r.errors).toEqual([
      err('M200', "expected an operand after 'and' but found ')'", 6, 7),
      err('M200', "expected an operand after '+' but found ')'", 15, 16),
    ]);
  });
});

describe('token errors (M201)', () => {
  it('reports unterminated strings with the quote to add', () => {
    expect(only(`a == 'abc`)).toEqual(err('M201', "unterminated string: add a closing '", 5, 9));
    expect(only(`"abc`)).toEqual(err('M201', 'unterminated string: add a closing "', 0, 4));
  });

  it('reports unknown escapes', () => {
    const e = only(String.raw`'a\qb'`);
    expect(e).toEqual(err('M201', 'unknown escape \\q', 2, 4));
    expect(e.hint).toMatch(/write \\\\ for a backslash/);
    expect(only(String.raw`'\u12'`)).toEqual(err('M201', 'invalid unicode escape \\u12', 1, 5));
  });

  it('reports characters outside the language, without an echo from the parser', () => {
    expect(only('a # b')).toEqual(err('M201', "unexpected character '#'", 2, 3));
    const amp = only('a & b');
    expect(amp).toEqual(err('M201', "unexpected character '&'", 2, 3));
    expect(amp.hint).toBe('write `and` (or `&&`)');
    expect(only('a\u00a0== b')).toEqual(err('M201', 'unexpected character U+00A0', 1, 2));
    expect(only('a\u00a0== b').hint).toMatch(/no-break space/);
    const quotes = parseExpression('a == \u2018x\u2019').errors;
    expect(quotes.map((e) => [e.message, e.span.start])).toEqual([["unexpected character '\u2018'", 5], ["unexpected character '\u2019'", 7]]);
    expect(quotes[0]!.hint).toBe('use straight quotes \' or "');
  });

  it('rejects numbers that overflow', () => {
    expect(only('x < 1e400')).toEqual(err('M201', 'number out of range: 1e400', 4, 9));
  });

  it('reports several token errors at once, in order', () => {
    const r = parseExpression(String.raw`x == 'a\q' and y == 'b\z'`);
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([['M201', 'unknown escape \\q'], ['M201', 'unknown escape \\z']]);
  });

  it('reports token and syntax errors together', () => {
    const r = parseExpression(String.raw`x == 'a\q' and y = 3`);
    expect(r.errors.map((e) => e.code)).toEqual(['M201', 'M200']);
  });
});

describe('limits (M202)', () => {
  it('are frozen', () => {
    expect(Object.isFrozen(LIMITS)).toBe(true);
    expect(LIMITS).toEqual({ maxLength: 10_000, maxDepth: 64 });
  });

  it('reject long text before lexing it', () => {
    const e = only('x'.repeat(LIMITS.maxLength + 1));
    expect(e.code).toBe('M202');
    expect(e.message).toBe(`expression is too long: ${LIMITS.maxLength + 1} characters (the limit is ${LIMITS.maxLength})`);
  });

  it('reject deep nesting without overflowing the stack', () => {
    const n = 4000;
    const parens = only('('.repeat(n) + 'a' + ')'.repeat(n));
    expect(parens).toEqual(err('M202', `expression is nested too deeply: more than ${LIMITS.maxDepth} levels of parentheses, brackets or prefix operators`, 64, 65));
    expect(only('-'.repeat(9000) + '1').code).toBe('M202');
    expect(only('not '.repeat(2000) + 'a').code).toBe('M202');
    expect(only('['.repeat(3000)).code).toBe('M202');
  });

  it('accept nesting up to the limit', () => {
    const d = LIMITS.maxDepth - 1;
    expect(parseExpression('('.repeat(d) + 'a' + ')'.repeat(d)).errors).toEqual([]);
  });

  it('reject a chain longer than the depth limit, which later stages would recurse over', () => {
    const e = only(Array.from({ length: 100 }, (_, i) => `a${i}`).join(' or '));
    expect(e.code).toBe('M202');
    expect(e.message).toBe(`expression is nested too deeply: 100 levels (the limit is ${LIMITS.maxDepth})`);
  });
});

describe('error spans are file offsets', () => {
  it('maps token, syntax and end-of-text errors through the offset map', () => {
    const shift = (text: string): number[] => Array.from({ length: text.length + 1 }, (_, i) => 100 + i);
    expect(parseExpression('a )', { offsets: shift('a )') }).errors).toEqual([err('M200', "unexpected ')'", 102, 103)]);
    expect(parseExpression('a and', { offsets: shift('a and') }).errors).toEqual([err('M200', "expected an operand after 'and' but found end of expression", 105, 105)]);
    expect(parseExpression("'a", { offsets: shift("'a") }).errors).toEqual([err('M201', "unterminated string: add a closing '", 100, 102)]);
    expect(parseExpression('', { offsets: [7] }).errors).toEqual([err('M200', 'empty expression', 7, 7)]);
  });
});
