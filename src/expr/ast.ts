/**
 * The expression AST. Every node carries a half-open span of offsets into the policy file
 * (not into the expression string), so diagnostics point into the user's YAML.
 */
import type { Span } from '../diag/source.js';

import type { ArithOp, BinaryOp, CompareOp, LogicOp, UnaryOp } from '../lang/operators.js';
import { IDENT_RE, quoteString } from '../lang/syntax.js';

export { IDENT_RE, quoteString };

/** The operators are defined, with their precedence, in the operator table. */
export type { ArithOp, BinaryOp, CompareOp, LogicOp, UnaryOp };

export interface StringLit {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}
export interface NumberLit {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}
export interface BooleanLit {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly span: Span;
}
export interface ListLit {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: Span;
}
/** One step of a path: `.name` or `["any key"]`. */
export interface PathSegment {
  readonly name: string;
  readonly span: Span;
}
/** `root.seg.seg` / `root.seg["key"]`. The root is an identifier such as `user` or `params`. */
export interface PathExpr {
  readonly kind: 'path';
  readonly root: string;
  readonly rootSpan: Span;
  readonly segments: readonly PathSegment[];
  readonly span: Span;
}
export interface CallExpr {
  readonly kind: 'call';
  readonly callee: string;
  readonly calleeSpan: Span;
  readonly args: readonly Expr[];
  readonly span: Span;
}
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly opSpan: Span;
  readonly operand: Expr;
  readonly span: Span;
}
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly opSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export type Expr = StringLit | NumberLit | BooleanLit | ListLit | PathExpr | CallExpr | UnaryExpr | BinaryExpr;

/** The right-hand part of a map-condition shorthand (`"> 0"`, `"in ['a']"`), before the path is attached. */
export interface Constraint {
  readonly op: CompareOp;
  readonly opSpan: Span;
  readonly right: Expr;
  readonly span: Span;
}

/** Path text in canonical form: `user.tier`, `asset.metadata["compute cost"]`. */
export function pathText(p: Pick<PathExpr, 'root' | 'segments'>): string {
  let s = p.root;
  for (const seg of p.segments) s += IDENT_RE.test(seg.name) ? `.${seg.name}` : `[${quoteString(seg.name)}]`;
  return s;
}

/** The direct sub-expressions of a node. */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'list':
      return e.items;
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    default:
      return [];
  }
}

/** Every path an expression reads (in `exists()` too), left to right. */
export function pathsOf(e: Expr, into: PathExpr[] = []): PathExpr[] {
  if (e.kind === 'path') into.push(e);
  for (const c of children(e)) pathsOf(c, into);
  return into;
}
