/** Built-in functions: their signatures (here) and their evaluation (in the runtime helpers). */
import { NUMBER, STRING, BOOLEAN, isStringLike, type Type } from '../lang/types.js';

export interface FunctionSig {
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** The expected type of argument i, as words for messages. */
  readonly params: string;
  /** Checks the argument types; returns the index of the first bad argument, or -1. */
  readonly accepts: (args: readonly Type[]) => number;
  readonly result: Type;
  readonly doc: string;
}

const isNum = (t: Type): boolean => t.kind === 'number' || t.kind === 'unknown';
const isStr = (t: Type): boolean => isStringLike(t) || t.kind === 'unknown';
const allNumbers = (args: readonly Type[]): number => args.findIndex((t) => !isNum(t));

function sig(name: string, minArgs: number, maxArgs: number, params: string, accepts: FunctionSig['accepts'], result: Type, doc: string): FunctionSig {
  return { name, minArgs, maxArgs, params, accepts, result, doc };
}

/** Every built-in function by name. `exists` is special-cased by the checker (its argument must be a path). */
export const FUNCTIONS: ReadonlyMap<string, FunctionSig> = new Map(
  [
    sig('exists', 1, 1, 'a field path', () => -1, BOOLEAN, 'true when the request carries the field with the right type'),
    sig('len', 1, 1, 'a string or a list', (a) => (isStr(a[0]!) || a[0]!.kind === 'list' ? -1 : 0), NUMBER, 'length of a string (UTF-16 units) or a list'),
    sig('min', 1, Infinity, 'numbers', allNumbers, NUMBER, 'the smallest argument'),
    sig('max', 1, Infinity, 'numbers', allNumbers, NUMBER, 'the largest argument'),
    sig('abs', 1, 1, 'a number', allNumbers, NUMBER, 'absolute value'),
    sig('floor', 1, 1, 'a number', allNumbers, NUMBER, 'round down to an integer'),
    sig('ceil', 1, 1, 'a number', allNumbers, NUMBER, 'round up to an integer'),
    sig('round', 1, 2, 'a number and optional digits (0..6)', allNumbers, NUMBER, 'round half-even to `digits` decimals (default 0)'),
    sig('lower', 1, 1, 'a string', (a) => (isStr(a[0]!) ? -1 : 0), STRING, 'lower-case'),
    sig('upper', 1, 1, 'a string', (a) => (isStr(a[0]!) ? -1 : 0), STRING, 'upper-case'),
  ].map((s) => [s.name, s]),
);

/** Whether a name is a built-in function (an own entry, so `constructor` is not one). */
export function lookupFunction(name: string): FunctionSig | undefined {
  return FUNCTIONS.get(name);
}
