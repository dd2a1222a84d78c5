/** Test helper: a compact S-expression view of the AST. */
import type { Expr } from '../../src/expr/ast.js';
import { pathText, quoteString } from '../../src/expr/ast.js';

/** `(and (== user.tier 'free') (not x))`: structure only, so precedence tests read at a glance. */
export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return quoteString(e.value);
    case 'number':
    case 'boolean':
      return String(e.value);
    case 'path':
      return pathText(e);
    case 'list':
      return `[${e.items.map(sexpr).join(' ')}]`;
    case 'call':
      return `${e.callee}(${e.args.map(sexpr).join(' ')})`;
    case 'unary':
      return `(${e.op} ${sexpr(e.operand)})`;
    case 'binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
  }
}
