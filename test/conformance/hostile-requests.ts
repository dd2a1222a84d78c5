/**
 * Hostile requests: prototype keys, prototype pollution, throwing getters and Proxies, arrays
 * with their own methods, huge and deep values, non-objects and frozen inputs.
 */
import { expect } from 'vitest';
import type { AccessDecision } from '../../src/api/types.js';

/** The seed rules plus a rule reading metadata, a declared enum and a param. */
export const REQUEST_POLICY = `version: "1.0"
schema:
  user:
    segment: {enum: [student, startup]}
  asset:
    metadata:
      compute_cost: number
params:
  surge: 1
assets:
  - id: "model:llm-base"
    type: model
    tags: [premium]
    metadata: {compute_cost: 2}
rules:
  - id: derive_free
    priority: 70
    condition: "request.action == 'derive' and asset.id starts_with 'free:' and request.timestamp > 0"
    action: {allow: true, cost: 0}
  - id: enterprise_unlimited
    priority: 100
    condition: {user.tier: enterprise}
    action: {allow: true, cost: 0}
  - id: metered
    priority: 60
    condition: "user.segment == 'student' and asset.metadata.compute_cost > 0"
    action: {allow: true, cost: "asset.metadata.compute_cost * params.surge"}
  - id: dynamic_token_pricing
    priority: 50
    condition: {user.token_balance: "> 0"}
    action:
      allow: true
      cost:
        base: 1
        multipliers:
          - {if: "asset.type == 'model'", value: 5}
          - {if: "asset.tags contains 'premium'", value: 2}
  - id: free_tier_paywall
    priority: 10
    condition: {user.tier: free}
    action: {allow: false, reason: upgrade_required, redirect: /pricing}
`;

type Decide = (request: unknown, options?: unknown) => AccessDecision;

export interface HostileRequest {
  readonly name: string;
  /** Decide with one engine (may set up and tear down hostile global state around the call). */
  readonly run: (decide: Decide) => AccessDecision;
  readonly expect?: (d: AccessDecision) => void;
  /** A text that must be the same before and after deciding (no mutation). */
  readonly snapshot?: () => string;
  readonly after?: () => void;
}

const KEYS = new Set(['allowed', 'policyId', 'reason', 'cost', 'redirect', 'errors']);

/** A decision has exactly the documented shape. */
export function wellFormed(d: AccessDecision): void {
  expect(typeof d).toBe('object');
  for (const k of Object.keys(d)) expect(KEYS.has(k), `unexpected key ${k}`).toBe(true);
  expect(typeof d.allowed).toBe('boolean');
  expect(typeof d.policyId).toBe('string');
  if (d.reason !== undefined) expect(typeof d.reason).toBe('string');
  if (d.redirect !== undefined) expect(typeof d.redirect).toBe('string');
  if (d.cost !== undefined) expect(Number.isFinite(d.cost) && d.cost >= 0).toBe(true);
  if (d.errors !== undefined) {
    expect(d.policyId).toBe('invalid_request');
    expect(d.errors.every((e) => typeof e === 'string')).toBe(true);
  }
}

const ctx = (more: Record<string, unknown> = {}): Record<string, unknown> => ({ userId: 'u', tier: 'pro', tokenBalance: 40, entitlements: [], ...more });
const base = (more: Record<string, unknown> = {}): Record<string, unknown> => ({ assetId: 'model:llm-base', action: 'execute', context: ctx(), ...more });
const is = (policyId: string, extra: Partial<AccessDecision> = {}) => (d: AccessDecision) => expect(d).toMatchObject({ policyId, ...extra });
const invalid = (error: string) => (d: AccessDecision) => expect(d).toEqual({ allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors: [error] });

/** A Proxy whose every trap throws (and that records nothing: a mutation would throw too). */
function trapAll<T extends object>(target: T, label: string): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty', 'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'apply', 'construct'] as const) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(`${label}: ${trap} trap`);
    };
  }
  return new Proxy(target, handler);
}

/** `o` with a property whose getter throws `message`. */
export function throwingGetter(o: Record<string, unknown>, key: string, message: string): Record<string, unknown> {
  Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error(message); } });
  return o;
}

/** The same data with every own property of the request, context and asset a getter that throws when read twice. */
function readOnce(request: Record<string, unknown>): Record<string, unknown> {
  const wrap = (o: Record<string, unknown>, label: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      let reads = 0;
      Object.defineProperty(out, k, {
        enumerable: true,
        get: () => {
          if (reads++ > 0) throw new Error(`${label}.${k} read twice`);
          return v;
        },
      });
    }
    return out;
  };
  const r = { ...request };
  if (r.context) r.context = wrap(r.context as Record<string, unknown>, 'context');
  if (r.asset) r.asset = wrap(r.asset as Record<string, unknown>, 'asset');
  return wrap(r, 'request');
}

function deep(depth: number): Record<string, unknown> {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) o = { child: o };
  return o;
}

const POLLUTE: Record<string, unknown> = {
  tier: 'enterprise', tokenBalance: 1000, segment: 'student', type: 'model', tags: ['premium'], metadata: { compute_cost: 9 },
  assetId: 'model:llm-base', action: 'read', context: { tier: 'enterprise' }, params: { surge: 100 }, asset: { type: 'model' }, compute_cost: 9, surge: 100,
};

/**
 * Run `f` with `props` defined on `target` (a shared prototype), then put back exactly what was
 * there before — in `finally`, so a failing engine cannot leave the test process polluted.
 */
export function withProps<T>(target: object, props: Readonly<Record<PropertyKey, unknown>>, f: () => T): T {
  const keys = Reflect.ownKeys(props);
  const saved = keys.map((k) => Reflect.getOwnPropertyDescriptor(target, k));
  try {
    for (const k of keys) Object.defineProperty(target, k, { value: props[k as string], configurable: true, writable: true, enumerable: false });
    return f();
  } finally {
    keys.forEach((k, i) => {
      const d = saved[i];
      if (d) Object.defineProperty(target, k, d);
      else Reflect.deleteProperty(target, k);
    });
  }
}

/** Run `f` with Object.prototype polluted by POLLUTE, restoring it afterwards. */
function polluted<T>(f: () => T): T {
  return withProps(Object.prototype, POLLUTE, f);
}

const json = (text: string): unknown => JSON.parse(text);
const plain = (name: string, request: unknown, check?: (d: AccessDecision) => void, options?: unknown): HostileRequest => ({
  name,
  run: (decide) => decide(request, options),
  snapshot: () => JSON.stringify([request, options]),
  ...(check ? { expect: check } : {}),
});

/** Every hostile request case. */
export function hostileRequests(): HostileRequest[] {
  const cases: HostileRequest[] = [
    plain('context.__proto__ does not make the user enterprise', json('{"assetId":"a","action":"read","context":{"__proto__":{"tier":"enterprise","tokenBalance":5}}}'), is('default_deny')),
    plain('context.constructor and prototype keys are not read as fields', json('{"assetId":"a","action":"read","context":{"constructor":{"tier":"enterprise"},"prototype":{"tier":"enterprise"}}}'), is('default_deny')),
    plain('asset.__proto__ does not supply the asset type', json('{"assetId":"x","action":"read","context":{"tier":"pro","tokenBalance":40},"asset":{"__proto__":{"type":"model","tags":["premium"]}}}'), is('default_deny')),
    plain('metadata.__proto__ does not supply metadata', json('{"assetId":"x","action":"read","context":{"segment":"student"},"asset":{"metadata":{"__proto__":{"compute_cost":3}}}}'), is('default_deny')),
    plain('request.__proto__ does not supply the request', json('{"__proto__":{"assetId":"a","action":"read","context":{"tier":"enterprise"}}}'), (d) => expect(d.policyId).toBe('invalid_request')),
    plain('params.__proto__ does not override params', json('{"assetId":"model:llm-base","action":"read","context":{"segment":"student"},"params":{"__proto__":{"surge":100}}}'), is('metered', { cost: 2 })),
    plain('options.__proto__ does not override params', base({ context: ctx({ segment: 'student' }) }), is('metered', { cost: 2 }), json('{"__proto__":{"params":{"surge":100}}}')),
    plain('a context with a null prototype is read normally', base({ context: Object.assign(Object.create(null) as object, { tier: 'enterprise' }) }), is('enterprise_unlimited')),
    plain('a request with a null prototype is read normally', Object.assign(Object.create(null) as object, base()), is('dynamic_token_pricing', { cost: 10 })),
    plain('inherited fields of a class instance are not read', base({ context: new (class { get tier() { return 'enterprise'; } })() }), is('default_deny')),
    plain('a huge string in every string field', { assetId: 'a'.repeat(5_000_000), action: 'read', context: { userId: 'u'.repeat(5_000_000), tier: 't'.repeat(5_000_000), tokenBalance: 1 }, asset: { type: 'data' } }, is('dynamic_token_pricing', { cost: 1 })),
    plain('a huge tag list', base({ asset: { type: 'model', tags: [...Array.from({ length: 200_000 }, (_, i) => `t${i}`), 'premium'] } }), is('dynamic_token_pricing', { cost: 10 })),
    plain('an extreme balance', base({ context: ctx({ tokenBalance: Number.MAX_VALUE }) }), is('dynamic_token_pricing', { cost: 10 })),
    plain('an extreme timestamp', base({ timestamp: -8.64e15 }), is('dynamic_token_pricing', { cost: 10 })),
  ];
  for (const request of [null, undefined, 0, 1, 'x', '', true, [], [base()], 10n, Symbol('s'), () => base(), new Date(0), new Map([['assetId', 'a']])]) {
    cases.push({ name: `a non-object request: ${typeof request === 'symbol' ? 'symbol' : Array.isArray(request) ? `array(${request.length})` : typeof request === 'function' ? 'function' : String(request)}`, run: (d) => d(request), expect: (d) => expect(d.policyId).toBe('invalid_request') });
  }
  cases.push(
    { name: 'a deep context', run: (d) => d(base({ context: { ...ctx(), extra: deep(100_000) } })), expect: is('dynamic_token_pricing', { cost: 10 }) },
    { name: 'a deep inline asset and params', run: (d) => d(base({ asset: deep(50_000), params: deep(50_000) })), expect: is('dynamic_token_pricing', { cost: 10 }) },
    { name: 'Object.prototype pollution is not read', run: (d) => polluted(() => d({ assetId: 'x', action: 'read', context: {} })), expect: is('default_deny') },
    { name: 'Object.prototype pollution does not fill a missing request', run: (d) => polluted(() => d({})), expect: (d) => expect(d.errors).toHaveLength(3) },
    { name: 'Object.prototype pollution does not fill options', run: (d) => polluted(() => d(base({ context: ctx({ segment: 'student' }) }), {})), expect: is('metered', { cost: 2 }) },
    { name: 'a throwing getter on the context', run: (d) => d(base({ context: throwingGetter(ctx(), 'tier', 'boom-tier') })), expect: invalid('the request could not be read: boom-tier') },
    { name: 'a throwing getter on assetId', run: (d) => d(throwingGetter(base(), 'assetId', 'boom-id')), expect: invalid('the request could not be read: boom-id') },
    { name: 'a throwing getter on the inline asset', run: (d) => d(throwingGetter(base(), 'asset', 'boom-asset')), expect: invalid('the request could not be read: boom-asset') },
    { name: 'a throwing getter on the inline metadata', run: (d) => d(base({ asset: throwingGetter({}, 'metadata', 'boom-meta') })), expect: invalid('the request could not be read: boom-meta') },
    { name: 'a throwing getter on request params', run: (d) => d(throwingGetter(base(), 'params', 'boom-params')), expect: invalid('the request could not be read: boom-params') },
    { name: 'a throwing getter on options params', run: (d) => d(base(), throwingGetter({}, 'params', 'boom-options')), expect: invalid('the request could not be read: boom-options') },
    { name: 'a getter throwing a non-Error', run: (d) => d(base({ context: Object.defineProperty(ctx(), 'tier', { get: () => { throw trapAll({}, 'thrown'); } }) })), expect: invalid('the request could not be read: a value in the request threw when read') },
    { name: 'a throwing getter in the tags', run: (d) => d(base({ asset: { type: 'model', tags: Object.defineProperty(['premium'], 0, { get: () => { throw new Error('boom-tag'); } }) } })), expect: invalid('the request could not be read: boom-tag') },
    {
      // Lists are read up front in every engine: an indexed module, which skips the rules that read
      // the tags, decides like one that does not.
      name: 'a throwing getter in the tags, though an earlier rule decides',
      run: (d) => d(base({ context: ctx({ tier: 'enterprise' }), asset: { type: 'model', tags: Object.defineProperty(['premium'], 0, { get: () => { throw new Error('boom-tag'); } }) } })),
      expect: invalid('the request could not be read: boom-tag'),
    },
    { name: 'tags with their own includes are not trusted', run: (d) => d(base({ asset: { type: 'data', tags: Object.assign(['basic'], { includes: () => true }) } })), expect: is('dynamic_token_pricing', { cost: 1 }) },
    { name: 'tags with a throwing iterator are read by index', run: (d) => d(base({ asset: { type: 'data', tags: Object.assign(['premium'], { [Symbol.iterator]: () => { throw new Error('boom-iter'); } }) } })), expect: is('dynamic_token_pricing', { cost: 2 }) },
    { name: 'a Proxy request that throws on every trap', run: (d) => d(trapAll({}, 'request')), expect: invalid('the request could not be read: request: getOwnPropertyDescriptor trap') },
    { name: 'a Proxy context that throws on every trap', run: (d) => d(base({ context: trapAll({}, 'context') })), expect: invalid('the request could not be read: context: getOwnPropertyDescriptor trap') },
    { name: 'a Proxy asset that throws on every trap', run: (d) => d(base({ asset: trapAll({}, 'asset') })), expect: invalid('the request could not be read: asset: getOwnPropertyDescriptor trap') },
    { name: 'a Proxy tag list that throws on every trap', run: (d) => d(base({ asset: { type: 'model', tags: trapAll(['premium'], 'tags') } })), expect: invalid('the request could not be read: tags: get trap') },
    { name: 'Proxy options that throw on every trap', run: (d) => d(base(), trapAll({}, 'options')), expect: invalid('the request could not be read: options: getOwnPropertyDescriptor trap') },
    { name: 'a revoked Proxy request', run: (d) => { const p = Proxy.revocable({}, {}); p.revoke(); return d(p.proxy); }, expect: (d) => expect(d.policyId).toBe('invalid_request') },
  );
  cases.push(
    {
      name: 'two throwing getters: every engine reports the one read first',
      run: (d) => d(base({ context: throwingGetter(ctx({ segment: 'student' }), 'tier', 'boom-tier'), asset: throwingGetter({}, 'metadata', 'boom-meta') })),
      expect: invalid('the request could not be read: boom-meta'),
    },
    { name: 'each part of the request is read once (derive)', run: (d) => d(readOnce({ assetId: 'free:1', action: 'derive', timestamp: 5, context: ctx(), asset: { type: 'model', tags: ['premium'] } })), expect: is('derive_free', { cost: 0 }) },
    { name: 'each part of the request is read once (dynamic)', run: (d) => d(readOnce({ ...base(), timestamp: 5, params: { surge: 2 }, asset: { type: 'model', tags: ['premium'], metadata: { compute_cost: 1 } } })), expect: is('dynamic_token_pricing', { cost: 10 }) },
    { name: 'each part of the request is read once (metered)', run: (d) => d(readOnce({ ...base(), context: ctx({ segment: 'student' }), params: { surge: 2 }, asset: { metadata: { compute_cost: 1.5 } } })), expect: is('metered', { cost: 3 }) },
  );
  const frozen = Object.freeze({ ...base(), context: Object.freeze(ctx({ entitlements: Object.freeze(['a']) })), asset: Object.freeze({ type: 'model', tags: Object.freeze(['premium']) }) });
  cases.push(plain('a deeply frozen request', frozen, is('dynamic_token_pricing', { cost: 10 })));
  return cases;
}
