/** Small traversals over IR nodes. */
import type { Node } from './ir.js';

/** The direct sub-nodes of a node. */
export function childrenOf(n: Node): readonly Node[] {
  switch (n.k) {
    case 'lit':
    case 'field':
    case 'exists':
      return [];
    case 'list':
      return n.items;
    case 'not':
      return [n.x];
    case 'and':
    case 'or':
      return [n.a, n.b];
    case 'op':
    case 'call':
      return n.args;
  }
}

/** Indices of the fields a node reads, added to `into`. */
export function fieldsOf(n: Node, into: Set<number> = new Set()): Set<number> {
  if (n.k === 'field' || n.k === 'exists') into.add(n.field);
  for (const c of childrenOf(n)) fieldsOf(c, into);
  return into;
}
