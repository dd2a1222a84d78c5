/**
 * The canonical printer. Its output re-parses to the same AST (spans aside), so it is used for
 * messages, `explain` traces and did-you-mean rewrites; parentheses appear only where needed.
 */
import { NEG_PRECEDENCE, NOT_PRECEDENCE, PRECEDENCE, pathText, quoteString, type Constraint, type Expr } from './ast.js';

/** Comparisons share one precedence level and do not associate. */
const COMPARISON = PRECEDENCE['=='];
/** Literals, paths, calls and lists bind tighter than any operator. */
const ATOM = NEG_PRECEDENCE + 1;

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return PRECEDENCE[e.op];
    case 'unary':
      return e.op === 'not' ? NOT_PRECEDENCE : NEG_PRECEDENCE;
    case 'number':
      // A negative literal prints with a leading `-`, which reads back as unary minus.
      return e.value < 0 || Object.is(e.value, -0) ? NEG_PRECEDENCE : ATOM;
    default:
      return ATOM;
  }
}

function wrap(e: Expr, parens: boolean): string {
  return parens ? `(${printExpr(e)})` : printExpr(e);
}

/** Numbers in a form the lexer reads back to the same value (exponents included, no leading sign). */
function printNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** Print an expression in canonical form, e.g. `user.tier == 'pro' and not (a or b)`. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return quoteString(e.value);
    case 'number':
      return printNumber(e.value);
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'path':
      return pathText(e);
    case 'list':
      return `[${e.items.map(printExpr).join(', ')}]`;
    case 'call':
      return `${e.callee}(${e.args.map(printExpr).join(', ')})`;
    case 'unary':
      if (e.op === 'not') return `not ${wrap(e.operand, precedence(e.operand) < NOT_PRECEDENCE)}`;
      return `-${wrap(e.operand, precedence(e.operand) < NEG_PRECEDENCE)}`;
    case 'binary': {
      const p = PRECEDENCE[e.op];
      const lp = precedence(e.left);
      // Left-associative: the left operand may share the level, except that comparisons never chain.
      const left = wrap(e.left, lp < p || (p === COMPARISON && lp === p));
      const right = wrap(e.right, precedence(e.right) <= p);
      return `${left} ${e.op} ${right}`;
    }
  }
}

/** Print a map-shorthand constraint, e.g. `not in ['a', 'b']` or `> params.min`. */
export function printConstraint(c: Constraint): string {
  return `${c.op} ${wrap(c.right, precedence(c.right) <= COMPARISON)}`;
}
