/** The JSON Schema of `*.test.yaml` files, plus `requests` lists. */
import type { JsonSchema } from '../schema/json-schema.js';
import { doc } from '../schema/json-schema.js';
import type { QuoteErrorCode } from '../money/engine.js';

const EXPECT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allowed: { type: 'boolean', ...doc('Whether access is allowed.') },
    policyId: { type: 'string', ...doc('The deciding rule id, or `default_deny` / `invalid_request`.') },
    reason: { type: ['string', 'null'] as const, ...doc('The reason; `null` asserts that there is none.') },
    cost: { type: ['number', 'null'] as const, ...doc('The token cost, compared after rounding; `null` asserts that there is none.') },
    redirect: { type: ['string', 'null'] as const, ...doc('The redirect; `null` asserts that there is none.') },
  },
  ...doc('A partial decision: only the keys given are compared.'),
};

// Every code of the engine's `QuoteErrorCode`, no more: a new code that is not listed here fails to compile.
const ERROR_CODES: Readonly<Record<QuoteErrorCode, true>> = {
  invalid_assets: true,
  too_many_assets: true,
  duplicate_asset: true,
  unknown_asset: true,
  no_price: true,
  invalid_request: true,
  unknown_country: true,
  too_complex: true,
  amount_too_large: true,
};

/** The quote error codes a case may expect. */
export const QUOTE_ERROR_CODES = Object.keys(ERROR_CODES) as readonly QuoteErrorCode[];

const MINOR: JsonSchema = { type: 'integer' };

const QUOTE_LINE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bundleId: { type: ['string', 'null'] as const, ...doc('The bundle of the line; `null` asserts a single-asset line.') },
    assets: { type: 'array', items: { type: 'string' }, ...doc('The assets of the line, in order.') },
    amountMinor: { ...MINOR, ...doc('The line amount in minor units.') },
    taxCode: { type: ['string', 'null'] as const, ...doc('The tax code of the line; `null` asserts that it has none.') },
    taxMinor: { ...MINOR, ...doc('The tax of the line in minor units.') },
  },
  ...doc('A partial quote line: only the keys given are compared.'),
};

const QUOTE_TAX_LINE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: { type: 'string', ...doc('The tax code.') },
    rate: { type: 'number', ...doc('The rate applied, e.g. 0.19.') },
    amountMinor: { ...MINOR, ...doc('The tax of this code in minor units.') },
    reverseCharge: { type: 'boolean', ...doc('Whether the line is reverse charge.') },
  },
  ...doc('A partial tax line: only the keys given are compared.'),
};

const QUOTE_EXPECT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    totalMinor: { ...MINOR, ...doc('The total in minor units (cents for USD and EUR).') },
    subtotalMinor: { ...MINOR, ...doc('The pre-tax subtotal in minor units.') },
    taxMinor: { ...MINOR, ...doc('The tax in minor units.') },
    lines: { type: 'array', items: QUOTE_LINE, ...doc('The lines, in order: as many as the quote has, each a partial line.') },
    tax: { type: 'array', items: QUOTE_TAX_LINE, ...doc('The tax lines, in order: as many as the quote has, each a partial tax line.') },
    error: { enum: [...QUOTE_ERROR_CODES], ...doc('The quote must fail with this error code.') },
  },
  ...doc('A partial quote: only the keys given are compared.'),
};

const QUOTE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['assets', 'expect'],
  properties: {
    assets: { type: 'array', items: { type: 'string' }, ...doc('The asset ids to quote together.') },
    user: { type: 'object', ...doc("The buyer, as a request's context: `country`, `vatId`.") },
    expect: QUOTE_EXPECT,
  },
  ...doc('A quote of a set of assets and the expected result.'),
};

const CASE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  // `expect` is required of decision cases only; the loader says so (a quote case has its own).
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, ...doc('What the case checks; shown in reports.') },
    request: { type: 'object', ...doc('One access request.') },
    requests: { type: 'array', minItems: 1, items: { type: 'object' }, ...doc('Several requests that share one expectation.') },
    params: { type: 'object', ...doc('Param overrides for this case.') },
    expect: EXPECT,
    quote: QUOTE,
    description: { type: 'string', ...doc('Free text.') },
  },
  ...doc('One test case: a request (or requests) and the expected decision, or a quote and the expected price.'),
};

/** The keys a test case may have; any other is an unknown key (M500). */
export const CASE_KEYS: readonly string[] = Object.keys(CASE.properties ?? {});

/** Where the build writes the precompiled test-file validator (dist/src/schema/). */
export const TEST_VALIDATOR_FILE = 'test-validator.cjs';

/** Schema of a test file. */
export const TEST_FILE_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://monetize.dev/schema/policy-test-1.0.json',
  title: 'monetize policy test file',
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    policy: { type: 'string', minLength: 1, ...doc('The policy under test, relative to this file.') },
    cases: { type: 'array', items: CASE, ...doc('The test cases.') },
  },
  ...doc('Test cases for a monetize policy.'),
};
