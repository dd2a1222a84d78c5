/** Policy schema, section 2: rules, conditions, actions and costs. */
import { doc, type JsonSchema } from './json-schema.js';
import { RULE_ID } from './patterns.js';

const expression: JsonSchema = {
  title: 'an expression string',
  type: 'string',
  minLength: 1,
  ...doc('An expression in the monetize expression language, e.g. `user.tier == \'free\'`.'),
};

const scalar: JsonSchema = {
  title: 'a scalar',
  anyOf: [
    { title: 'a string', type: 'string' },
    { title: 'a number', type: 'number' },
    { title: 'a boolean', type: 'boolean' },
  ],
  ...doc('A string, number or boolean.'),
};

const constraint: JsonSchema = {
  title: 'a constraint',
  anyOf: [
    { title: 'a string', type: 'string' },
    { title: 'a number', type: 'number' },
    { title: 'a boolean', type: 'boolean' },
    { title: 'a list of scalars', type: 'array', items: scalar },
  ],
  ...doc(
    'What the path must satisfy. A scalar means equality (`contains` on a list-typed path); a list ' +
      'means membership (`in [...]`); a string starting with an operator is the right-hand side of ' +
      'a comparison whose left operand is the path: `"> 0"`, `">= params.min_balance"`, ' +
      '`"not in [\'a\', \'b\']"`, `"contains \'premium\'"`, `"starts_with \'premium_\'"`.',
  ),
};

const condition: JsonSchema = {
  title: 'a condition',
  anyOf: [
    { title: 'an expression string', type: 'string', minLength: 1 },
    { title: 'a boolean', type: 'boolean' },
    { title: 'a mapping of path: constraint', type: 'object', additionalProperties: constraint },
  ],
  ...doc(
    'When the rule applies. Absent or `true`: always. An expression string: ' +
      '`"user.tier == \'free\' and request.action == \'read\'"`. A mapping of `path: constraint` ' +
      'pairs that must all hold, e.g. `user.tier: [pro, enterprise]`.',
  ),
};

const amount: JsonSchema = {
  title: 'a number or an expression string',
  anyOf: [
    { title: 'a number', type: 'number', minimum: 0 },
    { ...expression, title: 'an expression string' },
  ],
  ...doc('A non-negative number, or an arithmetic expression string such as `"asset.metadata.compute_cost * 100"`.'),
};

const multiplier: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['if', 'value'],
  properties: {
    if: { ...expression, ...doc('The boolean expression under which this multiplier applies, e.g. `"asset.type == \'model\'"`.') },
    value: { ...amount, ...doc('The factor the base is multiplied by when `if` holds.') },
  },
  ...doc('A factor applied to the base cost when its `if` expression holds.'),
};

const cost: JsonSchema = {
  title: 'a cost',
  anyOf: [
    { title: 'a number', type: 'number', minimum: 0 },
    { ...expression, title: 'an expression string' },
    {
      title: 'a mapping {base, multipliers}',
      type: 'object',
      additionalProperties: false,
      required: ['base'],
      properties: {
        base: { ...amount, ...doc('The cost before multipliers: a number or an arithmetic expression.') },
        multipliers: {
          type: 'array',
          items: multiplier,
          ...doc('Every multiplier whose `if` holds multiplies the base (model ×5 and premium ×2 give ×10).'),
        },
      },
    },
  ],
  ...doc(
    'What the access costs, in tokens: a number, an arithmetic expression string, or ' +
      '`{base, multipliers}`. Rounded per `rounding`. A cost that evaluates negative, NaN or ' +
      'infinite makes the rule not match.',
  ),
};

const action: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['allow'],
  properties: {
    allow: { type: 'boolean', examples: [true, false], ...doc('Whether the rule grants access. Required.') },
    cost: { ...cost, ...doc('Token cost of the access; only meaningful when `allow` is true.') },
    reason: { type: 'string', ...doc('Reported on the decision, e.g. `upgrade_required`.') },
    redirect: { type: 'string', ...doc('Reported on the decision, e.g. `/pricing`.') },
  },
  ...doc('What the rule decides when its condition holds.'),
};

const rule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'action'],
  properties: {
    id: {
      type: 'string',
      pattern: RULE_ID,
      ...doc('Unique rule id, `[a-z0-9_:.-]+`; reported as `policyId` on the decisions this rule makes.'),
    },
    priority: {
      type: 'integer',
      default: 0,
      ...doc('Integer; higher is evaluated first, equal priorities keep file order. Optional, defaults to `0`.'),
    },
    description: { type: 'string', ...doc('Free text for reviewers.') },
    condition: { ...condition, ...doc('When the rule applies; absent or `true` means always.') },
    action: { ...action, examples: [{ allow: true }], ...doc('What the rule decides: `allow` (required), `cost`, `reason`, `redirect`.') },
  },
  ...doc('A pricing/access rule. Rules are tried by priority, highest first; the first whose condition holds decides.'),
};

/** The top-level `rules` key. */
export const RULES: JsonSchema = {
  type: 'array',
  items: rule,
  ...doc(
    'Pricing/access rules. Evaluated by `priority` (highest first, file order on ties); the first ' +
      'rule whose condition holds decides. No match denies with `no_matching_policy`.',
  ),
};
