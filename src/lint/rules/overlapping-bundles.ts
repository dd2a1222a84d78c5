/**
 * M408 overlapping-bundles: two bundles share assets, so a quote holding both can use only one of
 * them. Reported once per pair, at the later bundle, saying which one a quote uses: the larger
 * saving, the earlier bundle on equal savings, and never one that costs more than its parts.
 */
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import type { Bundle } from '../../policy/model.js';
import type { LintRule } from '../rule.js';
import { pricing, quotedList, type BundleMoney, type Pricing } from './bundle-money.js';

/** What a quote holding both bundles does with them, in words. */
function choice(earlier: Bundle, a: BundleMoney, later: Bundle, b: BundleMoney, money: Pricing): string {
  const saves = (m: BundleMoney): string => (m.saving >= 0n ? `saves ${money.format(m.saving)}` : `costs ${money.format(-m.saving)} more than its parts`);
  if (a.saving < 0n && b.saving < 0n) return `a quote holding both uses neither ('${earlier.id}' ${saves(a)}, '${later.id}' ${saves(b)})`;
  if (a.saving === b.saving) return `a quote holding both uses the earlier one, '${earlier.id}' (each ${saves(a)})`;
  const [win, wm, lose, lm] = a.saving > b.saving ? [earlier, a, later, b] : [later, b, earlier, a];
  return `a quote holding both uses '${win.id}', which ${saves(wm)} ('${lose.id}' ${saves(lm)})`;
}

export const overlappingBundles: LintRule = {
  code: 'M408',
  run: (policy) => {
    const out: Diagnostic[] = [];
    const money = pricing(policy);
    if (!money) return out;
    // A bundle that can never be quoted (M403, M409) takes part in no choice.
    const priced = policy.bundles.map((b) => [b, money.bundle(b)] as const);
    priced.forEach(([later, lm], j) => {
      if (!lm) return;
      for (const [earlier, em] of priced.slice(0, j)) {
        if (!em) continue;
        const theirs = new Set(earlier.assets);
        const shared = later.assets.filter((a) => theirs.has(a));
        if (shared.length === 0) continue;
        const first = shared[0]!;
        const noun = shared.length === 1 ? 'asset' : 'assets';
        out.push(
          diag('M408', policy.file, later.assetSpans[later.assets.indexOf(first)] ?? later.span, `bundles '${earlier.id}' and '${later.id}' share ${noun} ${quotedList(shared)}: ${choice(earlier, em, later, lm, money)}`, {
            hint: 'a quote uses at most one of two bundles that share an asset; make the bundles disjoint if a basket holding both should get both discounts',
            labels: [{ file: policy.file, span: earlier.assetSpans[earlier.assets.indexOf(first)] ?? earlier.span, message: `'${earlier.id}' also holds '${first}'` }],
          }),
        );
      }
    });
    return out;
  },
};
