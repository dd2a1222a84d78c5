/** M406: an allowing rule with a redirect. */
import { diag } from '../../diag/diagnostic.js';
import type { LintRule } from '../rule.js';

export const redirectOnAllow: LintRule = {
  code: 'M406',
  run: (policy) =>
    policy.rules
      .filter((r) => r.action.allow && r.action.redirect !== undefined)
      .map((r) => diag('M406', policy.file, r.action.redirectSpan ?? r.action.span, `rule '${r.id}' allows access and also declares a redirect`, { hint: 'clients usually follow redirects only on denial; remove it unless yours use it' })),
};
