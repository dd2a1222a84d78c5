/** M401: a denying rule with a cost — the cost is never charged. */
import { diag } from '../../diag/diagnostic.js';
import type { LintRule } from '../rule.js';

export const costOnDeny: LintRule = {
  code: 'M401',
  run: (policy) =>
    policy.rules
      .filter((r) => !r.action.allow && r.action.cost)
      .map((r) => diag('M401', policy.file, r.action.cost!.span, `rule '${r.id}' denies access but declares a cost, which is never charged`, { hint: 'remove the cost or set `allow: true`' })),
};
