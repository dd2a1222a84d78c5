/** The JSON Schema (draft-07) of a whole policy file, as shipped in schema/policy.schema.json. */
import { doc, type JsonSchema } from './json-schema.js';
import { CURRENCY } from './patterns.js';
import { RULES } from './schema-rules.js';
import { PARAMS, ROUNDING, SCHEMA } from './schema-fields.js';
import { ASSETS, BUNDLES, OFFERS, TAX } from './schema-catalog.js';

/** Policy format versions this monetize understands. */
export const SUPPORTED_VERSIONS = ['1.0'] as const;

/** The policy file schema; draft-07 because yaml-language-server supports it best. */
export const POLICY_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://monetize.dev/schema/policy-1.0.json',
  title: 'monetize policy',
  ...doc('A monetize pricing/access policy: rules deciding access and token cost, plus bundles, tax and offers.'),
  type: 'object',
  additionalProperties: false,
  required: ['version', 'rules'],
  properties: {
    version: {
      type: 'string',
      enum: SUPPORTED_VERSIONS,
      examples: ['1.0'],
      ...doc('Policy format version; `"1.0"` is the only one today. Quote it: `version: "1.0"`.'),
    },
    currency: {
      type: 'string',
      pattern: CURRENCY,
      default: 'USD',
      examples: ['USD', 'EUR', 'JPY'],
      ...doc('ISO 4217 code of asset prices, bundle prices and tax amounts. Default `USD`.'),
    },
    rounding: ROUNDING,
    schema: SCHEMA,
    params: PARAMS,
    assets: ASSETS,
    default_price: {
      type: 'number',
      minimum: 0,
      default: 1,
      ...doc('Price of an asset with no registry `price`, in `currency`. Default `1`.'),
    },
    rules: RULES,
    bundles: BUNDLES,
    tax: TAX,
    offers: OFFERS,
  },
};

/** The schema as the text of schema/policy.schema.json (2-space JSON and a final newline). */
export function policySchemaJson(): string {
  return JSON.stringify(POLICY_SCHEMA, null, 2) + '\n';
}
