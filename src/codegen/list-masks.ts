/**
 * List fields read as bit masks. A list is read once per decision; when a policy only ever asks
 * whether a list holds a literal (`asset.tags contains 'premium'`, `'gpu' in asset.tags`) or
 * whether it is there at all (`exists`), the module need not keep a copy: the runtime reads the
 * list once, as it would for a copy, and answers a mask with one bit per literal. A rule's test
 * is then `(mask & bit) !== 0` — no copy to allocate, no second loop.
 */
import type { IrPolicy, Node, Scalar } from '../ir/ir.js';
import { variant } from '../lang/operators.js';
import { childrenOf } from '../ir/walk.js';

/** At most this many literals per list: bits 0..30 keep every mask a non-negative small integer. */
const MAX_BITS = 31;

/** For a membership test of a literal in a list field: the field and the literal. */
export function literalMembership(n: Node): { field: number; value: Scalar } | undefined {
  if (n.k !== 'op') return undefined;
  const emit = variant(n.op).emit;
  const [a, b] = n.args as [Node, Node];
  // `list contains x` runs listHas(list, x); `x in list` / `x not in list` is a membership test.
  if (emit.kind === 'runtime' && emit.fn === 'listHas' && a.k === 'field' && b.k === 'lit') return { field: a.field, value: b.value };
  if (emit.kind === 'membership' && b.k === 'field' && a.k === 'lit') return { field: b.field, value: a.value };
  return undefined;
}

/**
 * The list fields to read as masks, each with the bit of every literal tested: lists of strings or
 * numbers that the policy uses only in literal membership tests and `exists`.
 */
export function listMasks(ir: IrPolicy): ReadonlyMap<number, ReadonlyMap<Scalar, number>> {
  const literals = new Map<number, Set<Scalar>>();
  const other = new Set<number>();
  const visit = (n: Node): void => {
    const m = literalMembership(n);
    if (m) {
      let s = literals.get(m.field);
      if (!s) literals.set(m.field, (s = new Set()));
      s.add(m.value);
      return;
    }
    if (n.k === 'field') other.add(n.field);
    for (const c of childrenOf(n)) visit(c);
  };
  for (const r of ir.rules) {
    if (r.cond) visit(r.cond);
    if (r.cost) {
      visit(r.cost.base);
      for (const m of r.cost.multipliers) {
        visit(m.cond);
        visit(m.value);
      }
    }
  }
  const out = new Map<number, ReadonlyMap<Scalar, number>>();
  for (const [field, values] of literals) {
    const f = ir.fields[field]!;
    if (other.has(field) || f.kind !== 'list' || (f.element !== 'string' && f.element !== 'number') || values.size > MAX_BITS) continue;
    out.set(field, new Map([...values].map((v, i) => [v, 1 << i])));
  }
  return out;
}
