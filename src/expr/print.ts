/**
 * The canonical printer. Its output re-parses to the same AST (spans aside), so it is used for
 * messages, `explain` traces and did-you-mean rewrites; parentheses appear only where needed.
 */
import { ATOM_PRECEDENCE as ATOM, binaryOperator, unaryOperator } from '../lang/operators.js';
import { pathText, quoteString, type Constraint, type Expr } from './ast.js';

/** Comparisons share one precedence level and do not associate. */
const COMPARISON = binaryOperator('==').precedence;
const NEG = unaryOperator('neg').precedence;

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return binaryOperator(e.op).precedence;
    case 'unary':
      return unaryOperator(e.op).precedence;
    case 'number':
      // A negative literal prints with a leading `-`, which reads back as unary minus.
      return e.value < 0 || Object.is(e.value, -0) ? NEG : ATOM;
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
    case 'unary': {
      const { prefix, precedence: p } = unaryOperator(e.op);
      return `${prefix}${wrap(e.operand, precedence(e.operand) < p)}`;
    }
    case 'binary': {
      const p = binaryOperator(e.op).precedence;
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
