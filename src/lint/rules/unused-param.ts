/** M407: a param that no expression reads. */
import { diag } from '../../diag/diagnostic.js';
import { pathsOf, type Expr } from '../../expr/ast.js';
import type { LintRule } from '../rule.js';

function collectParams(e: Expr | undefined, into: Set<string>): void {
  if (!e) return;
  for (const p of pathsOf(e)) if (p.root === 'params' && p.segments[0]) into.add(p.segments[0].name);
}

export const unusedParam: LintRule = {
  code: 'M407',
  run: (policy) => {
    // A rule that failed to build may use params in the part that was lost: do not guess.
    if (policy.rules.some((r) => r.broken)) return [];
    const used = new Set<string>();
    for (const r of policy.rules) {
      collectParams(r.condition, used);
      collectParams(r.action.cost?.base, used);
      for (const m of r.action.cost?.multipliers ?? []) {
        collectParams(m.cond, used);
        collectParams(m.value, used);
      }
    }
    return [...policy.params]
      .filter((p) => !used.has(p.name))
      .map((p) => diag('M407', policy.file, p.span, `param '${p.name}' is never used`, { hint: 'remove it, or use it as `params.' + p.name + '`' }));
  },
};
