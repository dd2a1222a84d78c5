/**
 * The runtime's request checks and fixed decisions (src/runtime/runtime.ts), shared by the
 * interpreter and every compiled module: each message, the key order of each decision, and that
 * checking never throws on hostile values (the values are already read, so no trap or getter fires).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedSource, instantiate } from '../../src/codegen/compile.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import { defaultDeny, invalidRequest, REQUEST_NOT_OBJECT, requestErrors, unreadableRequest } from '../../src/runtime/runtime.js';
import { irOf } from '../conformance/harness.js';

const ACTIONS: ReadonlySet<string> = new Set(['read', 'download', 'execute', 'derive']);
const ASSET_ID = 'assetId must be a non-empty string';
const ACTION = 'action must be one of read, download, execute, derive';
const CONTEXT = 'context must be an object';
const TIMESTAMP = 'timestamp must be a finite number of milliseconds';

/** A Proxy whose every trap throws. */
function trapAll<T extends object>(target: T): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty', 'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'apply', 'construct'] as const) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(`${trap} trap`);
    };
  }
  return new Proxy(target, handler);
}

/** An object every read, conversion and iteration of which throws. */
function throwingObject(): object {
  const boom = (): never => {
    throw new Error('read');
  };
  return Object.defineProperties({}, {
    toString: { get: boom },
    valueOf: { get: boom },
    [Symbol.toPrimitive]: { get: boom },
    [Symbol.iterator]: { get: boom },
    length: { get: boom },
  });
}

describe('decisions', () => {
  it('defaultDeny: fixed fields in order, a fresh object every call', () => {
    const d = defaultDeny();
    expect(JSON.stringify(d)).toBe('{"allowed":false,"policyId":"default_deny","reason":"no_matching_policy"}');
    expect(Object.keys(d)).toEqual(['allowed', 'policyId', 'reason']);
    expect(defaultDeny()).not.toBe(d);
  });

  it('invalidRequest: fixed fields in order, the errors as given', () => {
    const errors = ['a', 'b'];
    const d = invalidRequest(errors);
    expect(JSON.stringify(d)).toBe('{"allowed":false,"policyId":"invalid_request","reason":"invalid_request","errors":["a","b"]}');
    expect(Object.keys(d)).toEqual(['allowed', 'policyId', 'reason', 'errors']);
    expect(d.errors).toBe(errors);
    expect(invalidRequest([REQUEST_NOT_OBJECT]).errors).toEqual(['the request must be an object']);
  });

  it('unreadableRequest: says what was thrown, without trusting it', () => {
    expect(JSON.stringify(unreadableRequest(new Error('boom')))).toBe('{"allowed":false,"policyId":"invalid_request","reason":"invalid_request","errors":["the request could not be read: boom"]}');
    expect(unreadableRequest(new Error('x'.repeat(500))).errors[0]).toBe(`the request could not be read: ${'x'.repeat(200)}`);
    const generic = ['the request could not be read: a value in the request threw when read'];
    for (const thrown of [undefined, null, 'text', 42, Symbol('s'), trapAll({}), throwingObject()]) expect(unreadableRequest(thrown).errors).toEqual(generic);
    const hostileError = Object.defineProperty(new Error('hidden'), 'message', {
      get: () => {
        throw new Error('message getter');
      },
    });
    expect(unreadableRequest(hostileError).errors).toEqual(generic);
    expect(unreadableRequest(trapAll(new Error('proxied'))).errors).toEqual(generic);
  });
});

describe('requestErrors', () => {
  it('is empty for well-formed parts, with or without a timestamp', () => {
    expect(requestErrors('a', 'read', {}, undefined, ACTIONS)).toEqual([]);
    expect(requestErrors('a', 'derive', { tier: 'pro' }, 0, ACTIONS)).toEqual([]);
    expect(requestErrors('a', 'read', {}, -8.64e15, ACTIONS)).toEqual([]);
  });

  it('has one message per part, in the order assetId, action, context, timestamp', () => {
    expect(requestErrors('', 'read', {}, undefined, ACTIONS)).toEqual([ASSET_ID]);
    expect(requestErrors('a', 'write', {}, undefined, ACTIONS)).toEqual([ACTION]);
    expect(requestErrors('a', 'read', [], undefined, ACTIONS)).toEqual([CONTEXT]);
    expect(requestErrors('a', 'read', {}, Number.NaN, ACTIONS)).toEqual([TIMESTAMP]);
    expect(requestErrors(undefined, undefined, undefined, 'now', ACTIONS)).toEqual([ASSET_ID, ACTION, CONTEXT, TIMESTAMP]);
  });

  it('names the actions in the order given', () => {
    expect(requestErrors('a', 'x', {}, undefined, new Set(['b', 'a', 'c']))).toEqual(['action must be one of b, a, c']);
    expect(requestErrors('a', 'x', {}, undefined, new Set(['only']))).toEqual(['action must be one of only']);
    expect(requestErrors('a', 'x', {}, undefined, new Set())).toEqual(['action must be one of ']);
  });

  it('takes each part only with its exact type', () => {
    for (const id of [undefined, null, 0, 1, true, {}, [], ['a'], new String('a'), Symbol('a'), 1n]) expect(requestErrors(id, 'read', {}, undefined, ACTIONS), String(typeof id)).toEqual([ASSET_ID]);
    for (const action of [undefined, null, '', 'READ', ' read', ['read'], new String('read'), { toString: () => 'read' }]) expect(requestErrors('a', action, {}, undefined, ACTIONS)).toEqual([ACTION]);
    for (const ctx of [undefined, null, 0, 'x', true, [], [{}], Symbol('c'), 1n]) expect(requestErrors('a', 'read', ctx, undefined, ACTIONS)).toEqual([CONTEXT]);
    for (const ts of [null, Number.NaN, Infinity, -Infinity, '1', 1n, new Number(1), {}, [1]]) expect(requestErrors('a', 'read', {}, ts, ACTIONS)).toEqual([TIMESTAMP]);
  });

  it('accepts any non-array object as the context: null prototype, class instance, Map', () => {
    expect(requestErrors('a', 'read', Object.create(null), undefined, ACTIONS)).toEqual([]);
    expect(requestErrors('a', 'read', new (class {})(), undefined, ACTIONS)).toEqual([]);
    expect(requestErrors('a', 'read', new Map(), undefined, ACTIONS)).toEqual([]);
  });

  it('never throws on hostile values, and fires no getter or trap', () => {
    let fired = 0;
    const getters = Object.defineProperty({}, 'tier', {
      enumerable: true,
      get: () => {
        fired++;
        return 'enterprise';
      },
    });
    expect(requestErrors('a', 'read', getters, undefined, ACTIONS)).toEqual([]);
    expect(fired).toBe(0);
    expect(requestErrors('a', 'read', trapAll({}), undefined, ACTIONS)).toEqual([]);
    expect(requestErrors('a', 'read', trapAll([]), undefined, ACTIONS)).toEqual([CONTEXT]);
    const hostile = [trapAll({}), trapAll([]), trapAll(() => 0), throwingObject(), Object.create(null) as object];
    for (const v of hostile) {
      expect(requestErrors(v, v, {}, v, ACTIONS)).toEqual([ASSET_ID, ACTION, TIMESTAMP]);
    }
  });

  it('ignores Object.prototype pollution', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      for (const k of ['read', 'has', 'push']) Object.defineProperty(proto, k, { value: () => true, configurable: true, writable: true });
      expect(requestErrors(undefined, 'has', undefined, undefined, ACTIONS)).toEqual([ASSET_ID, ACTION, CONTEXT]);
    } finally {
      for (const k of ['read', 'has', 'push']) delete proto[k];
    }
  });

  it('throws only where a built-in does: Array.isArray on a revoked Proxy, which decide reports as unreadable', () => {
    const p = Proxy.revocable({}, {});
    p.revoke();
    expect(() => requestErrors('a', 'read', p.proxy, undefined, ACTIONS)).toThrow(TypeError);
    expect(requestErrors(p.proxy, p.proxy, {}, undefined, ACTIONS)).toEqual([ASSET_ID, ACTION]);
  });

  it('never throws on arbitrary values and lists a subsequence of the four messages, in order', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (id, action, ctx, ts) => {
        const errors = requestErrors(id, action, ctx, ts, ACTIONS);
        const order = [ASSET_ID, ACTION, CONTEXT, TIMESTAMP];
        const at = errors.map((e) => order.indexOf(e));
        expect(at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!))).toBe(true);
      }),
    );
  });
});

describe('both engines use the runtime', () => {
  const ir = irOf(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'monetization-policy.yaml'), 'utf8'), 'examples/monetization-policy.yaml');
  const engines = { compiled: instantiate(ir), interpreter: createInterpreter(ir) };

  it('the generated code carries none of the messages or fixed decisions itself', () => {
    const src = generatedSource(ir);
    for (const text of [ASSET_ID, 'action must be one of', CONTEXT, TIMESTAMP, REQUEST_NOT_OBJECT, 'could not be read', 'default_deny', 'invalid_request', 'no_matching_policy']) expect(src).not.toContain(text);
  });

  for (const [name, engine] of Object.entries(engines)) {
    it(`${name}: decides with the runtime's decisions`, () => {
      expect(engine.decide(5)).toEqual(invalidRequest([REQUEST_NOT_OBJECT]));
      expect(engine.decide({ context: [], timestamp: Infinity })).toEqual(invalidRequest([ASSET_ID, ACTION, CONTEXT, TIMESTAMP]));
      expect(engine.decide({ assetId: 'a', action: 'read', context: {} })).toEqual(defaultDeny());
      const throwing = Object.defineProperty({}, 'assetId', {
        get: () => {
          throw new Error('boom');
        },
      });
      expect(engine.decide(throwing)).toEqual(unreadableRequest(new Error('boom')));
      expect(JSON.stringify(engine.decide({ assetId: 'a', action: 'read', context: {} }))).toBe(JSON.stringify(defaultDeny()));
    });
  }

  it('both read the four top-level parts once each, in the same order', () => {
    const reads: string[] = [];
    const request = new Proxy({ assetId: '', action: 'read', context: [], timestamp: 1 } as Record<string, unknown>, {
      get: (t, k) => {
        reads.push(String(k));
        return t[k as string];
      },
    });
    for (const engine of Object.values(engines)) {
      reads.length = 0;
      expect(engine.decide(request).errors).toEqual([ASSET_ID, CONTEXT]);
      expect(reads).toEqual(['assetId', 'action', 'context', 'timestamp']);
    }
  });
});
