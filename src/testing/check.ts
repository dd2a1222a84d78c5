/**
 * The checks of test cases that need their policy: param overrides the policy would not use
 * (M502) and expected `policyId`s no decision of the policy can have (M503). Either would make a
 * case pass or fail for a reason its author did not intend, so they are reported, located in the
 * test file, before anything runs.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { oneLine } from '../diag/escape.js';
import { didYouMean } from '../diag/suggest.js';
import type { IrPolicy } from '../ir/ir.js';
import { checkParamOverrides } from '../interp/params.js';
import { loadPolicyFile, toChecked } from '../pipeline/pipeline.js';
import { loadTestFile, type TestCase, type TestFile } from './load.js';

/** The `policyId`s that no rule has: the decisions the runtime itself makes. */
const BUILT_IN_DECISIONS = ['default_deny', 'invalid_request'] as const;

/** Diagnostics for cases whose params or expected `policyId` do not fit `ir`, the policy at `policyPath`. */
export function checkCases(cases: readonly TestCase[], ir: IrPolicy, policyPath: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = [...ir.rules.map((r) => r.id), ...BUILT_IN_DECISIONS];
  const known = new Set(ids);
  for (const c of cases) {
    // A quote case has no params and no policyId; what it quotes is checked by running it.
    if (c.kind === 'quote') continue;
    for (const p of checkParamOverrides(ir.params, c.params ?? {})) {
      const at = c.spans.params.get(p.name);
      // An unknown name is wrong where it is written; a wrong value, where the value is.
      out.push(diag('M502', c.file, at ? (p.kind === 'type' ? at.value : at.key) : c.span, `case '${oneLine(c.name)}': ${p.message}`, { hint: p.hint }));
    }
    const id = c.expect.policyId;
    if (id !== undefined && !known.has(id)) {
      out.push(
        diag('M503', c.file, c.spans.policyId ?? c.span, oneLine(`case '${c.name}' expects policyId '${id}', which is not a rule of ${policyPath}`), {
          hint: didYouMean(id, ids) ?? `a decision's policyId is the id of the rule that decided, or ${BUILT_IN_DECISIONS.join(' or ')}`,
        }),
      );
    }
  }
  return out;
}

/**
 * A test file checked as `monetize test` would before running it: its own problems, and, when it
 * names a policy that loads without errors, the problems of its cases against that policy.
 */
export function checkTestFile(path: string): TestFile {
  const file = loadTestFile(path);
  if (file.policy === undefined) return file;
  const checked = toChecked(loadPolicyFile(file.policy));
  if (checked === undefined) return file;
  return { ...file, diagnostics: [...file.diagnostics, ...checkCases(file.cases, checked.ir, file.policy)] };
}
