/**
 * Sealing the IR: a copy in which no record inherits from Object.prototype, frozen. The engines
 * read optional IR keys as `rule.reason !== undefined`, `f.fallback`, `rule.cond`; on such a record
 * a read can only find an own key, so a polluted Object.prototype (`Object.prototype.redirect = …`)
 * cannot add a redirect, a cost or a condition to a policy, and no record of a lowered policy can
 * be changed after the fact. Expression nodes (a rule's condition, a cost's base, a multiplier's
 * condition and value) are kept as they are: every key of a node kind is required, so no read of
 * a well-formed node reaches a prototype, and copying the hundreds of thousands of nodes of a large
 * policy would double the time lowering takes.
 */
import type { IrPolicy } from './ir.js';

const sealed = new WeakSet<object>();

/**
 * The prototype of every sealed record: empty, frozen, and with no prototype itself, so a key a
 * record lacks reads as undefined whatever Object.prototype holds. Records made with
 * `Object.create(null)` would do the same, but V8 keeps those in slow dictionary mode, which halves
 * the interpreter's speed; records over a shared prototype stay fast.
 */
const NO_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** The sealed form of an IR (the IR itself when it already is one). */
export function sealIr(ir: IrPolicy): IrPolicy {
  if (sealed.has(ir)) return ir;
  const out = sealRecord(ir, (k, v) => (k === 'rules' ? sealArray(v, sealRule) : data(v))) as IrPolicy;
  sealed.add(out);
  return out;
}

type Child = (key: string, value: unknown) => unknown;

/** A rule: its condition is a node; its cost's base, and each multiplier's condition and value, are nodes. */
function sealRule(rule: unknown): unknown {
  const multiplier = (m: unknown): unknown => sealRecord(m, (k, v) => (k === 'cond' || k === 'value' ? v : data(v)));
  const cost = (c: unknown): unknown => sealRecord(c, (k, v) => (k === 'base' ? v : k === 'multipliers' ? sealArray(v, multiplier) : data(v)));
  return sealRecord(rule, (k, v) => (k === 'cond' ? v : k === 'cost' ? cost(v) : data(v)));
}

/** A frozen copy of plain data: arrays stay arrays, other objects become records over NO_PROTOTYPE. */
function data(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  return Array.isArray(v) ? sealArray(v, data) : sealRecord(v, (_k, x) => data(x));
}

/** A frozen array of `f` of each element (a hole stays undefined: nothing is read from a prototype). */
function sealArray(v: unknown, f: (x: unknown) => unknown): readonly unknown[] {
  const a = v as readonly unknown[];
  const items: unknown[] = [];
  for (let i = 0; i < a.length; i++) items.push(Object.hasOwn(a, i) ? f(a[i]) : undefined);
  return Object.freeze(items);
}

/** A frozen record over NO_PROTOTYPE with `child` of each own enumerable key of `v`. */
function sealRecord(v: unknown, child: Child): object {
  const o = v as Record<string, unknown>;
  const rec = Object.create(NO_PROTOTYPE) as Record<string, unknown>;
  // Assignment finds no setter on NO_PROTOTYPE — not even Object.prototype's `__proto__` — so every
  // key, `__proto__` (an asset's metadata key) included, becomes own data.
  for (const k of Object.keys(o)) rec[k] = child(k, o[k]);
  return Object.freeze(rec);
}

/**
 * A copy of `o`'s own enumerable keys with no Object.prototype behind it: for data the engines hand
 * out (traces, cost breakdowns) whose optional keys callers read as `t.failed`, so no read of one
 * finds a prototype's.
 */
export function record<T extends object>(o: T): T {
  return Object.assign(Object.create(NO_PROTOTYPE) as T, o);
}
