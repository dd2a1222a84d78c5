/**
 * The reference evaluator of IR nodes. Absent or mistyped values are MISSING, and MISSING is
 * absorbing: a condition that evaluates a MISSING value does not hold, whatever surrounds it —
 * `not`, `or` and `!=` included (fail closed). Operators and functions evaluate through their
 * table entries; this file only adds the MISSING discipline around them.
 */
import type { Node, Scalar } from './ir.js';
import { lookupFunction } from '../lang/functions.js';
import { variant, type Operand, type RtValue } from '../lang/operators.js';
import { MISSING, type Value } from './value.js';

/** Reads field `i` (validated), recording the read for explain. */
export type FieldReader = (i: number) => Value;

function isScalar(v: Value): v is Scalar {
  return v !== MISSING && !Array.isArray(v);
}

/** Whether a value is what an operator's operand must be. */
function fits(v: Value, want: Operand): boolean {
  switch (want) {
    case 'scalar':
      return isScalar(v);
    case 'list':
      return Array.isArray(v);
    default:
      return typeof v === want;
  }
}

/** A table evaluator's result as a value: no result, or a non-finite number, is MISSING. */
function result(r: Scalar | undefined): Value {
  if (r === undefined) return MISSING;
  return typeof r === 'number' && !Number.isFinite(r) ? MISSING : r;
}

/** Evaluate a node. */
export function evaluate(n: Node, read: FieldReader): Value {
  switch (n.k) {
    case 'lit':
      return n.value;
    case 'list': {
      const out: Scalar[] = [];
      for (const item of n.items) {
        const v = evaluate(item, read);
        if (!isScalar(v)) return MISSING;
        out.push(v);
      }
      return out;
    }
    case 'field':
      return read(n.field);
    case 'exists':
      return read(n.field) !== MISSING;
    case 'not': {
      const v = evaluate(n.x, read);
      return typeof v === 'boolean' ? !v : MISSING;
    }
    case 'and': {
      const a = evaluate(n.a, read);
      if (a !== true) return a === false ? false : MISSING;
      const b = evaluate(n.b, read);
      return typeof b === 'boolean' ? b : MISSING;
    }
    case 'or': {
      const a = evaluate(n.a, read);
      if (a !== false) return a === true ? true : MISSING;
      const b = evaluate(n.b, read);
      return typeof b === 'boolean' ? b : MISSING;
    }
    case 'op': {
      const v = variant(n.op);
      const args: RtValue[] = [];
      // Operands left to right; the first one of the wrong kind makes the whole node MISSING.
      for (let i = 0; i < n.args.length; i++) {
        const x = evaluate(n.args[i]!, read);
        if (x === MISSING || !fits(x, v.operands[i]!)) return MISSING;
        args.push(x);
      }
      return result(v.evaluate(...args));
    }
    case 'call': {
      const args: RtValue[] = [];
      for (const a of n.args) {
        const x = evaluate(a, read);
        if (x === MISSING) return MISSING;
        args.push(x);
      }
      const f = lookupFunction(n.fn)?.evaluate;
      return f ? result(f(args)) : MISSING;
    }
  }
}
