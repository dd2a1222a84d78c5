/**
 * src/lint/rules/bundles.ts: M403 unknown-bundle-asset (a bundle names an asset missing from the
 * `assets` registry) and M404 bundle-not-discount (a multiplier of 1 or more).
 */
import { describe, expect, it } from 'vitest';
import { bundleAssets, bundleDiscount } from '../../../src/lint/rules/bundles.js';
import { runRule } from '../../helpers/lint-rule.js';

const ASSETS = 'assets:\n  - {id: "model:llm-base", type: model, price: 10}\n  - {id: "dataset:corpus", type: data, price: 5}\n';
const RULES = 'rules:\n  - id: everyone\n    action: {allow: true}\n';

/** A policy with the given bundles (YAML list lines), with or without the asset registry. */
function withBundles(bundles: string, registry = ASSETS): string {
  return `version: "1.0"\n${registry}${RULES}bundles:\n${bundles}`;
}

const bundle = (id: string, assets: string, multiplier = '0.8') => `  - id: ${id}\n    assets: ${assets}\n    price_multiplier: ${multiplier}\n`;

describe('M403: a bundle names an asset that is not in the registry', () => {
  it('reports the asset entry, with a did-you-mean for a typo', () => {
    expect(runRule(bundleAssets, withBundles(bundle('starter', '["model:llm-bse", "dataset:corpus"]')))).toEqual([
      {
        code: 'M403',
        severity: 'warning',
        message: "bundle 'starter' names asset 'model:llm-bse', which is not in the assets registry",
        at: '"model:llm-bse"',
        hint: "did you mean 'model:llm-base'?",
        labels: [],
      },
    ]);
  });

  it('suggests adding an id that resembles nothing, and reports each unknown entry of each bundle', () => {
    const found = runRule(bundleAssets, withBundles(bundle('a', '[api:analytics, "model:llm-base", dataset:market]') + bundle('b', '["api:search", "dataset:corpus"]')));
    expect(found.map((d) => [d.message.split(',')[0], d.at, d.hint])).toEqual([
      ["bundle 'a' names asset 'api:analytics'", 'api:analytics', "add 'api:analytics' to `assets`"],
      ["bundle 'a' names asset 'dataset:market'", 'dataset:market', "add 'dataset:market' to `assets`"],
      ["bundle 'b' names asset 'api:search'", '"api:search"', "add 'api:search' to `assets`"],
    ]);
  });
});

describe('M403 near misses: nothing is reported', () => {
  it('when every bundle asset is registered', () => {
    expect(runRule(bundleAssets, withBundles(bundle('starter', '["model:llm-base", "dataset:corpus"]')))).toEqual([]);
  });

  it('when the policy has no registry: asset ids are then only known to the caller', () => {
    expect(runRule(bundleAssets, withBundles(bundle('starter', '["anything:at-all", "model:llm-bse"]'), ''))).toEqual([]);
  });
});

describe('M404: a bundle that is no discount', () => {
  it('reports a multiplier above 1 at the multiplier', () => {
    expect(runRule(bundleDiscount, withBundles(bundle('pricey', '["model:llm-base", "dataset:corpus"]', '1.2')))).toEqual([
      {
        code: 'M404',
        severity: 'warning',
        message: "bundle 'pricey' has price_multiplier 1.2: buying it costs 18.00 USD against 15.00 USD for its parts one by one",
        at: '1.2',
        hint: 'use a multiplier below 1 (0.8 = 20% off)',
        labels: [],
      },
    ]);
  });

  it('reports exactly 1 too (buying the bundle saves nothing)', () => {
    const found = runRule(bundleDiscount, withBundles(bundle('even', '["model:llm-base", "dataset:corpus"]', '1.0')));
    expect(found.map((d) => [d.code, d.at, d.message])).toEqual([['M404', '1.0', "bundle 'even' has price_multiplier 1: buying it costs 15.00 USD against 15.00 USD for its parts one by one"]]);
  });
});

describe('M404: the amounts, computed as a quote computes them', () => {
  const message = (yaml: string) => runRule(bundleDiscount, yaml).map((d) => d.message);

  it('rounds the bundle once, half-even, in minor units of the currency, and each part on its own', () => {
    // JPY has no minor unit: 0.5 + 0.5 rounds to 0 + 0 singly; (0.5 + 0.5) × 1.5 = 1.5 rounds to 2.
    const yaml = `version: "1.0"\ncurrency: JPY\nassets:\n  - {id: a, price: 0.5}\n  - {id: b, price: "0.5"}\n${RULES}bundles:\n${bundle('x', '[a, b]', '1.5')}`;
    expect(message(yaml)).toEqual(["bundle 'x' has price_multiplier 1.5: buying it costs 2 JPY against 0 JPY for its parts one by one"]);
  });

  it('prices registry assets without a price at default_price, and ids of a policy without a registry too', () => {
    const registry = 'default_price: 2.005\nassets:\n  - {id: "model:llm-base", price: 10}\n  - {id: "dataset:corpus"}\n';
    expect(message(withBundles(bundle('p', '["model:llm-base", "dataset:corpus"]', '1.1'), registry))).toEqual([
      "bundle 'p' has price_multiplier 1.1: buying it costs 13.21 USD against 12.00 USD for its parts one by one",
    ]);
    expect(message(withBundles(bundle('p', '[x, y, z]', '2'), 'default_price: 3\n'))).toEqual(["bundle 'p' has price_multiplier 2: buying it costs 18.00 USD against 9.00 USD for its parts one by one"]);
  });

  it('states no amounts when the prices are not the policy\'s: the unit price of 1, or an asset without a price', () => {
    const generic = (id: string) => `bundle '${id}' has price_multiplier 1.2: buying it costs at least as much as its parts`;
    expect(message(withBundles(bundle('a', '[x, y]', '1.2'), ''))).toEqual([generic('a')]);
    const unpriced = 'assets:\n  - {id: "model:llm-base", price: 10}\n  - {id: "dataset:corpus"}\n';
    expect(message(withBundles(bundle('b', '["model:llm-base", "dataset:corpus"]', '1.2'), unpriced))).toEqual([generic('b')]);
  });
});

describe('M404 near misses: nothing is reported', () => {
  it('for multipliers below 1', () => {
    expect(runRule(bundleDiscount, withBundles(bundle('a', '["model:llm-base", "dataset:corpus"]', '0.99') + bundle('b', '["dataset:corpus", "model:llm-base"]', '0.5')))).toEqual([]);
  });
});
