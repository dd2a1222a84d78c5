/**
 * Rule indexing for large policies: pick the enum field whose value splits the rules best, so that
 * a request only tries the rules that can match its value (plus the rules that ignore the field).
 */
import type { IrPolicy, Node } from '../ir/ir.js';

export interface RuleIndex {
  /** The field whose value selects a bucket. */
  readonly field: number;
  /** For each enum value, the indices (into ir.rules, in evaluation order) of the rules to try. */
  readonly buckets: readonly { readonly value: string; readonly rules: readonly number[] }[];
  /** Rules for a request whose field value is absent or invalid: those that do not constrain it. */
  readonly unkeyed: readonly number[];
}

function conjuncts(n: Node | undefined, out: Node[] = []): Node[] {
  if (!n) return out;
  if (n.k === 'and') {
    conjuncts(n.a, out);
    conjuncts(n.b, out);
  } else out.push(n);
  return out;
}

/** The values of `field` a condition can hold for, or undefined when it does not constrain it. */
export function admittedValues(cond: Node | undefined, field: number): Set<string> | undefined {
  let admitted: Set<string> | undefined;
  for (const c of conjuncts(cond)) {
    let values: string[] | undefined;
    if (c.k === 'eq' && !c.negate) {
      if (c.a.k === 'field' && c.a.field === field && c.b.k === 'lit' && typeof c.b.value === 'string') values = [c.b.value];
      else if (c.b.k === 'field' && c.b.field === field && c.a.k === 'lit' && typeof c.a.value === 'string') values = [c.a.value];
    } else if (c.k === 'in' && !c.negate && c.x.k === 'field' && c.x.field === field && c.list.k === 'list') {
      const items = c.list.items;
      if (items.every((i) => i.k === 'lit' && typeof i.value === 'string')) values = items.map((i) => (i as { value: string }).value);
    }
    if (!values) continue;
    const next = new Set(values);
    admitted = admitted ? new Set([...admitted].filter((v) => next.has(v))) : next;
  }
  return admitted;
}

/** Choose an index, or none when the policy is small or no field splits it well. */
export function chooseIndex(ir: IrPolicy, threshold: number): RuleIndex | undefined {
  if (ir.rules.length < threshold) return undefined;
  let best: { index: RuleIndex; cost: number } | undefined;
  for (const f of ir.fields) {
    if (f.kind !== 'string' || !f.enumValues) continue;
    const admitted = ir.rules.map((r) => admittedValues(r.cond, f.index));
    const buckets = f.enumValues.map((value) => ({ value, rules: admitted.flatMap((a, i) => (!a || a.has(value) ? [i] : [])) }));
    const unkeyed = admitted.flatMap((a, i) => (a ? [] : [i]));
    const cost = buckets.reduce((s, b) => s + b.rules.length, 0) / Math.max(1, buckets.length);
    if (!best || cost < best.cost) best = { index: { field: f.index, buckets, unkeyed }, cost };
  }
  // Indexing costs a dispatch and a call per rule tried; only worth it when it skips most rules.
  return best && best.cost <= ir.rules.length * 0.6 ? best.index : undefined;
}
