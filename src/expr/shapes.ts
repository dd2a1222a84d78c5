/**
 * Parsing by shape. The grammar is context-free over token types, so two expressions whose tokens
 * differ only in their number and string literals have the same tree. Policies are full of such
 * families (`user.token_balance > 17`, `… > 42`), so a parsed tree is reused for every text of
 * the same shape: its spans are moved token by token and its literals replaced by the new ones.
 * Anything unusual (a lexing problem, a number out of range, an offset that is not a token
 * boundary) returns undefined and the text is parsed in full.
 */
import type { IToken } from 'chevrotain';
import type { Span } from '../diag/source.js';
import type { Constraint, Expr, PathExpr, PathSegment } from './ast.js';

/** One token's place and literal value, as the shape cache needs it. */
export interface ShapeToken {
  readonly start: number;
  readonly end: number;
  /** For literal tokens: the number or decoded string; undefined otherwise. */
  readonly literal?: number | string;
}

/** The shape key of a token list: token types, with non-literal tokens' text; or undefined when it has problems. */
export function shapeOf(entry: string, tokens: readonly IToken[]): { key: string; tokens: ShapeToken[] } | undefined {
  const parts: string[] = [entry];
  const out: ShapeToken[] = [];
  for (const t of tokens) {
    const type = t.tokenType.name;
    const start = t.startOffset;
    const end = start + t.image.length;
    if (type === 'NumberLit') {
      const value = Number(t.image);
      if (!Number.isFinite(value)) return undefined;
      parts.push(type);
      out.push({ start, end, literal: value });
    } else if (type === 'StringLit') {
      const payload = t.payload as { value: string; problems: readonly unknown[] } | undefined;
      if (!payload || payload.problems.length > 0) return undefined;
      parts.push(type);
      out.push({ start, end, literal: payload.value });
    } else {
      parts.push(`${type}:${t.image}`);
      out.push({ start, end });
    }
  }
  return { key: parts.join('\u0001'), tokens: out };
}

class NotABoundary extends Error {}

/** Rebuild a tree parsed from `from` for the same-shaped token list `to`. */
export function reshape<T>(entry: 'expression' | 'constraint' | 'path', value: T, from: readonly ShapeToken[], to: readonly ShapeToken[]): T | undefined {
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  from.forEach((t, i) => {
    starts.set(t.start, i);
    ends.set(t.end, i);
  });
  const span = (s: Span): Span => {
    const a = starts.get(s.start);
    const b = ends.get(s.end);
    if (a === undefined || b === undefined) throw new NotABoundary();
    return { start: to[a]!.start, end: to[b]!.end };
  };
  const literalAt = (s: Span): number | string => {
    const i = starts.get(s.start);
    const lit = i === undefined ? undefined : to[i]!.literal;
    if (lit === undefined) throw new NotABoundary();
    return lit;
  };
  const path = (p: PathExpr): PathExpr => ({
    kind: 'path',
    root: p.root,
    rootSpan: span(p.rootSpan),
    // A bracket segment's name is a string literal; a dotted one is part of the shape.
    segments: p.segments.map((seg): PathSegment => {
      const i = starts.get(seg.span.start);
      const lit = i === undefined ? undefined : to[i]!.literal;
      return { name: typeof lit === 'string' ? lit : seg.name, span: span(seg.span) };
    }),
    span: span(p.span),
  });
  const expr = (e: Expr): Expr => {
    switch (e.kind) {
      case 'number':
        return { kind: 'number', value: literalAt(e.span) as number, span: span(e.span) };
      case 'string':
        return { kind: 'string', value: literalAt(e.span) as string, span: span(e.span) };
      case 'boolean':
        return { kind: 'boolean', value: e.value, span: span(e.span) };
      case 'list':
        return { kind: 'list', items: e.items.map(expr), span: span(e.span) };
      case 'path':
        return path(e);
      case 'call':
        return { kind: 'call', callee: e.callee, calleeSpan: span(e.calleeSpan), args: e.args.map(expr), span: span(e.span) };
      case 'unary':
        return { kind: 'unary', op: e.op, opSpan: span(e.opSpan), operand: expr(e.operand), span: span(e.span) };
      case 'binary':
        return { kind: 'binary', op: e.op, opSpan: span(e.opSpan), left: expr(e.left), right: expr(e.right), span: span(e.span) };
    }
  };
  try {
    if (entry === 'path') return path(value as PathExpr) as T;
    if (entry === 'constraint') {
      const c = value as Constraint;
      return { op: c.op, opSpan: span(c.opSpan), right: expr(c.right), span: span(c.span) } as T;
    }
    return expr(value as Expr) as T;
  } catch (e) {
    if (e instanceof NotABoundary) return undefined;
    throw e;
  }
}
