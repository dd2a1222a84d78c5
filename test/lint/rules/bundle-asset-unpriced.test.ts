/**
 * src/lint/rules/bundle-asset-unpriced.ts: M409 bundle-asset-unpriced, a bundle naming a registry
 * asset that has no price (priced at default_price, or never quotable without one).
 */
import { describe, expect, it } from 'vitest';
import { bundleAssetUnpriced } from '../../../src/lint/rules/bundle-asset-unpriced.js';
import { createQuoter } from '../../../src/money/engine.js';
import { irOfText } from '../../helpers/front-end.js';
import { runRule } from '../../helpers/lint-rule.js';

const RULES = 'rules:\n  - id: everyone\n    action: {allow: true}\n';
const ASSETS = 'assets:\n  - {id: "model:llm-base", price: 10}\n  - {id: "dataset:corpus", type: data}\n  - {id: "api:search"}\n';

function withBundles(bundles: string, head = ''): string {
  return `version: "1.0"\n${head}${ASSETS}${RULES}bundles:\n${bundles}`;
}

const bundle = (id: string, assets: string) => `  - id: ${id}\n    assets: ${assets}\n    price_multiplier: 0.8\n`;

describe('M409: a bundle names a registry asset without a price', () => {
  it('without default_price: the bundle never applies, since quoting the asset fails with no_price', () => {
    const yaml = withBundles(bundle('starter', '["model:llm-base", "dataset:corpus"]'));
    expect(runRule(bundleAssetUnpriced, yaml)).toEqual([
      {
        code: 'M409',
        severity: 'warning',
        message: "bundle 'starter' names asset 'dataset:corpus', which has no price and the policy sets no default_price: quoting 'dataset:corpus' fails with no_price, so 'starter' never applies",
        at: '"dataset:corpus"',
        hint: "give 'dataset:corpus' a price, or set default_price",
        labels: [{ at: '{id: "dataset:corpus", type: data}', message: "'dataset:corpus' is registered here without a price" }],
      },
    ]);
    // What the message claims, from the quote engine.
    expect(createQuoter(irOfText(yaml).quote)(['model:llm-base', 'dataset:corpus'])).toMatchObject({ error: 'no_price', assetId: 'dataset:corpus' });
  });

  it('with default_price: says the asset is priced at it', () => {
    const yaml = withBundles(bundle('starter', '["model:llm-base", "dataset:corpus"]'), 'currency: EUR\ndefault_price: 2.5\n');
    expect(runRule(bundleAssetUnpriced, yaml).map((d) => [d.message, d.at, d.hint])).toEqual([
      ["bundle 'starter' names asset 'dataset:corpus', which has no price: it is priced at default_price 2.5 EUR", '"dataset:corpus"', "give 'dataset:corpus' its own price unless default_price is meant for it"],
    ]);
    // 10 + 2.50 = 12.50 × 0.8 = 10.00: the bundle applies at the default price.
    expect(createQuoter(irOfText(yaml).quote)(['dataset:corpus', 'model:llm-base'])).toMatchObject({ lines: [{ bundleId: 'starter', amountMinor: 1000 }], subtotalMinor: 1000 });
  });

  it('reports each unpriced entry of each bundle, in order', () => {
    const found = runRule(bundleAssetUnpriced, withBundles(bundle('a', '["api:search", "model:llm-base", "dataset:corpus"]') + bundle('b', '["api:search", "model:llm-base"]')));
    expect(found.map((d) => [d.message.split(',')[0], d.at])).toEqual([
      ["bundle 'a' names asset 'api:search'", '"api:search"'],
      ["bundle 'a' names asset 'dataset:corpus'", '"dataset:corpus"'],
      ["bundle 'b' names asset 'api:search'", '"api:search"'],
    ]);
  });
});

describe('M409 near misses: nothing is reported', () => {
  it('when every bundle asset has a price', () => {
    const yaml = `version: "1.0"\nassets:\n  - {id: a, price: 1}\n  - {id: b, price: 0}\n  - {id: c}\n${RULES}bundles:\n${bundle('ab', '[a, b]')}`;
    expect(runRule(bundleAssetUnpriced, yaml)).toEqual([]);
  });

  it('for an id outside the registry (that is M403)', () => {
    expect(runRule(bundleAssetUnpriced, withBundles(bundle('x', '["model:llm-base", "ghost"]')))).toEqual([]);
  });

  it('without a registry: every id is then priced at default_price, or 1', () => {
    expect(runRule(bundleAssetUnpriced, `version: "1.0"\n${RULES}bundles:\n${bundle('x', '[a, b]')}`)).toEqual([]);
  });
});
