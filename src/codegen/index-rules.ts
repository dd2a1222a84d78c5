/**
 * Rule indexing for large policies: pick the enum field whose value splits the rules best, so that
 * a request only tries the rules that can match its value (plus the rules that ignore the field).
 */
import type { IrPolicy, Node } from '../ir/ir.js';

/**
 * A decision tree over enum fields. At each node the field's value picks a branch; a branch is
 * either a list of rule indices (into ir.rules, in evaluation order) or a further split. A
 * request whose value is absent or invalid only tries `fallback`: the rules that ignore the field.
 */
export interface RuleIndex {
  readonly field: number;
  readonly branches: readonly { readonly value: string; readonly next: RuleIndex | readonly number[] }[];
  readonly fallback: readonly number[];
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
    if (c.k === 'op' && c.op === 'eq') {
      const [a, b] = c.args as [Node, Node];
      if (a.k === 'field' && a.field === field && b.k === 'lit' && typeof b.value === 'string') values = [b.value];
      else if (b.k === 'field' && b.field === field && a.k === 'lit' && typeof a.value === 'string') values = [a.value];
    } else if (c.k === 'op' && c.op === 'in') {
      const [x, list] = c.args as [Node, Node];
      if (x.k === 'field' && x.field === field && list.k === 'list' && list.items.every((i) => i.k === 'lit' && typeof i.value === 'string')) {
        values = list.items.map((i) => (i as { value: string }).value);
      }
    }
    if (!values) continue;
    const next = new Set(values);
    admitted = admitted ? new Set([...admitted].filter((v) => next.has(v))) : next;
  }
  return admitted;
}

/** The best single split of `rules`, or undefined when no enum field splits them well. */
function bestSplit(ir: IrPolicy, rules: readonly number[], exclude: ReadonlySet<number>): { field: number; buckets: { value: string; rules: number[] }[]; fallback: number[] } | undefined {
  let best: { field: number; buckets: { value: string; rules: number[] }[]; fallback: number[]; cost: number } | undefined;
  for (const f of ir.fields) {
    if (f.kind !== 'string' || !f.enumValues || exclude.has(f.index)) continue;
    const admitted = rules.map((i) => admittedValues(ir.rules[i]!.cond, f.index));
    const buckets = f.enumValues.map((value) => ({ value, rules: rules.filter((_, k) => !admitted[k] || admitted[k]!.has(value)) }));
    const fallback = rules.filter((_, k) => !admitted[k]);
    const cost = buckets.reduce((sum, b) => sum + b.rules.length, 0) / Math.max(1, buckets.length);
    if (!best || cost < best.cost) best = { field: f.index, buckets, fallback, cost };
  }
  // Each split costs a dispatch; it is only worth it when it skips most rules.
  return best && best.cost <= rules.length * 0.6 ? best : undefined;
}

function split(ir: IrPolicy, rules: readonly number[], threshold: number, exclude: ReadonlySet<number>, depth: number): RuleIndex | undefined {
  if (rules.length < threshold || depth > 3) return undefined;
  const s = bestSplit(ir, rules, exclude);
  if (!s) return undefined;
  const deeper = new Set([...exclude, s.field]);
  return {
    field: s.field,
    branches: s.buckets.map((b) => ({ value: b.value, next: split(ir, b.rules, threshold, deeper, depth + 1) ?? b.rules })),
    fallback: s.fallback,
  };
}

/** Choose an index, or none when the policy is small or no field splits it well. */
export function chooseIndex(ir: IrPolicy, threshold: number): RuleIndex | undefined {
  return split(
    ir,
    ir.rules.map((_, i) => i),
    threshold,
    new Set(),
    0,
  );
}
