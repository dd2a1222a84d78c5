import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { POLICY_SCHEMA, POLICY_SCHEMA_STRICT, SCHEMA_FILES, policySchemaJson } from '../../src/schema/policy-schema.js';
import { createPolicyAjv, validatePolicyShape } from '../../src/schema/validate.js';
import type { YamlNode } from '../../src/yaml/node.js';
import { keySpan, tree, valueSpan } from './tree.js';

const SEED_TEXT = readFileSync(new URL('../../examples/monetization-policy.yaml', import.meta.url), 'utf8');

/** A fresh, mutable copy of the seed policy. */
function seed(): any {
  return load(SEED_TEXT);
}

function check(value: unknown): { root: YamlNode; diags: Diagnostic[] } {
  const root = tree(value);
  return { root, diags: validatePolicyShape(root, 'policy.yaml') };
}

/** The only diagnostic, asserting there is exactly one. */
function only(value: unknown): { root: YamlNode; d: Diagnostic } {
  const { root, diags } = check(value);
  expect(diags.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
  return { root, d: diags[0]! };
}

describe('policy schema', () => {
  it('accepts the seed policy', () => {
    expect(check(seed()).diags).toEqual([]);
  });

  it('accepts every optional section', () => {
    const p = seed();
    p.rounding = { decimals: 2, mode: 'half_up' };
    p.schema = {
      user: { segment: { enum: ['student', 'startup'], optional: true }, tier: { enum: ['free', 'pro', 'enterprise', 'team'] } },
      asset: { metadata: { compute_cost: 'number', 'gpu hours': { type: 'number' } }, license: 'string' },
      request: { region: 'list<string>' },
    };
    p.params = { surge: 1.5, promo: 'spring', enabled: true };
    p.assets = [
      { id: 'model:llm-base', type: 'model', tags: ['premium'], price: '19.99', metadata: { compute_cost: 3, any: { nested: [1] } } },
      { id: 'dataset:training-corpus', type: 'data', price: 5, tax_code: 'data', matrix_id: 'm1' },
    ];
    p.default_price = 0;
    p.tax.inclusive = true;
    p.tax.rules.push({ region: ['US', 'CA'], code: 'us', rate: 0.07, reverse_charge: false });
    p.offers = [{ id: 'starter', price_ids: ['price_123'], grants: { tokens: 100, tier: 'pro', entitlements: ['x'] } }];
    p.rules.push({ id: 'expr', condition: "user.tier == 'pro'", action: { allow: true, cost: 'asset.metadata.compute_cost * 100' } });
    p.rules.push({ id: 'always', condition: true, action: { allow: false, reason: 'closed' } });
    p.rules.push({ id: 'lists', condition: { 'user.tier': ['pro', 'enterprise'], 'asset.tags': 'contains \'premium\'' }, action: { allow: true } });
    expect(check(p).diags).toEqual([]);
  });

  it('reports an unknown top-level key with did-you-mean', () => {
    const p = seed();
    p.rule = p.rules;
    delete p.rules;
    const { root, diags } = check(p);
    const unknown = diags.find((d) => d.code === 'M110')!;
    expect(unknown.message).toBe("unknown top-level key 'rule'");
    expect(unknown.hint).toBe("did you mean 'rules'?");
    expect(unknown.span).toEqual(keySpan(root, '/rule'));
    const missing = diags.find((d) => d.code === 'M111')!;
    expect(missing.message).toBe("the policy is missing required key 'rules'");
    expect(diags).toHaveLength(2);
  });

  it('reports an unknown key inside a rule at the key, naming the rule', () => {
    const p = seed();
    p.rules[1].priorty = p.rules[1].priority;
    delete p.rules[1].priority;
    const { root, d } = only(p);
    expect(d.code).toBe('M110');
    expect(d.message).toBe("unknown key 'priorty' in rule 'dynamic_token_pricing'");
    expect(d.hint).toBe("did you mean 'priority'?");
    expect(d.span).toEqual(keySpan(root, '/rules/1/priorty'));
  });

  it('says where a misplaced key belongs, or lists the allowed keys', () => {
    const p = seed();
    p.rules[0].allow = true;
    p.rounding = { zzz: 1 };
    const { diags } = check(p);
    expect(diags.map((d) => d.hint)).toEqual(["'allow' belongs under 'action'", 'allowed keys here: decimals, mode']);
  });

  it('reports a missing action at the rule', () => {
    const p = seed();
    delete p.rules[0].action;
    const { root, d } = only(p);
    expect(d.code).toBe('M111');
    expect(d.message).toBe("rule 'enterprise_unlimited' is missing required key 'action'");
    expect(d.hint).toBe("add 'action: {allow: true}'");
    expect(d.span).toEqual(valueSpan(root, '/rules/0'));
  });

  it('names several missing keys in one diagnostic, and rules without an id by index', () => {
    const { d } = only({ version: '1.0', rules: [{ priority: 1 }] });
    expect(d.message).toBe("rules[0] is missing required keys 'id' and 'action'");
  });

  it('reports a wrong type in user terms', () => {
    const p = seed();
    p.rules[2].action.allow = 'yes';
    const { root, d } = only(p);
    expect(d.code).toBe('M112');
    expect(d.message).toBe("action.allow of rule 'free_tier_paywall' must be a boolean, found the string 'yes'");
    expect(d.span).toEqual(valueSpan(root, '/rules/2/action/allow'));
    expect(only([]).d.message).toBe('the policy must be a mapping, found a list');
  });

  it('reports a bad rounding mode with a suggestion', () => {
    const p = seed();
    p.rounding = { mode: 'half-even' };
    const { root, d } = only(p);
    expect(d.code).toBe('M113');
    expect(d.message).toBe("rounding.mode must be one of 'ceil', 'floor', 'half_even' or 'half_up', found the string 'half-even'");
    expect(d.hint).toBe("did you mean 'half_even'?");
    expect(d.span).toEqual(valueSpan(root, '/rounding/mode'));
  });

  it('reports an unsupported version as M115, and an unquoted one as a type error', () => {
    const p = seed();
    p.version = '2.0';
    const { d } = only(p);
    expect(d.code).toBe('M115');
    expect(d.message).toBe("unsupported policy version '2.0'; this monetize understands '1.0'");
    expect(d.hint).toBe('set version: "1.0"');
    p.version = 1;
    const typed = only(p).d;
    expect([typed.code, typed.message, typed.hint]).toEqual([
      'M112',
      'version must be a string, found the number 1',
      'write version: "1.0" in quotes; unquoted, YAML reads it as a number',
    ]);
    p.version = '1.0';
    p.currency = 840;
    expect(only(p).d.hint).toBe('quote the value to make it a string');
  });

  it('reports a bad rule id with a repaired suggestion', () => {
    const p = seed();
    p.rules[0].id = 'Enterprise Unlimited';
    const { root, d } = only(p);
    expect(d.code).toBe('M113');
    expect(d.message).toBe(
      "id of rule 'Enterprise Unlimited' must be made of lowercase letters, digits and the characters _ : . - only, found 'Enterprise Unlimited'",
    );
    expect(d.hint).toBe("did you mean 'enterprise_unlimited'?");
    expect(d.span).toEqual(valueSpan(root, '/rules/0/id'));
  });

  it('reports a bundle with a single asset, and a repeated asset at the repeat', () => {
    const p = seed();
    p.bundles[0].assets = ['model:llm-base'];
    p.bundles[1].assets = ['a', 'b', 'a'];
    p.bundles[1].price_multiplier = 0;
    const { root, diags } = check(p);
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['M113', "assets of bundle 'ai_starter_kit' must list at least 2 items, found 1"],
      ['M113', "assets of bundle 'enterprise_data_suite' lists 'a' twice (items 0 and 2)"],
      ['M113', "price_multiplier of bundle 'enterprise_data_suite' must be greater than 0, found the number 0"],
    ]);
    expect(diags[1]!.span).toEqual(valueSpan(root, '/bundles/1/assets/2'));
  });

  it('reports a cost mapping without base as one missing key, without alternative noise', () => {
    const p = seed();
    delete p.rules[1].action.cost.base;
    const { root, d } = only(p);
    expect(d.code).toBe('M111');
    expect(d.message).toBe("action.cost of rule 'dynamic_token_pricing' is missing required key 'base'");
    expect(d.span).toEqual(keySpan(root, '/rules/1/action/cost'));
  });

  it('reports errors inside the chosen alternative only', () => {
    const p = seed();
    p.rules[1].action.cost.multipliers[0].value = -5;
    p.rules[1].action.cost.multipliers[1].iff = p.rules[1].action.cost.multipliers[1].if;
    delete p.rules[1].action.cost.multipliers[1].if;
    const { diags } = check(p);
    expect(diags.map((d) => [d.code, d.message])).toEqual([
      ['M113', "action.cost.multipliers[0].value of rule 'dynamic_token_pricing' must be at least 0, found the number -5"],
      ['M111', "action.cost.multipliers[1] of rule 'dynamic_token_pricing' is missing required key 'if'"],
      ['M110', "unknown key 'iff' in action.cost.multipliers[1] of rule 'dynamic_token_pricing'"],
    ]);
    expect(diags[2]!.hint).toBe("did you mean 'if'?");
  });

  it('reports a condition of no accepted kind as one message', () => {
    const p = seed();
    p.rules[0].condition = 5;
    const { root, d } = only(p);
    expect(d.code).toBe('M112');
    expect(d.message).toBe(
      "condition of rule 'enterprise_unlimited' must be an expression string, a boolean or a mapping of path: constraint, found the number 5",
    );
    expect(d.span).toEqual(valueSpan(root, '/rules/0/condition'));
  });

  it('reports a cost of no accepted kind as one message', () => {
    const p = seed();
    p.rules[0].action.cost = [1];
    expect(only(p).d.message).toBe(
      "action.cost of rule 'enterprise_unlimited' must be a number, an expression string or a mapping {base, multipliers}, found a list",
    );
  });

  it('reports bad constraint values inside a condition mapping', () => {
    const p = seed();
    p.rules[0].condition = { 'user.tier': { nested: 1 } };
    expect(only(p).d.message).toBe(
      'condition["user.tier"] of rule \'enterprise_unlimited\' must be a string, a number, a boolean or a list of scalars, found a mapping',
    );
  });

  it('reports bad parameter names at the key, and near-miss constants', () => {
    const p = seed();
    p.params = { 'min-balance': 1 };
    p.tax.rules[0].rate = 'VAT';
    p.currency = 'usd';
    const { root, diags } = check(p);
    expect(diags.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['M113', "currency must be a 3-letter uppercase ISO 4217 currency code such as USD or EUR, found 'usd'", "did you mean 'USD'?"],
      ['M113', "tax.rules[0].rate must be 'vat', found the string 'VAT'", "did you mean 'vat'?"],
      ['M113', "name 'min-balance' in params must be an identifier (letters, digits and _, not starting with a digit)", "did you mean 'min_balance'?"],
    ]);
    expect(diags[2]!.span).toEqual(keySpan(root, '/params/min-balance'));
  });

  it('reports an empty value at its key', () => {
    const p = seed();
    p.rules[0].action = null;
    const { root, d } = only(p);
    expect(d.message).toBe("action of rule 'enterprise_unlimited' must be a mapping, found an empty value");
    expect(d.span).toEqual(valueSpan(root, '/rules/0/action'));
  });

  it('orders diagnostics by position and never repeats one', () => {
    const p = seed();
    p.zeta = 1;
    p.rules[2].action.allow = 'no';
    p.rules[0].priority = 1.5;
    const { diags } = check(p);
    const starts = diags.map((d) => d.span.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(diags.map((d) => `${d.code}@${d.span.start}`)).size).toBe(diags.length);
    expect(diags.map((d) => d.code)).toEqual(['M112', 'M112', 'M110']);
    expect(diags[0]!.message).toBe("priority of rule 'enterprise_unlimited' must be a whole number, found the number 1.5");
  });
});

describe('policy schema file', () => {
  it('compiles under ajv strict mode and is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    ajv.addKeyword('markdownDescription');
    expect(ajv.validateSchema(POLICY_SCHEMA)).toBe(true);
    expect(() => ajv.compile(POLICY_SCHEMA)).not.toThrow();
    expect(() => createPolicyAjv().compile(POLICY_SCHEMA)).not.toThrow();
  });

  it('documents every property for editors', () => {
    const undocumented: string[] = [];
    const walk = (s: Record<string, unknown>, path: string): void => {
      const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [k, sub] of Object.entries(props)) {
        if (typeof sub.description !== 'string' || typeof sub.markdownDescription !== 'string') undocumented.push(`${path}.${k}`);
        walk(sub, `${path}.${k}`);
      }
      for (const key of ['items', 'additionalProperties'] as const) {
        if (typeof s[key] === 'object' && s[key] !== null) walk(s[key] as Record<string, unknown>, `${path}.${key}`);
      }
      for (const branch of (s.anyOf ?? []) as Record<string, unknown>[]) walk(branch, `${path}|`);
    };
    walk(POLICY_SCHEMA as Record<string, unknown>, '');
    expect(undocumented).toEqual([]);
  });

  it('matches schema/policy.schema.json', () => {
    const file = readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8');
    expect(file).toBe(JSON.stringify(POLICY_SCHEMA, null, 2) + '\n');
    expect(policySchemaJson()).toBe(file);
  });
});

/** A shipped schema file, as a user's program reads it. */
function shipped(variant: keyof typeof SCHEMA_FILES): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schema/${SCHEMA_FILES[variant]}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

describe('schema files for strict validators', () => {
  it('the strict variant is up to date: schema/policy.strict.schema.json is the editor schema without editor keywords', () => {
    const file = readFileSync(new URL('../../schema/policy.strict.schema.json', import.meta.url), 'utf8');
    expect(file, 'run node dist/scripts/write-schema.js').toBe(policySchemaJson('strict'));
    expect(file).not.toContain('markdownDescription');
    const { $id: _strictId, ...strict } = POLICY_SCHEMA_STRICT;
    const { $id: _editorId, ...editor } = JSON.parse(JSON.stringify(POLICY_SCHEMA, (k, v: unknown) => (k === 'markdownDescription' ? undefined : v))) as typeof POLICY_SCHEMA;
    expect(strict).toEqual(editor);
  });

  it('plain strict ajv compiles the strict variant, and it judges policies as the editor schema does', () => {
    const validate = new Ajv({ strict: true }).compile(shipped('strict'));
    const reference = createPolicyAjv().compile(POLICY_SCHEMA);
    const bad = seed();
    bad.rules[0].priority = 'high';
    for (const policy of [seed(), bad, { version: '1.0' }, { version: '1.0', rules: [], extra: 1 }]) {
      expect(validate(policy)).toBe(reference(policy));
    }
  });

  it('strict ajv rejects the editor schema until the keyword is registered, then compiles it', () => {
    expect(() => new Ajv({ strict: true }).compile(shipped('editor'))).toThrow(/unknown keyword: "markdownDescription"/);
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword('markdownDescription');
    expect(() => ajv.compile(shipped('editor'))).not.toThrow();
  });

  it('the ways docs/language.md shows run as written and give a validator in strict ajv', () => {
    const docs = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('**Other validators.**'), docs.indexOf('## 15.'));
    const snippets = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets).toHaveLength(2);
    for (const snippet of snippets) {
      // Run from the package root, so that `monetize/schema/...` resolves to this package's files.
      const program = `${snippet}\nprocess.stdout.write(String(validate({ version: '1.0', rules: [] })));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('true');
    }
  });
});
