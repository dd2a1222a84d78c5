/** IR nodes as expression text, for explain traces (the canonical expression syntax). */
import { quoteString } from '../expr/ast.js';
import type { IrField, Node } from './ir.js';

const PREC: Record<string, number> = { or: 1, and: 2, not: 3, cmp: 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6, neg: 7, atom: 8 };

/** Print a node as an expression. */
export function printNode(n: Node, fields: readonly IrField[]): string {
  return print(n, fields).text;
}

function print(n: Node, fields: readonly IrField[]): { text: string; prec: number } {
  const p = (x: Node, min: number): string => {
    const r = print(x, fields);
    return r.prec < min ? `(${r.text})` : r.text;
  };
  const bin = (a: Node, op: string, b: Node, prec: number, rightMin = prec + 1) => ({ text: `${p(a, prec)} ${op} ${p(b, rightMin)}`, prec });
  switch (n.k) {
    case 'lit':
      return { text: typeof n.value === 'string' ? quoteString(n.value) : String(n.value), prec: PREC.atom! };
    case 'list':
      return { text: `[${n.items.map((i) => print(i, fields).text).join(', ')}]`, prec: PREC.atom! };
    case 'field':
      return { text: fields[n.field]!.path, prec: PREC.atom! };
    case 'exists':
      return { text: `exists(${fields[n.field]!.path})`, prec: PREC.atom! };
    case 'not':
      return { text: `not ${p(n.x, PREC.not!)}`, prec: PREC.not! };
    case 'neg':
      return { text: `-${p(n.x, PREC.neg!)}`, prec: PREC.neg! };
    case 'and':
    case 'or':
      return bin(n.a, n.k, n.b, PREC[n.k]!, PREC[n.k]!);
    case 'eq':
      return bin(n.a, n.negate ? '!=' : '==', n.b, PREC.cmp!);
    case 'order':
      return bin(n.a, n.op, n.b, PREC.cmp!);
    case 'in':
      return bin(n.x, n.negate ? 'not in' : 'in', n.list, PREC.cmp!);
    case 'has':
      return bin(n.list, 'contains', n.x, PREC.cmp!);
    case 'str':
      return bin(n.a, n.op, n.b, PREC.cmp!);
    case 'arith':
      return bin(n.a, n.op, n.b, PREC[n.op]!);
    case 'concat':
      return bin(n.a, '+', n.b, PREC['+']!);
    case 'call':
      return { text: `${n.fn}(${n.args.map((a) => print(a, fields).text).join(', ')})`, prec: PREC.atom! };
  }
}
