/** Policy schema, sections 1 and 3: rounding, declared request fields (`schema`) and `params`. */
import { doc, type JsonSchema } from './json-schema.js';
import { IDENTIFIER } from './patterns.js';

const TYPE_NAMES = ['string', 'number', 'boolean', 'list<string>', 'list<number>'] as const;

const typeName: JsonSchema = {
  title: 'a type name',
  type: 'string',
  enum: TYPE_NAMES,
  ...doc('One of `string`, `number`, `boolean`, `list<string>`, `list<number>`.'),
};

const field: JsonSchema = {
  title: 'a field declaration',
  anyOf: [
    { ...typeName, title: 'a type name' },
    {
      title: 'a mapping {type, enum, optional, description}',
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { ...typeName, ...doc('The field type. Defaults to `string` when `enum` is given.') },
        enum: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          uniqueItems: true,
          ...doc('The closed set of string values; on a built-in enum field (`user.tier`) it replaces the built-in set.'),
        },
        optional: {
          type: 'boolean',
          default: false,
          ...doc('Whether requests may omit the field; reads then need an `exists(...)` guard.'),
        },
        description: { type: 'string', ...doc('Free text for reviewers.') },
      },
    },
  ],
  ...doc('A field type (`number`, `list<string>`, …) or `{type?, enum?, optional?, description?}`.'),
};

const fieldMap = (markdown: string): JsonSchema => ({
  type: 'object',
  propertyNames: { type: 'string', pattern: IDENTIFIER },
  additionalProperties: field,
  ...doc(markdown),
});

/** The top-level `rounding` key. */
export const ROUNDING: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    decimals: {
      type: 'integer',
      minimum: 0,
      maximum: 6,
      default: 6,
      ...doc('Decimal places token costs are rounded to, 0 to 6. Default `6`.'),
    },
    mode: {
      type: 'string',
      enum: ['ceil', 'floor', 'half_even', 'half_up'],
      default: 'half_even',
      ...doc('Rounding mode: `ceil`, `floor`, `half_even` (default) or `half_up`.'),
    },
  },
  default: { decimals: 6, mode: 'half_even' },
  ...doc('Rounding of token costs. Default `{decimals: 6, mode: half_even}`.'),
};

/** The top-level `schema` key. */
export const SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    user: fieldMap('Extra `user.X` fields (read from `context.X` in camelCase), or narrowed built-in enums.'),
    asset: {
      type: 'object',
      propertyNames: { type: 'string', pattern: IDENTIFIER },
      properties: {
        metadata: {
          type: 'object',
          additionalProperties: field,
          ...doc('`asset.metadata.X` fields, e.g. `compute_cost: number`.'),
        },
      },
      additionalProperties: field,
      ...doc('Extra `asset.X` fields; `metadata` declares the `asset.metadata.X` fields.'),
    },
    request: fieldMap('Extra `request.X` fields, or a narrowed `request.action` enum.'),
  },
  ...doc(
    'Declares extra request fields and narrows or extends enums, by root: `user`, `asset` ' +
      '(with `metadata`), `request`. A field is a type name or `{type, enum, optional, description}`.',
  ),
};

/** The top-level `params` key. */
export const PARAMS: JsonSchema = {
  type: 'object',
  propertyNames: { type: 'string', pattern: IDENTIFIER },
  additionalProperties: {
    title: 'a parameter value',
    anyOf: [
      { title: 'a string', type: 'string' },
      { title: 'a number', type: 'number' },
      { title: 'a boolean', type: 'boolean' },
    ],
    ...doc('The default value; it also fixes the parameter\'s type. Callers may override it per decision.'),
  },
  ...doc('Named parameters usable as `params.NAME` (market data, promo factors). The value is the default.'),
};
