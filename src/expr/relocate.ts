/**
 * Moving a parsed AST to another place: policies repeat expressions (`asset.type == 'model'` in
 * every multiplier), so each distinct text is parsed once and its AST copied with its spans mapped
 * through each occurrence's offset map.
 */
import type { Span } from '../diag/source.js';
import type { Constraint, Expr, PathExpr } from './ast.js';
import { mapOffset, type OffsetMap } from './offsets.js';

/** A span in text offsets, mapped to file offsets. */
export function mapSpan(s: Span, map: OffsetMap | undefined): Span {
  return { start: mapOffset(map, s.start), end: mapOffset(map, s.end) };
}

/** A copy of a path with mapped spans. */
export function relocatePath(p: PathExpr, map: OffsetMap | undefined): PathExpr {
  return {
    kind: 'path',
    root: p.root,
    rootSpan: mapSpan(p.rootSpan, map),
    segments: p.segments.map((s) => ({ name: s.name, span: mapSpan(s.span, map) })),
    span: mapSpan(p.span, map),
  };
}

/** A copy of an expression with mapped spans. */
export function relocateExpr(e: Expr, map: OffsetMap | undefined): Expr {
  const span = mapSpan(e.span, map);
  switch (e.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return { ...e, span } as Expr;
    case 'list':
      return { kind: 'list', items: e.items.map((i) => relocateExpr(i, map)), span };
    case 'path':
      return relocatePath(e, map);
    case 'call':
      return { kind: 'call', callee: e.callee, calleeSpan: mapSpan(e.calleeSpan, map), args: e.args.map((a) => relocateExpr(a, map)), span };
    case 'unary':
      return { kind: 'unary', op: e.op, opSpan: mapSpan(e.opSpan, map), operand: relocateExpr(e.operand, map), span };
    case 'binary':
      return { kind: 'binary', op: e.op, opSpan: mapSpan(e.opSpan, map), left: relocateExpr(e.left, map), right: relocateExpr(e.right, map), span };
  }
}

/** A copy of a constraint with mapped spans. */
export function relocateConstraint(c: Constraint, map: OffsetMap | undefined): Constraint {
  return { op: c.op, opSpan: mapSpan(c.opSpan, map), right: relocateExpr(c.right, map), span: mapSpan(c.span, map) };
}
