/**
 * Random well-typed policies for the differential test: declared fields of every type (enums and
 * lists included), params, an asset registry, and 1–12 rules whose conditions are random boolean
 * expression trees over the whole operator set (expression strings and map conditions), with costs
 * made of arithmetic, calls and multipliers. Every policy this produces must load without errors.
 */
import { NUMBERS, randomString, type Rng } from './rng.js';
import { ExprGen, isLiteralSafe, numLit, pathOf, strLit, type GenField, type Kind } from './gen-expr.js';

export type { GenField, Kind } from './gen-expr.js';

export interface GenParam {
  readonly name: string;
  readonly kind: 'num' | 'str' | 'bool';
  readonly value: number | string | boolean;
}

export interface GenPolicy {
  /** The policy document, to be dumped to YAML text. */
  readonly doc: Record<string, unknown>;
  readonly fields: readonly GenField[];
  readonly strings: readonly string[];
  readonly numbers: readonly number[];
  readonly assetIds: readonly string[];
  readonly actions: readonly string[];
  readonly params: readonly GenParam[];
}

const USER_NAMES = ['score', 'nick', 'flag', 'segment', 'labels', 'nums', 'signup_days', 'is_vip', 'x1', 'home__region'];
const ASSET_NAMES = ['license_kind', 'rank', 'featured', 'codes'];
const REQUEST_NAMES = ['channel', 'retry_count', 'is_bot', 'client_version'];
const META_KEYS = ['compute_cost', 'family', 'odd key', '</script>', '__proto__', 'constructor', 'a.b'];
const PARAM_NAMES = ['surge', 'min_bal', 'code', 'on', '__proto__', 'constructor', 'toString'];
const ID_PREFIXES = ['r', 'rule_', 'a:b.', '-x-', '__proto__', 'constructor', 'to-string.'];
const ASSET_IDS = ['model:llm', '__proto__', 'constructor', 'toString', 'dataset:x y'];
const DECLARABLE: readonly Kind[] = ['num', 'str', 'bool', 'enum', 'lstr', 'lnum'];
const TYPE_NAMES: Record<Kind, string> = { num: 'number', str: 'string', bool: 'boolean', enum: 'string', lstr: 'list<string>', lnum: 'list<number>' };

/** An own data property, even for keys such as `__proto__`. */
export function put(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function uniqueStrings(rng: Rng, n: number, extra: readonly string[] = []): string[] {
  const out = new Set<string>(extra);
  for (let i = 0; out.size < n + extra.length && i < 4 * n; i++) out.add(randomString(rng, 5));
  return [...out];
}

/** Generate one policy. */
export function genPolicy(rng: Rng): GenPolicy {
  const strings = uniqueStrings(rng, rng.int(3, 6), rng.chance(0.5) ? ['premium'] : []);
  const numbers = [...new Set([...rng.subset(NUMBERS, 6), ...[0, 1].map(() => rng.double())].filter(isLiteralSafe))];
  if (numbers.length === 0) numbers.push(1);
  const schema: Record<string, Record<string, unknown>> = {};
  const declare = (root: string, name: string, decl: unknown): void => {
    schema[root] ??= {};
    put(schema[root]!, name, decl);
  };
  const enumValues = (builtin: readonly string[], root: string, name: string, p: number): readonly string[] => {
    if (!rng.chance(p)) return builtin;
    const values = uniqueStrings(rng, rng.int(1, 4), rng.subset(builtin, 2));
    declare(root, name, { enum: values });
    return values;
  };
  const tiers = enumValues(['free', 'pro', 'enterprise'], 'user', 'tier', 0.4);
  const types = enumValues(['content', 'code', 'data', 'model'], 'asset', 'type', 0.3);
  const actions = enumValues(['read', 'download', 'execute', 'derive'], 'request', 'action', 0.2);
  const fields: GenField[] = [
    { path: 'user.id', kind: 'str', loc: { at: 'context', key: 'userId' } },
    { path: 'user.tier', kind: 'enum', values: tiers, loc: { at: 'context', key: 'tier' } },
    { path: 'user.token_balance', kind: 'num', loc: { at: 'context', key: 'tokenBalance' } },
    { path: 'user.entitlements', kind: 'lstr', loc: { at: 'context', key: 'entitlements' } },
    { path: 'user.country', kind: 'str', loc: { at: 'context', key: 'country' } },
    { path: 'asset.id', kind: 'str', loc: { at: 'request', key: 'assetId' } },
    { path: 'asset.type', kind: 'enum', values: types, loc: { at: 'asset', key: 'type' } },
    { path: 'asset.tags', kind: 'lstr', loc: { at: 'asset', key: 'tags' } },
    { path: 'asset.matrix_id', kind: 'str', loc: { at: 'asset', key: 'matrixId' } },
    { path: 'request.action', kind: 'enum', values: actions, loc: { at: 'request', key: 'action' } },
    { path: 'request.timestamp', kind: 'num', loc: { at: 'request', key: 'timestamp' } },
    { path: 'time.hour', kind: 'num', loc: { at: 'time' } },
    { path: 'time.minute', kind: 'num', loc: { at: 'time' } },
    { path: 'time.weekday', kind: 'enum', values: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], loc: { at: 'time' } },
  ];
  const declareField = (root: 'user' | 'asset' | 'request', name: string): void => {
    const kind = rng.pick(DECLARABLE);
    const values = kind === 'enum' ? uniqueStrings(rng, rng.int(1, 8), rng.subset(strings, 3)) : undefined;
    declare(root, name, values ? { enum: values } : rng.chance(0.3) ? { type: TYPE_NAMES[kind], optional: rng.chance(0.5) } : TYPE_NAMES[kind]);
    const key = name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
    const loc = root === 'user' ? ({ at: 'context', key } as const) : root === 'asset' ? ({ at: 'asset', key } as const) : ({ at: 'request', key } as const);
    fields.push({ path: `${root}.${name}`, kind, ...(values ? { values } : {}), loc });
  };
  for (const name of rng.subset(USER_NAMES, 4)) declareField('user', name);
  for (const name of rng.subset(ASSET_NAMES, 2)) declareField('asset', name);
  for (const name of rng.subset(REQUEST_NAMES, 2)) declareField('request', name);
  const metaKeys = rng.subset(META_KEYS, 3);
  if (metaKeys.length > 0) {
    const meta: Record<string, unknown> = {};
    for (const key of metaKeys) {
      const kind = rng.pick(['num', 'str', 'bool'] as const);
      put(meta, key, TYPE_NAMES[kind]);
      fields.push({ path: pathOf('asset.metadata', key), kind, loc: { at: 'metadata', key } });
    }
    schema.asset ??= {};
    schema.asset.metadata = meta;
  }
  const params: GenParam[] = rng.subset(PARAM_NAMES, 3).map((name) => {
    const kind = rng.pick(['num', 'str', 'bool'] as const);
    const value = kind === 'num' ? rng.pick(numbers) : kind === 'str' ? rng.pick(strings) : rng.chance(0.5);
    fields.push({ path: `params.${name}`, kind, loc: { at: 'param', name } });
    return { name, kind, value };
  });

  const assetIds = [...new Set([...rng.subset(ASSET_IDS, 3), ...uniqueStrings(rng, 1).filter((s) => s !== ''), 'asset:1'])];
  const registry = rng.subset(assetIds).map((id) => {
    const entry: Record<string, unknown> = { id };
    const nonEmpty = types.filter((t) => t !== '');
    if (nonEmpty.length > 0 && rng.chance(0.7)) entry.type = rng.pick(nonEmpty);
    if (rng.chance(0.6)) entry.tags = rng.subset(strings);
    if (rng.chance(0.3)) entry.matrix_id = rng.pick(strings);
    if (rng.chance(0.6) && metaKeys.length > 0) {
      const m: Record<string, unknown> = {};
      for (const key of rng.subset(metaKeys)) put(m, key, rng.pick([rng.pick(numbers), rng.pick(strings), true, null, -0, Number.NaN, [1], { a: 1 }]));
      entry.metadata = m;
    }
    return entry;
  });

  const gen = new ExprGen(rng, fields, strings, numbers);
  const enums = fields.filter((x) => x.kind === 'enum' && x.values!.length > 0);
  const lead = rng.pick(enums);
  const rules = Array.from({ length: rng.int(1, 12) }, (_, i) => {
    const rule: Record<string, unknown> = { id: `${rng.pick(ID_PREFIXES)}${i}` };
    if (rng.chance(0.8)) rule.priority = rng.int(-2, 3);
    const cond = genCondition(rng, gen, fields, rng.chance(0.8) ? lead : rng.pick(enums));
    if (cond !== undefined) rule.condition = cond;
    const action: Record<string, unknown> = { allow: rng.chance(0.6) };
    const cost = genCost(rng, gen);
    if (cost !== undefined) action.cost = cost;
    if (rng.chance(0.3)) action.reason = randomString(rng);
    if (rng.chance(0.2)) action.redirect = randomString(rng);
    rule.action = action;
    return rule;
  });

  const doc: Record<string, unknown> = { version: '1.0', currency: rng.pick(['USD', 'EUR', 'JPY']) };
  if (rng.chance(0.7)) doc.rounding = { decimals: rng.int(0, 6), mode: rng.pick(['ceil', 'floor', 'half_even', 'half_up']) };
  if (Object.keys(schema).length > 0) doc.schema = schema;
  if (params.length > 0) {
    const p: Record<string, unknown> = {};
    for (const x of params) put(p, x.name, x.value);
    doc.params = p;
  }
  if (registry.length > 0) doc.assets = registry;
  doc.rules = rules;
  return { doc, fields, strings, numbers, assetIds, actions, params };
}

/** A condition: absent, a boolean, an expression string, or a map of path: constraint. */
function genCondition(rng: Rng, gen: ExprGen, fields: readonly GenField[], f: GenField): unknown {
  const r = rng.int(0, 19);
  if (r === 0) return undefined;
  if (r === 1) return rng.chance(0.5);
  if (r <= 4) return genMapCondition(rng, gen, fields);
  // Often lead with a test of one enum field shared by the policy's rules, so that forced rule
  // indexing has something to index on.
  if (r <= 13) {
    const values = rng.chance(0.6) ? [rng.pick(f.values!)] : rng.subset(f.values!, 2);
    const head = values.length === 1 ? `${f.path} == ${strLit(rng, values[0]!)}` : `${f.path} in [${values.map((v) => strLit(rng, v)).join(', ')}]`;
    return rng.chance(0.3) ? head : `${head} and (${gen.bool(2)})`;
  }
  return gen.bool(3);
}

/** Does a map-condition string value read as an operator (`> 0`, `in [...]`)? Then it must not be used as a plain value. */
const OPERATOR_PREFIX = /^\s*(==|!=|<=|>=|<|>|=|(?:in|not\s+in|contains|starts_with|ends_with)(?=[\s[('"]))/;

function genMapCondition(rng: Rng, gen: ExprGen, fields: readonly GenField[]): Record<string, unknown> {
  const cond: Record<string, unknown> = {};
  for (const f of rng.subset(fields, 3)) {
    const scalarStr = (v: string): unknown => (OPERATOR_PREFIX.test(v) ? [v] : v);
    let v: unknown;
    switch (f.kind) {
      case 'enum':
        v = rng.chance(0.3) ? `!= ${strLit(rng, rng.pick(f.values!))}` : rng.chance(0.5) ? scalarStr(rng.pick(f.values!)) : rng.subset(f.values!);
        break;
      case 'str':
        v = rng.pick([scalarStr(gen.strValue()), [gen.strValue(), gen.strValue()], `starts_with ${strLit(rng, gen.strValue())}`, `not in [${strLit(rng, gen.strValue())}]`]);
        break;
      case 'num':
        v = rng.pick([gen.numValue(), [gen.numValue(), gen.numValue()], `> ${numLit(gen.numValue())}`, `<= ${gen.num(1)}`]);
        break;
      case 'bool':
        v = rng.chance(0.5);
        break;
      case 'lstr': {
        // A scalar on a list path means contains; a YAML list would mean `in`, a type error there.
        const x = gen.strValue();
        v = rng.chance(0.7) && !OPERATOR_PREFIX.test(x) ? x : `contains ${strLit(rng, x)}`;
        break;
      }
        break;
      case 'lnum':
        v = gen.numValue();
        break;
    }
    put(cond, f.path, v);
  }
  return cond;
}

/** A cost: absent, a number, an expression string, or {base, multipliers}. */
function genCost(rng: Rng, gen: ExprGen): unknown {
  const amount = (): unknown => (rng.chance(0.4) ? Math.abs(gen.numValue()) : gen.num(2));
  switch (rng.int(0, 4)) {
    case 0:
    case 1:
      return undefined;
    case 2:
      return amount();
    default: {
      const multipliers = Array.from({ length: rng.int(0, 3) }, () => ({ if: gen.bool(2), value: amount() }));
      return multipliers.length === 0 && rng.chance(0.5) ? gen.num(2) : { base: amount(), multipliers };
    }
  }
}
