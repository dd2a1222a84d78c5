/** M403 unknown-bundle-asset and M404 bundle-not-discount (with what the bundle and its parts cost, when the policy states the prices). */
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import { didYouMean } from '../../diag/suggest.js';
import type { LintRule } from '../rule.js';
import { pricing } from './bundle-money.js';

export const bundleAssets: LintRule = {
  code: 'M403',
  run: (policy) => {
    const out: Diagnostic[] = [];
    // Without a registry, asset ids are only known to the caller: nothing to check against.
    if (policy.assets.length === 0) return out;
    const ids = new Set(policy.assets.map((a) => a.id));
    for (const b of policy.bundles) {
      b.assets.forEach((a, i) => {
        if (!ids.has(a)) {
          out.push(diag('M403', policy.file, b.assetSpans[i] ?? b.span, `bundle '${b.id}' names asset '${a}', which is not in the assets registry`, { hint: didYouMean(a, ids) ?? `add '${a}' to \`assets\`` }));
        }
      });
    }
    return out;
  },
};

export const bundleDiscount: LintRule = {
  code: 'M404',
  run: (policy) => {
    const money = pricing(policy);
    return policy.bundles
      .filter((b) => b.priceMultiplier >= 1)
      .map((b) => {
        // The amounts are shown only when the policy states the prices (not the unit price of 1).
        const m = money?.bundle(b);
        const cost = m?.stated ? `buying it costs ${money!.format(m.amount)} against ${money!.format(m.parts)} for its parts one by one` : 'buying it costs at least as much as its parts';
        return diag('M404', policy.file, b.multiplierSpan, `bundle '${b.id}' has price_multiplier ${b.priceMultiplier}: ${cost}`, { hint: 'use a multiplier below 1 (0.8 = 20% off)' });
      });
  },
};
