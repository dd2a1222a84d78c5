import { describe, expect, it } from 'vitest';
import { exprLexer, type StringPayload } from '../../grammar/tokens.js';

function lex(text: string): string[] {
  const r = exprLexer.tokenize(text);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

function payload(text: string): StringPayload {
  const r = exprLexer.tokenize(text);
  expect(r.tokens).toHaveLength(1);
  return r.tokens[0]!.payload as StringPayload;
}

describe('lexer', () => {
  it('lexes keywords, and keeps longer words identifiers', () => {
    expect(lex('and or not in contains starts_with ends_with true false')).toEqual([
      'and:and', 'or:or', 'not:not', 'in:in', 'contains:contains', 'starts_with:starts_with', 'ends_with:ends_with', 'true:true', 'false:false',
    ]);
    expect(lex('inner order contains_x android nothing in_ trueish starts_withx _x9')).toEqual([
      'Identifier:inner', 'Identifier:order', 'Identifier:contains_x', 'Identifier:android', 'Identifier:nothing',
      'Identifier:in_', 'Identifier:trueish', 'Identifier:starts_withx', 'Identifier:_x9',
    ]);
  });

  it('is case-sensitive about keywords', () => {
    expect(lex('AND True')).toEqual(['Identifier:AND', 'Identifier:True']);
  });

  it('prefers two-character operators', () => {
    expect(lex('== != <= >= < > ! = && ||')).toEqual([
      'Eq:==', 'Neq:!=', 'Le:<=', 'Ge:>=', 'Lt:<', 'Gt:>', 'Bang:!', 'Assign:=', 'AmpAmp:&&', 'PipePipe:||',
    ]);
    expect(lex('!a!=b')).toEqual(['Bang:!', 'Identifier:a', 'Neq:!=', 'Identifier:b']);
    expect(lex('a<=b<c')).toEqual(['Identifier:a', 'Le:<=', 'Identifier:b', 'Lt:<', 'Identifier:c']);
  });

  it('lexes punctuation and arithmetic', () => {
    expect(lex('+-*/%()[],.')).toEqual([
      'Plus:+', 'Minus:-', 'Star:*', 'Slash:/', 'Percent:%', 'LParen:(', 'RParen:)', 'LBracket:[', 'RBracket:]', 'Comma:,', 'Dot:.',
    ]);
  });

  it('lexes decimal numbers without a sign', () => {
    expect(lex('0 42 1.5 1e3 2.5E-3 7e+2')).toEqual(['NumberLit:0', 'NumberLit:42', 'NumberLit:1.5', 'NumberLit:1e3', 'NumberLit:2.5E-3', 'NumberLit:7e+2']);
    expect(lex('-1')).toEqual(['Minus:-', 'NumberLit:1']);
    expect(lex('a-1')).toEqual(['Identifier:a', 'Minus:-', 'NumberLit:1']);
    expect(lex('1.')).toEqual(['NumberLit:1', 'Dot:.']);
  });

  it('skips whitespace, including line breaks and tabs', () => {
    const r = exprLexer.tokenize(' a\n\t==\r\n b ');
    expect(r.tokens.map((t) => [t.image, t.startOffset])).toEqual([['a', 1], ['==', 4], ['b', 9]]);
  });

  it('lexes single- and double-quoted strings and decodes escapes', () => {
    expect(lex(`'a' "b"`)).toEqual([`StringLit:'a'`, 'StringLit:"b"']);
    expect(payload(String.raw`'\\ \' \" \n \t \u00e9 \u2028'`).value).toBe('\\ \' " \n \t é \u2028');
    expect(payload(`"it's"`)).toEqual({ value: "it's", problems: [] });
    expect(payload(`'say "hi"'`).value).toBe('say "hi"');
    expect(payload(`''`).value).toBe('');
    expect(payload(`'😀 ü'`).value).toBe('😀 ü');
  });

  it('keeps going after a bad escape, recording the problem', () => {
    const p = payload(String.raw`'a\qb'`);
    expect(p.value).toBe('ab');
    expect(p.problems).toEqual([expect.objectContaining({ start: 2, end: 4, message: 'unknown escape \\q' })]);
    const u = payload(String.raw`'\u12x'`);
    expect(u.problems).toEqual([expect.objectContaining({ start: 1, end: 5, message: 'invalid unicode escape \\u12' })]);
  });

  it('turns an unterminated string into one token with a problem', () => {
    const r = exprLexer.tokenize(`a == 'abc`);
    expect(r.errors).toEqual([]);
    const s = r.tokens[2]!;
    expect(s.image).toBe(`'abc`);
    expect((s.payload as StringPayload).problems).toEqual([expect.objectContaining({ start: 5, end: 9, message: "unterminated string: add a closing '" })]);
  });

  it('ends an unterminated string at the line break', () => {
    const r = exprLexer.tokenize(`"abc\nb`);
    expect(r.tokens.map((t) => t.image)).toEqual(['"abc', 'b']);
    expect((r.tokens[0]!.payload as StringPayload).problems[0]!.message).toBe('unterminated string: add a closing "');
  });

  it('includes a trailing backslash in an unterminated string', () => {
    const r = exprLexer.tokenize(`'ab\\`);
    expect(r.errors).toEqual([]);
    expect(r.tokens.map((t) => t.image)).toEqual([`'ab\\`]);
  });

  it('reports characters outside the language', () => {
    const r = exprLexer.tokenize('a # b');
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([[2, 1]]);
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b']);
  });
});
