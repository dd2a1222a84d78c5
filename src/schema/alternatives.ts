/** Cuts ajv's error list down to the errors worth reporting: one branch per `anyOf`, no echoes. */
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from './json-schema.js';
import { isWithin, jsonKind } from './describe.js';

/** An ajv error as produced with `verbose: true` (`propertyName` is set under `propertyNames`). */
export type AjvError = ErrorObject & { propertyName?: string };

/** Whether a branch's declared type admits the value's kind (a branch without `type` admits all). */
function admits(branch: JsonSchema, value: unknown): boolean {
  if (branch.type === undefined) return true;
  const kind = jsonKind(value);
  return branch.type === kind || (branch.type === 'number' && kind === 'integer');
}

/**
 * For each `anyOf`/`oneOf` failure keep only the errors of the branch the value was evidently
 * meant for (the one whose type fits, fewest errors first); when no branch's type fits, keep only
 * the `anyOf` error itself, reported as "must be A, B or C". Then drop errors that echo a type
 * error on the same value (an `enum` failing on a number that should be a string).
 */
export function collapseAlternatives(errors: readonly AjvError[]): AjvError[] {
  const dropped = new Set<AjvError>();
  // Schema paths are absolute (the policy schema has no $ref), so outer alternatives come first.
  const alternatives = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const alt of alternatives) {
    if (dropped.has(alt)) continue;
    const prefix = `${alt.schemaPath}/`;
    const inside = errors.filter((e) => e !== alt && e.schemaPath.startsWith(prefix) && isWithin(e.instancePath, alt.instancePath));
    const branches = alt.schema as readonly JsonSchema[];
    const countIn = (i: number): number => inside.filter((e) => e.schemaPath.startsWith(`${prefix}${i}/`)).length;
    let chosen = -1;
    branches.forEach((branch, i) => {
      if (!admits(branch, alt.data) || countIn(i) === 0) return;
      if (chosen < 0 || countIn(i) < countIn(chosen)) chosen = i;
    });
    for (const e of inside) if (chosen < 0 || !e.schemaPath.startsWith(`${prefix}${chosen}/`)) dropped.add(e);
    if (chosen >= 0) dropped.add(alt);
  }
  const kept = errors.filter((e) => !dropped.has(e));
  const mistyped = new Set(kept.filter((e) => e.keyword === 'type' || e.keyword === 'anyOf').map((e) => e.instancePath));
  return kept.filter(
    (e) => e.keyword === 'type' || e.keyword === 'anyOf' || e.propertyName !== undefined || !mistyped.has(e.instancePath),
  );
}
