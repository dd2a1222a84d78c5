/**
 * Constant folding over IR nodes, using the reference evaluator itself so that folding can never
 * change a result. Only left-constant `and`/`or` are simplified: `x and false` must still
 * evaluate `x`, because a MISSING `x` makes the rule not match.
 */
import { evaluate } from './eval.js';
import { MISSING } from './value.js';
import type { Node } from './ir.js';
import { childrenOf } from './walk.js';

function isConstant(n: Node): boolean {
  if (n.k === 'field' || n.k === 'exists') return false;
  return childrenOf(n).every(isConstant);
}

const noFields = (): never => {
  throw new Error('internal: constant node read a field');
};

/** Fold a freshly lowered node whose children are already folded. */
export function foldNode(n: Node): Node {
  if (n.k === 'lit' || n.k === 'list') return n;
  if (isConstant(n)) {
    const v = evaluate(n, noFields);
    if (v !== MISSING && !Array.isArray(v)) return { k: 'lit', value: v as string | number | boolean, span: n.span };
    return n;
  }
  if ((n.k === 'and' || n.k === 'or') && n.a.k === 'lit') {
    const short = n.k === 'and' ? n.a.value === false : n.a.value === true;
    return short ? n.a : n.b;
  }
  if ((n.k === 'and' && n.b.k === 'lit' && n.b.value === true) || (n.k === 'or' && n.b.k === 'lit' && n.b.value === false)) return n.a;
  return n;
}
