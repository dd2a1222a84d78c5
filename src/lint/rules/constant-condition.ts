/** M402: a condition that reads no field and so always has the same value. */
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import { pathsOf, type Expr } from '../../expr/ast.js';
import type { LintRule } from '../rule.js';

/** Whether an expression reads nothing from the request or params. */
export function isConstant(e: Expr): boolean {
  return pathsOf(e).length === 0;
}

export const constantCondition: LintRule = {
  code: 'M402',
  run: (policy) => {
    const out: Diagnostic[] = [];
    for (const r of policy.rules) {
      const c = r.condition;
      // `condition: true` is the documented way to write "always"; anything else constant is a smell.
      if (c && !(c.kind === 'boolean' && c.value) && isConstant(c)) {
        out.push(
          diag('M402', policy.file, c.span, `the condition of rule '${r.id}' does not depend on the request: it is always the same`, {
            hint: c.kind === 'boolean' ? 'a rule with `condition: false` never applies; remove the rule' : 'compare a request field, e.g. `user.tier == \'pro\'`',
          }),
        );
      }
      for (const m of r.action.cost?.multipliers ?? []) {
        if (isConstant(m.cond)) out.push(diag('M402', policy.file, m.cond.span, `this multiplier 'if' of rule '${r.id}' does not depend on the request`, { hint: 'fold the multiplier into the base, or remove it' }));
      }
    }
    return out;
  },
};
