/**
 * The one door from policy text into the compiler for unit tests. Every test that needs a checked
 * policy or its IR comes through here, so when the front end moves (src/pipeline/) only this file
 * is re-pointed.
 */
import type { TypeMap } from '../../src/check/checker.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { loadPolicyText, toChecked } from '../../src/pipeline/pipeline.js';
import type { Policy } from '../../src/policy/model.js';

/** A policy after the whole front end: the model, its types and everything reported on the way. */
export interface FrontEnd {
  readonly policy: Policy;
  readonly types: TypeMap;
  readonly diagnostics: readonly Diagnostic[];
}

/** One line per diagnostic with the exact source text it points at, for failure messages. */
function describeDiagnostics(diags: readonly Diagnostic[], text: string): string {
  return diags.map((d) => `${d.code} ${d.message} @${d.span.start}: ${JSON.stringify(text.slice(d.span.start, d.span.end))}`).join('\n');
}

/**
 * Run the front end up to lint (yaml, schema, model, check, lint) on policy text. Policies with
 * errors are returned too — rules must cope with them — but text the front end cannot model at all
 * (broken YAML) throws, since no test can go on from there.
 */
export function frontEnd(yaml: string, file = 'policy.yaml'): FrontEnd {
  const r = loadPolicyText(file, yaml, { until: 'lint' });
  if (!r.policy || !r.checked) throw new Error(`the front end could not model the policy:\n${describeDiagnostics(r.diagnostics, yaml)}\n--- policy ---\n${yaml}`);
  return { policy: r.policy, types: r.checked.types, diagnostics: r.diagnostics };
}

/** The lowered IR of a policy that loads without errors; throws with the errors otherwise. */
export function irOfText(yaml: string, file = 'policy.yaml'): IrPolicy {
  const r = loadPolicyText(file, yaml);
  const checked = toChecked(r);
  if (!checked) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    throw new Error(`policy did not load:\n${describeDiagnostics(errors, yaml)}\n--- policy ---\n${yaml}`);
  }
  return checked.ir;
}
