/** The JSON Schema of `*.test.yaml` files, plus `requests` lists. */
import type { JsonSchema } from '../schema/json-schema.js';
import { doc } from '../schema/json-schema.js';

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

const CASE: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'expect'],
  properties: {
    name: { type: 'string', minLength: 1, ...doc('What the case checks; shown in reports.') },
    request: { type: 'object', ...doc('One access request.') },
    requests: { type: 'array', minItems: 1, items: { type: 'object' }, ...doc('Several requests that share one expectation.') },
    params: { type: 'object', ...doc('Param overrides for this case.') },
    expect: EXPECT,
    description: { type: 'string', ...doc('Free text.') },
  },
  ...doc('One test case: a request (or requests) and the expected decision.'),
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
