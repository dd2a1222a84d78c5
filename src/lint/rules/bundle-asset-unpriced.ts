/**
 * M409 bundle-asset-unpriced: a bundle names a registry asset that has no `price`. With a
 * `default_price` the asset is priced at that; without one, quoting it fails with `no_price`, so
 * the bundle never applies.
 */
import { diag, type Diagnostic } from '../../diag/diagnostic.js';
import type { Asset } from '../../policy/model.js';
import type { LintRule } from '../rule.js';

export const bundleAssetUnpriced: LintRule = {
  code: 'M409',
  run: (policy) => {
    const out: Diagnostic[] = [];
    // Without a registry every asset is priced at default_price (or 1): none lacks a price.
    if (policy.assets.length === 0) return out;
    const registry = new Map<string, Asset>();
    for (const a of policy.assets) if (!registry.has(a.id)) registry.set(a.id, a);
    for (const b of policy.bundles) {
      b.assets.forEach((id, i) => {
        const asset = registry.get(id);
        // An id outside the registry is M403's.
        if (!asset || asset.price !== undefined) return;
        const span = b.assetSpans[i] ?? b.span;
        const labels = [{ file: policy.file, span: asset.span, message: `'${id}' is registered here without a price` }];
        if (policy.defaultPrice !== undefined) {
          out.push(diag('M409', policy.file, span, `bundle '${b.id}' names asset '${id}', which has no price: it is priced at default_price ${policy.defaultPrice} ${policy.currency}`, { hint: `give '${id}' its own price unless default_price is meant for it`, labels }));
        } else {
          out.push(diag('M409', policy.file, span, `bundle '${b.id}' names asset '${id}', which has no price and the policy sets no default_price: quoting '${id}' fails with no_price, so '${b.id}' never applies`, { hint: `give '${id}' a price, or set default_price`, labels }));
        }
      });
    }
    return out;
  },
};
