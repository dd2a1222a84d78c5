/** Run-time values of the IR's semantics, shared by constant folding and the interpreter. */
import type { Scalar } from './ir.js';

/** Marks a value that is absent or of the wrong type: any rule that evaluates it does not match. */
export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;
export type Value = Scalar | readonly Scalar[] | Missing;
