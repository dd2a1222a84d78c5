/**
 * src/codegen/index-rules.ts: large policies dispatch on enum fields so a request only tries the
 * rules that can match it. The index must never change a decision: every rule that could match a
 * value is in that value's bucket, in evaluation order, and an absent or invalid value only tries
 * the rules that ignore the field. The oracle here is the policy as written (which values each
 * rule's condition admits), not the indexer's own analysis.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedSource, instantiate } from '../../src/codegen/compile.js';
import { chooseIndex, type RuleIndex } from '../../src/codegen/index-rules.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { irOfText } from '../helpers/front-end.js';

const TIERS = ['free', 'pro', 'enterprise'] as const;
const ACTIONS = ['read', 'download', 'execute', 'derive'] as const;
const TYPES = ['content', 'code', 'data', 'model'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const REGIONS = ['eu', 'us', 'apac'] as const;
/** The rule count from which emit-module indexes when no threshold is given. */
const DEFAULT_THRESHOLD = 48;

type EnumPath = 'user.tier' | 'request.action' | 'asset.type' | 'time.weekday' | 'user.region';

/** One rule: which values of each enum field its condition admits (absent: it ignores the field). */
interface Spec {
  readonly id: string;
  readonly priority?: number;
  readonly admits?: Readonly<Partial<Record<EnumPath, readonly string[]>>>;
  /** Written verbatim instead of the `admits` comparisons (for the conjunct-form cases). */
  readonly cond?: string;
  /** Another conjunct on a non-enum field. */
  readonly extra?: string;
  readonly allow?: boolean;
  readonly cost?: string;
}

const q = (s: string) => `'${s}'`;

/** The condition text: `path == 'v'` for one admitted value, `path in [...]` for several. */
function condition(s: Spec): string | undefined {
  const parts = Object.entries(s.admits ?? {}).map(([path, vs]) => (vs.length === 1 ? `${path} == ${q(vs[0]!)}` : `${path} in [${vs.map(q).join(', ')}]`));
  if (s.cond) parts.push(s.cond);
  if (s.extra) parts.push(s.extra);
  return parts.length ? parts.join(' and ') : undefined;
}

/** Policy text for the specs; `user.region` is declared so a fifth enum field exists. */
function policyText(specs: readonly Spec[]): string {
  const rules = specs.map((s) => {
    const cond = condition(s);
    const cost = s.cost ? `, cost: "${s.cost}"` : '';
    return [`  - id: ${s.id}`, `    priority: ${s.priority ?? 0}`, ...(cond ? [`    condition: "${cond}"`] : []), `    action: {allow: ${s.allow ?? true}${cost}}`].join('\n');
  });
  return `version: "1.0"\nschema:\n  user:\n    region: {enum: [${REGIONS.join(', ')}]}\nrules:\n${rules.join('\n')}\n`;
}

function load(specs: readonly Spec[]): { ir: IrPolicy; byId: Map<string, Spec> } {
  return { ir: irOfText(policyText(specs)), byId: new Map(specs.map((s) => [s.id, s])) };
}

const pathOf = (ir: IrPolicy, node: RuleIndex) => ir.fields[node.field]!.path as EnumPath;
const ids = (ir: IrPolicy, rules: readonly number[]) => rules.map((i) => ir.rules[i]!.id);

/** Ids, in evaluation order, of the rules whose spec admits every (field, value) of `path`. */
function admitted(ir: IrPolicy, byId: Map<string, Spec>, path: ReadonlyMap<EnumPath, string>, ignoring?: EnumPath): string[] {
  return ir.rules
    .map((r) => r.id)
    .filter((id) => {
      const a = byId.get(id)!.admits ?? {};
      if (ignoring && a[ignoring]) return false;
      return [...path].every(([f, v]) => !a[f] || a[f]!.includes(v));
    });
}

/**
 * Check a whole index tree against the specs: one branch per enum value in declaration order,
 * each leaf exactly the admitting rules in evaluation order, each fallback exactly the rules of
 * the branch that ignore the field, no field twice on a path. Returns the depth.
 */
function checkTree(ir: IrPolicy, byId: Map<string, Spec>, node: RuleIndex, path = new Map<EnumPath, string>()): number {
  const field = pathOf(ir, node);
  expect(path.has(field), `${field} is split on twice`).toBe(false);
  expect(node.branches.map((b) => b.value)).toEqual(ir.fields[node.field]!.enumValues);
  expect(ids(ir, node.fallback), `fallback of ${field} under ${[...path]}`).toEqual(admitted(ir, byId, path, field));
  let depth = 1;
  for (const b of node.branches) {
    const here = new Map(path).set(field, b.value);
    if (Array.isArray(b.next)) expect(ids(ir, b.next as readonly number[]), `bucket ${[...here]}`).toEqual(admitted(ir, byId, here));
    else depth = Math.max(depth, 1 + checkTree(ir, byId, b.next as RuleIndex, here));
  }
  return depth;
}

/** n rules, rule i admitting one tier (cycling), priorities shuffled so evaluation order ≠ file order. */
const tierRules = (n: number): Spec[] => Array.from({ length: n }, (_, i) => ({ id: `t${i}`, priority: (i * 7) % 5, admits: { 'user.tier': [TIERS[i % 3]!] } }));

describe('chooseIndex: when to index', () => {
  it('not below the threshold; from the threshold on', () => {
    const { ir } = load(tierRules(12));
    expect(chooseIndex(ir, 13)).toBeUndefined();
    expect(chooseIndex(ir, 12)).toBeDefined();
  });

  it(`compiled modules index from ${DEFAULT_THRESHOLD} rules by default, and the indexThreshold option overrides it`, () => {
    const small = load(tierRules(DEFAULT_THRESHOLD - 1)).ir;
    const large = load(tierRules(DEFAULT_THRESHOLD)).ir;
    // `bucketOf` is the dispatch variable emit-module declares only for indexed modules.
    expect(generatedSource(small)).not.toContain('bucketOf');
    expect(generatedSource(large)).toContain('bucketOf');
    expect(generatedSource(small, { indexThreshold: 2 })).toContain('bucketOf');
    expect(generatedSource(large, { indexThreshold: 1000 })).not.toContain('bucketOf');
  });

  it('not when no enum field is tested: numeric comparisons do not index', () => {
    const specs = Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, extra: `user.token_balance > ${i}` }));
    expect(chooseIndex(load(specs).ir, 1)).toBeUndefined();
  });

  it('not when most rules ignore the field: a dispatch that skips little is not worth it', () => {
    const specs: Spec[] = Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? { id: `r${i}`, admits: { 'user.tier': ['pro'] } } : { id: `r${i}`, extra: `user.token_balance > ${i}` }));
    expect(chooseIndex(load(specs).ir, 1)).toBeUndefined();
  });
});

describe('chooseIndex: one level', () => {
  it('a large policy testing user.tier is indexed on it; rules ignoring the tier are in every bucket and the fallback, in evaluation order', () => {
    const specs: Spec[] = [...tierRules(54), ...Array.from({ length: 6 }, (_, i) => ({ id: `any${i}`, priority: i, extra: `user.token_balance > ${i}` }))];
    const { ir, byId } = load(specs);
    const index = chooseIndex(ir, DEFAULT_THRESHOLD)!;
    expect(pathOf(ir, index)).toBe('user.tier');
    expect(checkTree(ir, byId, index)).toBe(1);
    expect(index.branches.map((b) => (b.next as number[]).length)).toEqual([24, 24, 24]);
    expect(ids(ir, index.fallback)).toEqual(['any5', 'any4', 'any3', 'any2', 'any1', 'any0']);
  });

  it('`request.action in [...]` puts a rule in the bucket of every listed action', () => {
    const lists = [['read'], ['read', 'download'], ['execute', 'derive'], ['derive']];
    const specs: Spec[] = Array.from({ length: DEFAULT_THRESHOLD }, (_, i) => ({ id: `a${i}`, priority: i % 3, admits: { 'request.action': lists[i % 4]! } }));
    const { ir, byId } = load(specs);
    const index = chooseIndex(ir, DEFAULT_THRESHOLD)!;
    expect(pathOf(ir, index)).toBe('request.action');
    expect(checkTree(ir, byId, index)).toBe(1);
    expect(index.fallback).toEqual([]);
  });

  it('reads the conjuncts a condition is written with: reversed equality and repeated constraints narrow; `!=`, `not in` and `or` do not', () => {
    const specs: Spec[] = [
      { id: 'reversed', cond: "'pro' == user.tier" },
      { id: 'narrowed', cond: "user.tier in ['free', 'pro'] and user.tier == 'pro'" },
      { id: 'contradiction', cond: "user.tier == 'free' and user.tier == 'pro'" },
      { id: 'not_equal', cond: "user.tier != 'pro'" },
      { id: 'not_in', cond: "user.tier not in ['free']" },
      { id: 'either', cond: "(user.tier == 'pro' or user.tier == 'free')" },
      ...TIERS.map((t) => ({ id: `only_${t}`, admits: { 'user.tier': [t] } })),
    ];
    const { ir } = load(specs);
    const index = chooseIndex(ir, 1)!;
    expect(pathOf(ir, index)).toBe('user.tier');
    const loose = ['not_equal', 'not_in', 'either'];
    expect(index.branches.map((b) => [b.value, ids(ir, b.next as number[])])).toEqual([
      ['free', [...loose, 'only_free']],
      ['pro', ['reversed', 'narrowed', ...loose, 'only_pro']],
      ['enterprise', [...loose, 'only_enterprise']],
    ]);
    // A rule admitting no value can never match, so not even the fallback tries it.
    expect(ids(ir, index.fallback)).toEqual(loose);
  });
});

describe('chooseIndex: nested levels', () => {
  it('splits a bucket again on another enum field, keeping evaluation order at every level', () => {
    const specs: Spec[] = Array.from({ length: 72 }, (_, i) => ({
      id: `r${i}`,
      priority: (i * 5) % 7,
      admits: i % 9 === 0 ? { 'user.tier': [TIERS[i % 3]!] } : { 'user.tier': [TIERS[i % 3]!], 'request.action': [ACTIONS[(i >> 1) % 4]!] },
    }));
    const { ir, byId } = load(specs);
    const index = chooseIndex(ir, 8)!;
    expect(checkTree(ir, byId, index)).toBe(2);
    const fields = new Set(index.branches.map((b) => pathOf(ir, b.next as RuleIndex)));
    expect([pathOf(ir, index), ...fields].sort()).toEqual(['request.action', 'user.tier']);
  });

  it('stops at four levels, even when a fifth enum field would split further', () => {
    const specs: Spec[] = Array.from({ length: 80 }, (_, i) => ({
      id: `r${i}`,
      priority: i % 4,
      admits: {
        'user.tier': [TIERS[i % 3]!],
        'request.action': [ACTIONS[(i >> 1) % 4]!],
        'asset.type': [TYPES[(i >> 2) % 4]!],
        'time.weekday': [WEEKDAYS[i % 7]!],
        'user.region': [REGIONS[(i >> 3) % 3]!],
      },
    }));
    const { ir, byId } = load(specs);
    expect(checkTree(ir, byId, chooseIndex(ir, 1)!)).toBe(4);
  });
});

describe('indexed modules decide exactly like the interpreter (property)', () => {
  // Mostly one value (what makes indexing worth it), sometimes a list, sometimes no constraint.
  const values = <T extends string>(all: readonly T[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...all).map((v): readonly T[] | undefined => [v]) },
      { weight: 1, arbitrary: fc.subarray([...all], { minLength: 1 }) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const specArb = fc.record({
    priority: fc.integer({ min: 0, max: 4 }),
    tier: values(TIERS),
    action: values(ACTIONS),
    extra: fc.option(fc.constantFrom('user.token_balance > 3', "asset.type == 'model'", "user.tier != 'free'", "request.action != 'read' or user.token_balance > 0"), { nil: undefined }),
    allow: fc.boolean(),
    // Costs that fail on some requests make a matching rule fall through to later ones.
    cost: fc.option(fc.constantFrom('2', 'user.token_balance * 2', '10 / user.token_balance', 'user.token_balance - 5'), { nil: undefined }),
  });
  const policyArb = fc.array(specArb, { minLength: 4, maxLength: 24 }).map((rs) =>
    rs.map((r, i): Spec => {
      const admits: Partial<Record<EnumPath, readonly string[]>> = {};
      if (r.tier) admits['user.tier'] = r.tier;
      if (r.action) admits['request.action'] = r.action;
      return { id: `r${i}`, priority: r.priority, admits, allow: r.allow, ...(r.extra ? { extra: r.extra } : {}), ...(r.cost ? { cost: r.cost } : {}) };
    }),
  );
  // Valid, invalid and absent values of every field the rules read ('gold' is outside the enum).
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const requestArb = fc.record({
    tier: maybe(fc.constantFrom<unknown>(...TIERS, 'gold', 3)),
    action: fc.constantFrom(...ACTIONS, ...ACTIONS, 'delete'),
    balance: maybe(fc.constantFrom<unknown>(0, 1, 4, 10, -2, '5')),
    type: maybe(fc.constantFrom<unknown>(...TYPES, 'video')),
  });
  const toRequest = (r: { tier?: unknown; action: string; balance?: unknown; type?: unknown }) => {
    const context: Record<string, unknown> = {};
    if (r.tier !== undefined) context.tier = r.tier;
    if (r.balance !== undefined) context.tokenBalance = r.balance;
    return { assetId: 'a1', action: r.action, context, ...(r.type !== undefined ? { asset: { type: r.type } } : {}) };
  };

  it('on random policies, thresholds and requests', () => {
    let indexed = 0;
    let runs = 0;
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 4 }), fc.array(requestArb, { minLength: 15, maxLength: 15 }), (specs, threshold, requests) => {
        const ir = irOfText(policyText(specs));
        const index = chooseIndex(ir, threshold);
        // The option reaches the generated code: it dispatches exactly when an index is chosen.
        expect(generatedSource(ir, { indexThreshold: threshold }).includes('bucketOf')).toBe(index !== undefined);
        runs++;
        if (index) indexed++;
        const mod = instantiate(ir, { indexThreshold: threshold });
        const interp = createInterpreter(ir);
        for (const r of requests) {
          const request = toRequest(r);
          expect(mod.decide(request), JSON.stringify(request)).toEqual(interp.decide(request));
        }
      }),
      { numRuns: 150 },
    );
    // Most runs must really be indexed, or the property would only compare two plain modules.
    expect(indexed / runs).toBeGreaterThan(0.5);
  });
});
