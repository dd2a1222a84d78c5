/**
 * Parsing by shape. The grammar is context-free over token types, so two expressions whose tokens
 * differ only in their number and string literals have the same tree. Policies are full of such
 * families (`user.token_balance > 17`, `… > 42`), so a parsed tree is reused for every text of
 * the same shape: its spans are moved token by token and its literals replaced by the new ones.
 * Anything unusual (a lexing problem, a number out of range, an offset that is not a token
 * boundary) returns undefined and the text is parsed in full.
 */
import type { IToken } from 'chevrotain';
import type { Constraint, Expr, PathExpr } from './ast.js';
import { copyConstraint, copyExpr, copyPath, type TreeMapper } from './relocate.js';

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
  const mapper: TreeMapper = {
    span: (s) => {
      const a = starts.get(s.start);
      const b = ends.get(s.end);
      if (a === undefined || b === undefined) throw new NotABoundary();
      return { start: to[a]!.start, end: to[b]!.end };
    },
    literal: (s) => {
      const i = starts.get(s.start);
      return i === undefined ? undefined : to[i]!.literal;
    },
  };
  try {
    if (entry === 'path') return copyPath(value as PathExpr, mapper) as T;
    if (entry === 'constraint') return copyConstraint(value as Constraint, mapper) as T;
    return copyExpr(value as Expr, mapper) as T;
  } catch (e) {
    if (e instanceof NotABoundary) return undefined;
    throw e;
  }
}
