/** Policy schema, sections 1 and 5: the asset registry, bundles, tax and offers. */
import { doc, type JsonSchema } from './json-schema.js';
import { DECIMAL, REGION } from './patterns.js';

const stringList = (markdown: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, ...doc(markdown) });

const asset: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, ...doc('The asset id requests name as `assetId`, e.g. `model:llm-base`.') },
    type: {
      type: 'string',
      minLength: 1,
      ...doc('`asset.type`: one of the `asset.type` enum — `content`, `code`, `data` or `model` unless `schema.asset.type` declares another enum (checked by the type checker).'),
    },
    tags: stringList('`asset.tags`, e.g. `[premium]`.'),
    matrix_id: { type: 'string', ...doc('`asset.matrix_id`: the asset-matrix cell the asset belongs to.') },
    price: {
      title: 'a price',
      anyOf: [
        { title: 'a non-negative number', type: 'number', minimum: 0 },
        { title: 'a decimal string', type: 'string', pattern: DECIMAL },
      ],
      ...doc('Price in the policy `currency`, a number or a decimal string (`"19.99"`). Used by quotes and bundles.'),
    },
    tax_code: { type: 'string', ...doc('Tax code for this asset, overriding `tax.default_code`.') },
    metadata: {
      type: 'object',
      ...doc('Free-form `asset.metadata.X` values; declare the fields you read under `schema.asset.metadata`.'),
    },
  },
  ...doc('An asset registry entry. Request data (`asset` in the request) overlays it field by field.'),
};

const bundle: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'assets', 'price_multiplier'],
  properties: {
    id: { type: 'string', minLength: 1, ...doc('Unique bundle id, reported on quote lines as `bundleId`.') },
    assets: {
      type: 'array',
      items: { type: 'string' },
      minItems: 2,
      uniqueItems: true,
      ...doc('The asset ids that make up the bundle: at least 2, all different.'),
    },
    price_multiplier: {
      type: 'number',
      exclusiveMinimum: 0,
      ...doc('Multiplies the sum of the bundled assets\' prices, e.g. `0.8` for 20 % off. Must be > 0.'),
    },
    description: { type: 'string', ...doc('Free text for reviewers.') },
  },
  ...doc('A bundle applies when all of its assets are in a quote; the cheapest set of disjoint bundles is used.'),
};

const region: JsonSchema = {
  title: 'a region',
  anyOf: [
    { title: 'a country code', type: 'string', pattern: REGION },
    { title: 'a list of country codes', type: 'array', minItems: 1, items: { type: 'string', pattern: REGION } },
  ],
  ...doc('A country code (`DE`), a list of codes, or `EU` for the 27 member states.'),
};

const taxRule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['region', 'code', 'rate'],
  properties: {
    region,
    code: { type: 'string', ...doc('The tax code reported on the tax line.') },
    rate: {
      title: 'a tax rate',
      anyOf: [
        { title: 'a number from 0 to 1', type: 'number', minimum: 0, maximum: 1 },
        { title: "the string 'vat'", type: 'string', const: 'vat' },
      ],
      ...doc('A rate from 0 to 1 (`0.19`), or `vat` for the country\'s standard VAT rate from the built-in table.'),
    },
    reverse_charge: {
      type: 'boolean',
      default: false,
      ...doc('When true and the user has a `vat_id`, the rate is 0 and the line is marked reverse charge.'),
    },
  },
  ...doc('The first tax rule whose region contains `user.country` gives the tax code and rate.'),
};

/** The top-level `assets` key. */
export const ASSETS: JsonSchema = {
  type: 'array',
  items: asset,
  ...doc('Optional asset registry: `id`, `type`, `tags`, `matrix_id`, `price`, `tax_code`, `metadata`.'),
};

/** The top-level `bundles` key. */
export const BUNDLES: JsonSchema = {
  type: 'array',
  items: bundle,
  ...doc('Asset-matrix bundles: `id`, `assets` (at least 2 ids), `price_multiplier` (> 0).'),
};

/** The top-level `tax` key. */
export const TAX: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    default_code: { type: 'string', ...doc('Tax code used, with rate 0, when no tax rule matches.') },
    inclusive: { type: 'boolean', default: false, ...doc('Whether prices include tax. Default `false`.') },
    rules: { type: 'array', items: taxRule, ...doc('Tax rules, first match wins: `{region, code, rate, reverse_charge?}`.') },
  },
  ...doc('Tax on quotes: `default_code`, `inclusive`, and `rules`.'),
};

/** The top-level `offers` key. */
export const OFFERS: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'price_ids'],
    properties: {
      id: { type: 'string', minLength: 1, ...doc('Unique offer id.') },
      price_ids: stringList('Payment-provider price ids that buy this offer (e.g. Stripe `price_...`).'),
      grants: {
        type: 'object',
        additionalProperties: false,
        properties: {
          tokens: { type: 'number', minimum: 0, ...doc('Tokens added to `user.token_balance`.') },
          tier: { type: 'string', ...doc('The `user.tier` the payment grants.') },
          entitlements: stringList('Entitlements added to `user.entitlements`.'),
        },
        ...doc('What a payment for this offer grants: `tokens`, `tier`, `entitlements`.'),
      },
      description: { type: 'string', ...doc('Free text for reviewers.') },
    },
    ...doc('What a payment buys; used by the simulator and the runtime webhook handling.'),
  },
  ...doc('What payments buy: `{id, price_ids, grants: {tokens?, tier?, entitlements?}}`.'),
};
