/**
 * M400 unreachable-rule and M405 duplicate-condition: rules that an earlier rule (in evaluation
 * order) always or identically pre-empts.
 */
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import type { Expr } from '../../expr/ast.js';
import { printExpr } from '../../expr/print.js';
import { evaluationOrder, type Rule } from '../../policy/model.js';
import type { LintRule } from '../rule.js';

/** A rule that decides every request it sees: no condition (or `true`) and a cost that cannot fail. */
function alwaysDecides(r: Rule): boolean {
  const c = r.condition;
  const always = !c || (c.kind === 'boolean' && c.value);
  const cost = r.action.cost;
  const nonNegative = (e: Expr): number | undefined => (e.kind === 'number' && e.value >= 0 ? e.value : undefined);
  // Only literal costs are known not to fail (`1 - 2` is constant too, and always fails), and
  // only when no combination of multipliers can overflow.
  let costCannotFail = !cost;
  if (cost) {
    const base = nonNegative(cost.base);
    const factors = cost.multipliers.map((m) => (m.cond.kind === 'boolean' ? (m.cond.value ? nonNegative(m.value) : 1) : undefined));
    costCannotFail = base !== undefined && factors.every((f) => f !== undefined) && Number.isFinite(factors.reduce((a: number, f) => a * Math.max(1, f!), base));
  }
  return always && costCannotFail;
}

export const reachability: LintRule = {
  code: 'M400',
  run: (policy) => {
    const out: Diagnostic[] = [];
    const ordered = evaluationOrder(policy.rules);
    const seen = new Map<string, Rule>();
    let blocker: Rule | undefined;
    for (const r of ordered) {
      // A rule with a reported error has an incomplete condition: it proves nothing either way.
      if (r.broken) continue;
      if (blocker) {
        out.push(
          diag('M400', policy.file, r.idSpan, `rule '${r.id}' can never decide: rule '${blocker.id}' (priority ${blocker.priority}) matches every request first`, {
            hint: `give '${r.id}' a priority above ${blocker.priority}, narrow '${blocker.id}', or remove '${r.id}'`,
            labels: [{ file: policy.file, span: blocker.idSpan, message: `'${blocker.id}' always matches` }],
          }),
        );
        continue;
      }
      if (r.condition) {
        const key = printExpr(r.condition);
        const first = seen.get(key);
        if (first) {
          out.push(
            diag('M405', policy.file, r.condition.span, `rule '${r.id}' has the same condition as '${first.id}', which is evaluated first`, {
              hint: `'${r.id}' only decides when the cost of '${first.id}' cannot be computed; merge the two rules or make the conditions differ`,
              labels: [{ file: policy.file, span: first.condition!.span, message: `same condition in '${first.id}'` }],
            }),
          );
        } else seen.set(key, r);
      }
      if (alwaysDecides(r)) blocker = r;
    }
    return out;
  },
};
