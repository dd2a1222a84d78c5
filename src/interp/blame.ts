/**
 * Explain's blame: which part of a condition that did not hold to point the user at, the values
 * it read, and why it failed. Pure: it only evaluates nodes through the given field reader.
 */
import type { Span } from '../diag/source.js';
import type { IrField, Node } from '../ir/ir.js';
import { evaluate, type FieldReader } from '../ir/eval.js';
import { printNode } from '../ir/print.js';
import { MISSING } from '../ir/value.js';
import { fieldsOf } from '../ir/walk.js';
import { record } from '../ir/seal.js';

/** Why a rule did not decide. */
export interface RuleFailure {
  readonly expression: string;
  readonly span: Span;
  /** Values of the fields the failing expression read (null: absent or of the wrong type). */
  readonly values: Readonly<Record<string, unknown>>;
  /** The fields among `values` that were absent or mistyped. */
  readonly missing: readonly string[];
  /** Why the expression did not hold: it was false, it read an absent or mistyped field, or arithmetic gave no finite number. */
  readonly outcome: 'false' | 'missing' | 'not_finite';
}

/** Blame the sub-expression of condition `n` (which did not evaluate to true) that made it fail. */
export function blame(n: Node, read: FieldReader, fields: readonly IrField[]): RuleFailure {
  let at = n;
  for (;;) {
    if (at.k === 'and') {
      at = evaluate(at.a, read) !== true ? at.a : at.b;
    } else if (at.k === 'or' && evaluate(at.a, read) === MISSING) {
      at = at.a;
    } else if (at.k === 'or' && evaluate(at.b, read) === MISSING) {
      at = at.b;
    } else break;
  }
  // A null-prototype record keyed by path: a path is data, and a missing one finds no prototype's.
  const values = Object.create(null) as Record<string, unknown>;
  const missing: string[] = [];
  for (const i of fieldsOf(at)) {
    const f = fields[i]!;
    const v = read(i);
    values[f.path] = v === MISSING ? null : v;
    if (v === MISSING) missing.push(f.path);
  }
  const result = evaluate(at, read);
  const outcome = result !== MISSING ? 'false' : missing.length > 0 ? 'missing' : 'not_finite';
  return record({ expression: printNode(at, fields), span: at.span, values, missing, outcome });
}
