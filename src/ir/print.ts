/** IR nodes as expression text, for explain traces (the canonical expression syntax). */
import { quoteString } from '../lang/syntax.js';
import { ATOM_PRECEDENCE, binaryOperator, unaryOperator, variant } from '../lang/operators.js';
import type { IrField, Node } from './ir.js';

/** Print a node as an expression. */
export function printNode(n: Node, fields: readonly IrField[]): string {
  return print(n, fields).text;
}

function print(n: Node, fields: readonly IrField[]): { text: string; prec: number } {
  const p = (x: Node, min: number): string => {
    const r = print(x, fields);
    return r.prec < min ? `(${r.text})` : r.text;
  };
  const atom = (text: string) => ({ text, prec: ATOM_PRECEDENCE });
  switch (n.k) {
    case 'lit':
      return atom(typeof n.value === 'string' ? quoteString(n.value) : String(n.value));
    case 'list':
      return atom(`[${n.items.map((i) => print(i, fields).text).join(', ')}]`);
    case 'field':
      return atom(fields[n.field]!.path);
    case 'exists':
      return atom(`exists(${fields[n.field]!.path})`);
    case 'call':
      return atom(`${n.fn}(${n.args.map((a) => print(a, fields).text).join(', ')})`);
    case 'not': {
      const { prefix, precedence } = unaryOperator('not');
      return { text: `${prefix}${p(n.x, precedence)}`, prec: precedence };
    }
    case 'and':
    case 'or': {
      // Both are associative: a right operand at the same level needs no parentheses.
      const prec = binaryOperator(n.k).precedence;
      return { text: `${p(n.a, prec)} ${n.k} ${p(n.b, prec)}`, prec };
    }
    case 'op': {
      const v = variant(n.op);
      if (v.prefix !== undefined) return { text: `${v.prefix}${p(n.args[0]!, v.precedence)}`, prec: v.precedence };
      return { text: `${p(n.args[0]!, v.precedence)} ${v.op} ${p(n.args[1]!, v.precedence + 1)}`, prec: v.precedence };
    }
  }
}
