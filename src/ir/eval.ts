/**
 * The reference evaluator of IR nodes. Absent or mistyped values are MISSING, and MISSING is
 * absorbing: a condition that evaluates a MISSING value does not hold, whatever surrounds it —
 * `not`, `or` and `!=` included (fail closed).
 */
import type { Node, Scalar } from './ir.js';
import { roundTo } from '../runtime/runtime.js';
import { MISSING, type Value } from './value.js';

/** Reads field `i` (validated), recording the read for explain. */
export type FieldReader = (i: number) => Value;

function isScalar(v: Value): v is Scalar {
  return v !== MISSING && !Array.isArray(v);
}

function num(v: Value): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function finite(x: number): Value {
  return Number.isFinite(x) ? x : MISSING;
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
    case 'eq': {
      const a = evaluate(n.a, read);
      if (!isScalar(a)) return MISSING;
      const b = evaluate(n.b, read);
      if (!isScalar(b)) return MISSING;
      return (a === b) !== n.negate;
    }
    case 'order': {
      const a = evaluate(n.a, read);
      if (!isScalar(a)) return MISSING;
      const b = evaluate(n.b, read);
      if (!isScalar(b) || typeof a !== typeof b || typeof a === 'boolean') return MISSING;
      switch (n.op) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
      }
    }
    // falls through only in theory: the switch above returns for every op
    case 'in': {
      const x = evaluate(n.x, read);
      if (!isScalar(x)) return MISSING;
      const list = evaluate(n.list, read);
      if (!Array.isArray(list)) return MISSING;
      return list.includes(x) !== n.negate;
    }
    case 'has': {
      const list = evaluate(n.list, read);
      if (!Array.isArray(list)) return MISSING;
      const x = evaluate(n.x, read);
      if (!isScalar(x)) return MISSING;
      return list.includes(x);
    }
    case 'str': {
      const a = evaluate(n.a, read);
      if (typeof a !== 'string') return MISSING;
      const b = evaluate(n.b, read);
      if (typeof b !== 'string') return MISSING;
      return n.op === 'contains' ? a.includes(b) : n.op === 'starts_with' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'arith': {
      const a = num(evaluate(n.a, read));
      if (a === undefined) return MISSING;
      const b = num(evaluate(n.b, read));
      if (b === undefined) return MISSING;
      switch (n.op) {
        case '+':
          return finite(a + b);
        case '-':
          return finite(a - b);
        case '*':
          return finite(a * b);
        case '/':
          return finite(a / b);
        case '%':
          return finite(a % b);
      }
    }
    // falls through only in theory
    case 'concat': {
      const a = evaluate(n.a, read);
      if (typeof a !== 'string') return MISSING;
      const b = evaluate(n.b, read);
      return typeof b === 'string' ? a + b : MISSING;
    }
    case 'neg': {
      const x = num(evaluate(n.x, read));
      return x === undefined ? MISSING : -x + 0;
    }
    case 'call':
      return call(n.fn, n.args, read);
  }
}

function call(fn: string, args: readonly Node[], read: FieldReader): Value {
  const vals: Value[] = [];
  for (const a of args) {
    const v = evaluate(a, read);
    if (v === MISSING) return MISSING;
    vals.push(v);
  }
  const x = vals[0]!;
  switch (fn) {
    case 'len':
      return typeof x === 'string' || Array.isArray(x) ? x.length : MISSING;
    case 'lower':
      return typeof x === 'string' ? x.toLowerCase() : MISSING;
    case 'upper':
      return typeof x === 'string' ? x.toUpperCase() : MISSING;
  }
  const nums: number[] = [];
  for (const v of vals) {
    if (typeof v !== 'number') return MISSING;
    nums.push(v);
  }
  switch (fn) {
    case 'min':
      return Math.min(...nums);
    case 'max':
      return Math.max(...nums);
    case 'abs':
      return Math.abs(nums[0]!);
    case 'floor':
      return Math.floor(nums[0]!) + 0;
    case 'ceil':
      return Math.ceil(nums[0]!) + 0;
    case 'round':
      return roundTo(nums[0]!, nums[1] ?? 0, 'half_even');
    default:
      return MISSING;
  }
}
