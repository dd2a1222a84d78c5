/** The lint rules, and the user's severity overrides (warnings and infos only: errors stay errors). */
import type { Diagnostic, Severity } from '../diag/diagnostic.js';
import { CODES, type Code } from '../diag/codes.js';
import type { TypeMap } from '../check/checker.js';
import type { Policy } from '../policy/model.js';
import type { LintRule } from './rule.js';
import { bundleAssetUnpriced } from './rules/bundle-asset-unpriced.js';
import { bundleAssets, bundleDiscount } from './rules/bundles.js';
import { constantCondition } from './rules/constant-condition.js';
import { costOnDeny } from './rules/cost-on-deny.js';
import { overlappingBundles } from './rules/overlapping-bundles.js';
import { reachability } from './rules/reachability.js';
import { redirectOnAllow } from './rules/redirect-on-allow.js';
import { taxRuleShadowed } from './rules/tax-rule-shadowed.js';
import { unusedParam } from './rules/unused-param.js';

/** Every lint rule, in the order they run. */
export const LINT_RULES: readonly LintRule[] = [reachability, costOnDeny, constantCondition, bundleAssets, bundleDiscount, bundleAssetUnpriced, overlappingBundles, taxRuleShadowed, redirectOnAllow, unusedParam];

export interface LintOptions {
  /** Re-level or silence (`off`) non-error codes, e.g. `{M307: 'error', M406: 'off'}`. */
  readonly severity?: Readonly<Partial<Record<Code, Severity | 'off'>>>;
}

/** Run every lint rule over a checked policy. */
export function lintPolicy(policy: Policy, types: TypeMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of LINT_RULES) out.push(...rule.run(policy, types));
  return out;
}

/** Apply severity overrides to any diagnostics; errors can never be downgraded. */
export function applySeverity(diags: readonly Diagnostic[], opts: LintOptions): Diagnostic[] {
  const sev = opts.severity;
  if (!sev) return [...diags];
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const want = sev[d.code];
    if (want === undefined || CODES[d.code].severity === 'error') out.push(d);
    else if (want !== 'off') out.push({ ...d, severity: want });
  }
  return out;
}
