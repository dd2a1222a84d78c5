/**
 * Copying a parsed AST to another place. Policies repeat expressions (`asset.type == 'model'` in
 * every multiplier): each distinct text is parsed once, and each occurrence gets a copy whose
 * spans are mapped into the file; texts of the same shape also get their own literals (shapes.ts).
 */
import type { Span } from '../diag/source.js';
import type { Constraint, Expr, PathExpr } from './ast.js';
import { mapOffset, type OffsetMap } from './offsets.js';

/** How a copy changes spans and, optionally, literal values. */
export interface TreeMapper {
  span(s: Span): Span;
  /** The literal for a string/number node or a bracketed path key at `s`; undefined keeps the old one. */
  literal?(s: Span): string | number | undefined;
}

/** A span in text offsets, mapped to file offsets. */
export function mapSpan(s: Span, map: OffsetMap | undefined): Span {
  return { start: mapOffset(map, s.start), end: mapOffset(map, s.end) };
}

function offsets(map: OffsetMap | undefined): TreeMapper {
  return { span: (s) => mapSpan(s, map) };
}

/** A copy of a path through a mapper. */
export function copyPath(p: PathExpr, m: TreeMapper): PathExpr {
  return {
    kind: 'path',
    root: p.root,
    rootSpan: m.span(p.rootSpan),
    // A bracket segment's key is a string literal; a dotted one stays as it is.
    segments: p.segments.map((s) => {
      const lit = m.literal?.(s.span);
      return { name: typeof lit === 'string' ? lit : s.name, span: m.span(s.span) };
    }),
    span: m.span(p.span),
  };
}

/** A copy of an expression through a mapper. */
export function copyExpr(e: Expr, m: TreeMapper): Expr {
  const span = m.span(e.span);
  switch (e.kind) {
    case 'string': {
      const lit = m.literal?.(e.span);
      return { kind: 'string', value: typeof lit === 'string' ? lit : e.value, span };
    }
    case 'number': {
      const lit = m.literal?.(e.span);
      return { kind: 'number', value: typeof lit === 'number' ? lit : e.value, span };
    }
    case 'boolean':
      return { kind: 'boolean', value: e.value, span };
    case 'list':
      return { kind: 'list', items: e.items.map((i) => copyExpr(i, m)), span };
    case 'path':
      return copyPath(e, m);
    case 'call':
      return { kind: 'call', callee: e.callee, calleeSpan: m.span(e.calleeSpan), args: e.args.map((a) => copyExpr(a, m)), span };
    case 'unary':
      return { kind: 'unary', op: e.op, opSpan: m.span(e.opSpan), operand: copyExpr(e.operand, m), span };
    case 'binary':
      return { kind: 'binary', op: e.op, opSpan: m.span(e.opSpan), left: copyExpr(e.left, m), right: copyExpr(e.right, m), span };
  }
}

/** A copy of a constraint through a mapper. */
export function copyConstraint(c: Constraint, m: TreeMapper): Constraint {
  return { op: c.op, opSpan: m.span(c.opSpan), right: copyExpr(c.right, m), span: m.span(c.span) };
}

/** A copy of a path with spans mapped through an offset map. */
export function relocatePath(p: PathExpr, map: OffsetMap | undefined): PathExpr {
  return copyPath(p, offsets(map));
}

/** A copy of an expression with spans mapped through an offset map. */
export function relocateExpr(e: Expr, map: OffsetMap | undefined): Expr {
  return copyExpr(e, offsets(map));
}

/** A copy of a constraint with spans mapped through an offset map. */
export function relocateConstraint(c: Constraint, map: OffsetMap | undefined): Constraint {
  return copyConstraint(c, offsets(map));
}
