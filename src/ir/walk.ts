/** Small traversals over IR nodes. */
import type { Node } from './ir.js';

/** Indices of the fields a node reads, added to `into`. */
export function fieldsOf(n: Node, into: Set<number> = new Set()): Set<number> {
  switch (n.k) {
    case 'field':
    case 'exists':
      into.add(n.field);
      break;
    case 'lit':
      break;
    case 'list':
      for (const i of n.items) fieldsOf(i, into);
      break;
    case 'not':
    case 'neg':
      fieldsOf(n.x, into);
      break;
    case 'call':
      for (const a of n.args) fieldsOf(a, into);
      break;
    case 'in':
      fieldsOf(n.x, into);
      fieldsOf(n.list, into);
      break;
    case 'has':
      fieldsOf(n.list, into);
      fieldsOf(n.x, into);
      break;
    default:
      fieldsOf(n.a, into);
      fieldsOf(n.b, into);
  }
  return into;
}

