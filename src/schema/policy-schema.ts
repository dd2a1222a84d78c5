/** The JSON Schema (draft-07) of a whole policy file, as shipped in schema/policy.schema.json. */
import { doc, withoutEditorKeywords, type JsonSchema } from './json-schema.js';
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

/**
 * The same schema without editor-only keywords, shipped as schema/policy.strict.schema.json for
 * validators in strict mode (ajv's default). Its own `$id`, so both can be added to one validator.
 */
export const POLICY_SCHEMA_STRICT: JsonSchema = {
  ...withoutEditorKeywords(POLICY_SCHEMA),
  $id: 'https://monetize.dev/schema/policy-1.0.strict.json',
};

/** The schema files the package ships in schema/, by variant. */
export const SCHEMA_FILES = { editor: 'policy.schema.json', strict: 'policy.strict.schema.json' } as const;

/** The text of a shipped schema file (2-space JSON and a final newline); the editor one by default. */
export function policySchemaJson(variant: keyof typeof SCHEMA_FILES = 'editor'): string {
  return JSON.stringify(variant === 'strict' ? POLICY_SCHEMA_STRICT : POLICY_SCHEMA, null, 2) + '\n';
}
