/**
 * Checking param overrides that a person wrote (`explain --params`, `params:` in a test case)
 * against the params the policy declares. At decision time an override of the wrong type counts
 * as absent, so the rule reading it quietly stops matching; someone trying a value by hand wants
 * to hear that `"2"` is not the number they meant, and which names the policy has.
 */
import { oneLine } from '../diag/escape.js';
import { didYouMean } from '../diag/suggest.js';
import type { IrParam } from '../ir/ir.js';

/** One override the policy would not use: what is wrong, and how to fix it (both safe to print). */
export interface ParamProblem {
  /** `unknown`: the policy declares no such param; `type`: the value is not of its declared type. */
  readonly kind: 'unknown' | 'type';
  readonly name: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * The problems of `overrides` (own enumerable keys, in their order): names the policy does not
 * declare, and values that are not of the declared type (a number must be finite, as `decide`
 * requires).
 */
export function checkParamOverrides(declared: readonly IrParam[], overrides: Readonly<Record<string, unknown>>): ParamProblem[] {
  const byName = new Map(declared.map((p) => [p.name, p]));
  const problems: ParamProblem[] = [];
  for (const name of Object.keys(overrides)) {
    const param = byName.get(name);
    if (param === undefined) {
      const names = declared.map((p) => p.name);
      problems.push({
        kind: 'unknown',
        name,
        message: oneLine(`the policy defines no param '${name}'`),
        hint: didYouMean(name, names) ?? (names.length ? `the policy's params are ${names.map((n) => `'${n}'`).join(', ')}` : 'the policy defines no params at all'),
      });
      continue;
    }
    const value = overrides[name];
    if (hasKind(value, param.kind)) continue;
    problems.push({
      kind: 'type',
      name,
      message: oneLine(`param '${name}' is declared as a ${param.kind} (default ${JSON.stringify(param.value)}), but the override is ${describe(value)}`),
      hint: oneLine(fix(value, param)),
    });
  }
  return problems;
}

/** Whether a value is one `decide` accepts for a param of this kind. */
function hasKind(v: unknown, kind: IrParam['kind']): boolean {
  return kind === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === kind;
}

/** A value in the words of a message: `the string "2"`, `null`, `a list`. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return Number.isFinite(v) ? `the number ${v}` : `the number ${String(v)}, which is not finite`;
    case 'boolean':
      return `the boolean ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

/** How to write the value the user most likely meant. */
function fix(v: unknown, param: IrParam): string {
  if (typeof v === 'string') {
    const trimmed = v.trim();
    if (param.kind === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) return `write the number without quotes: ${Number(trimmed)}`;
    if (param.kind === 'boolean' && (trimmed === 'true' || trimmed === 'false')) return `write the boolean without quotes: ${trimmed}`;
  }
  if (param.kind === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `quote it to make it a string: "${String(v)}"`;
  return `give a ${param.kind}, like the default ${JSON.stringify(param.value)}`;
}
