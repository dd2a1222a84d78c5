/**
 * The built-in functions, one entry each: signature and type rule (the checker), evaluator (the
 * interpreter and constant folding) and how generated code computes it (the code generator).
 * Adding a function is one entry here plus its tests.
 */
import { roundTo } from '../runtime/runtime.js';
import type { RtValue, Scalar } from './operators.js';
import { BOOLEAN, NUMBER, STRING, isStringLike, type Type } from './types.js';

/**
 * How generated code computes a call, with the arguments' code in order. The names are ours.
 * `runtime` calls a helper shipped in every module, after filling absent trailing arguments with
 * `defaults` and appending the `extra` literals.
 */
export type FunctionEmit =
  | { readonly kind: 'property'; readonly name: 'length' }
  | { readonly kind: 'method'; readonly name: 'toLowerCase' | 'toUpperCase' }
  | { readonly kind: 'math'; readonly name: 'min' | 'max' | 'abs' | 'floor' | 'ceil'; readonly normalizeZero?: boolean }
  | { readonly kind: 'runtime'; readonly name: 'roundTo'; readonly defaults: readonly (Scalar | undefined)[]; readonly extra: readonly Scalar[] };

export interface FunctionDef {
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** The expected arguments, as words for messages. */
  readonly params: string;
  /** Checks the argument types; returns the index of the first bad argument, or -1. */
  readonly accepts: (args: readonly Type[]) => number;
  /** A check of literal arguments the types cannot express: the index of a bad one and why, or undefined. */
  readonly literalArgs?: (args: readonly { readonly literal?: Scalar }[]) => { readonly index: number; readonly message: string } | undefined;
  readonly result: Type;
  readonly doc: string;
  /** The value of a call with present arguments, or undefined when there is none. Absent for `exists`, which is structural. */
  readonly evaluate?: (args: readonly RtValue[]) => Scalar | undefined;
  readonly emit?: FunctionEmit;
}

const isNum = (t: Type): boolean => t.kind === 'number' || t.kind === 'unknown';
const isStr = (t: Type): boolean => isStringLike(t) || t.kind === 'unknown';
const allNumbers = (args: readonly Type[]): number => args.findIndex((t) => !isNum(t));
const firstString = (a: readonly Type[]): number => (isStr(a[0]!) ? -1 : 0);

/** The arguments as numbers, or undefined when one is not a number. */
function nums(args: readonly RtValue[]): number[] | undefined {
  const out: number[] = [];
  for (const v of args) {
    if (typeof v !== 'number') return undefined;
    out.push(v);
  }
  return out;
}

/** One-number functions. */
function unary(name: 'abs' | 'floor' | 'ceil', doc: string, f: (x: number) => number): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    params: 'a number',
    accepts: allNumbers,
    result: NUMBER,
    doc,
    evaluate: (a) => (typeof a[0] === 'number' ? f(a[0]) : undefined),
    emit: { kind: 'math', name, ...(name === 'abs' ? {} : { normalizeZero: true }) },
  };
}

function extreme(name: 'min' | 'max', doc: string): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: Infinity,
    params: 'numbers',
    accepts: allNumbers,
    result: NUMBER,
    doc,
    evaluate: (a) => {
      const n = nums(a);
      return n && Math[name](...n);
    },
    emit: { kind: 'math', name },
  };
}

function caseOf(name: 'lower' | 'upper', doc: string): FunctionDef {
  const method = name === 'lower' ? 'toLowerCase' : 'toUpperCase';
  return { name, minArgs: 1, maxArgs: 1, params: 'a string', accepts: firstString, result: STRING, doc, evaluate: (a) => (typeof a[0] === 'string' ? a[0][method]() : undefined), emit: { kind: 'method', name: method } };
}

/** Every built-in function, in the order the docs list them. */
export const FUNCTION_LIST: readonly FunctionDef[] = [
  { name: 'exists', minArgs: 1, maxArgs: 1, params: 'a field path', accepts: () => -1, result: BOOLEAN, doc: 'true when the request carries the field with the right type' },
  {
    name: 'len',
    minArgs: 1,
    maxArgs: 1,
    params: 'a string or a list',
    accepts: (a) => (isStr(a[0]!) || a[0]!.kind === 'list' ? -1 : 0),
    result: NUMBER,
    doc: 'length of a string (UTF-16 units) or a list',
    evaluate: (a) => {
      const x = a[0];
      return typeof x === 'string' || Array.isArray(x) ? x.length : undefined;
    },
    emit: { kind: 'property', name: 'length' },
  },
  extreme('min', 'the smallest argument'),
  extreme('max', 'the largest argument'),
  unary('abs', 'absolute value', Math.abs),
  unary('floor', 'round down to an integer', (x) => Math.floor(x) + 0),
  unary('ceil', 'round up to an integer', (x) => Math.ceil(x) + 0),
  {
    name: 'round',
    minArgs: 1,
    maxArgs: 2,
    params: 'a number and optional digits (0..6)',
    accepts: allNumbers,
    literalArgs: (args) => {
      const d = args[1];
      if (d === undefined) return undefined;
      const v = d.literal;
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 6 ? undefined : { index: 1, message: 'round() digits must be a whole number literal from 0 to 6' };
    },
    result: NUMBER,
    doc: 'round half-even to `digits` decimals (default 0)',
    evaluate: (a) => {
      const n = nums(a);
      return n && roundTo(n[0]!, n[1] ?? 0, 'half_even');
    },
    emit: { kind: 'runtime', name: 'roundTo', defaults: [undefined, 0], extra: ['half_even'] },
  },
  caseOf('lower', 'lower-case'),
  caseOf('upper', 'upper-case'),
];

/** Every built-in function by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(FUNCTION_LIST.map((f) => [f.name, f]));

/** A built-in function by name (a Map entry, so `constructor` is not one). */
export function lookupFunction(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name);
}
