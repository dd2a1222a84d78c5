/**
 * `quote` never throws. Throwing getters, Proxies (live and revoked), holes, `__proto__` and other
 * prototype-named ids, huge and sparse arrays, non-string ids, odd requests, a polluted
 * Object.prototype or Array.prototype, frozen inputs and a search too large to finish: every
 * surface answers with an error or a well-formed quote, all surfaces answer byte-identically,
 * and no input is mutated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUOTE_ASSETS, type Quote, type QuoteError } from '../../src/money/engine.js';
import { withProps } from '../conformance/hostile-requests.js';
import { irOfText } from '../helpers/front-end.js';
import { tempFolder } from '../helpers/tmp.js';
import { AS_OF } from './quote-cases.js';
import { allSurfaces, call, type Surface } from './surfaces.js';

/** No registry: every id costs 10 EUR; one bundle; EU VAT with reverse charge, `other` elsewhere. */
const OPEN = `version: "1.0"
currency: EUR
rules: []
default_price: 10
bundles:
  - {id: pair, assets: [a, b], price_multiplier: 0.5}
tax:
  default_code: other
  rules:
    - {region: EU, code: eu, rate: vat, reverse_charge: true}
`;

/** A registry of two assets. */
const CLOSED = `version: "1.0"
currency: EUR
rules: []
assets:
  - {id: a, price: 1}
  - {id: b, price: 2}
`;

/** 40 assets and 100 overlapping pair bundles of equal saving: choosing among them all is too much search. */
function manyBundles(): string {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let i = 0; i < 100; i++) {
    const x = Math.floor(next() * 40);
    let y = Math.floor(next() * 40);
    while (y === x) y = Math.floor(next() * 40);
    lines.push(`  - {id: b${i}, assets: [a${x}, a${y}], price_multiplier: 0.5}`);
  }
  return `version: "1.0"\nrules: []\nbundles:\n${lines.join('\n')}\n`;
}
const MANY = manyBundles();
const ALL_40 = Array.from({ length: 40 }, (_, i) => `a${i}`);

const ERROR_CODES = ['invalid_assets', 'too_many_assets', 'duplicate_asset', 'unknown_asset', 'no_price', 'invalid_request', 'unknown_country', 'too_complex', 'amount_too_large'];

/** An error with a known code and a message, or a quote whose numbers agree with each other and that prices every id once. */
function expectWellFormed(r: Quote | QuoteError, ids?: readonly string[]): void {
  if ('error' in r) {
    expect(ERROR_CODES).toContain(r.error);
    expect(typeof r.message).toBe('string');
    expect(Object.keys(r).every((k) => k === 'error' || k === 'message' || k === 'assetId')).toBe(true);
    return;
  }
  const amounts = [r.subtotalMinor, r.taxMinor, r.totalMinor, ...r.lines.flatMap((l) => [l.amountMinor, l.taxMinor]), ...r.tax.map((t) => t.amountMinor)];
  for (const a of amounts) expect(Number.isSafeInteger(a) && a >= 0, String(a)).toBe(true);
  expect(r.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(r.subtotalMinor);
  expect(r.lines.reduce((s, l) => s + l.taxMinor, 0)).toBe(r.taxMinor);
  expect(r.totalMinor).toBe(r.inclusive ? r.subtotalMinor : r.subtotalMinor + r.taxMinor);
  expect(r.vatRatesAsOf).toBe(AS_OF);
  if (ids) expect(r.lines.flatMap((l) => l.assets).sort()).toEqual([...ids].sort());
}

/** A quote line as a caller may edit it. */
interface QuoteLineDraft {
  assets: string[];
  amountMinor: number;
  taxMinor: number;
}

const unreadable: QuoteError = { error: 'invalid_request', message: 'the asset ids or the request could not be read' };
const notAString = (i: number): QuoteError => ({ error: 'invalid_assets', message: `assetIds[${i}] is not a non-empty string` });
const notAnObject: QuoteError = { error: 'invalid_request', message: 'the request must be an object' };
const badContext: QuoteError = { error: 'invalid_request', message: 'request.context must be an object' };

/** One 10 EUR single line per id, untaxed (no buyer country: the default code at rate 0). */
function singles(ids: readonly string[], country?: string): Quote {
  return {
    currency: 'EUR',
    lines: ids.map((id) => ({ assets: [id], amountMinor: 1000, taxCode: 'other', taxMinor: 0 })),
    subtotalMinor: 1000 * ids.length,
    tax: [{ code: 'other', rate: 0, amountMinor: 0 }],
    taxMinor: 0,
    totalMinor: 1000 * ids.length,
    inclusive: false,
    ...(country === undefined ? {} : { country }),
    vatRatesAsOf: AS_OF,
  };
}

/** One 10 EUR asset bought in Germany: 19 % VAT, or reverse charge. */
function german(id: string, reverse: boolean): Quote {
  const tax = reverse ? 0 : 190;
  return {
    currency: 'EUR',
    lines: [{ assets: [id], amountMinor: 1000, taxCode: 'eu', taxMinor: tax }],
    subtotalMinor: 1000,
    tax: [reverse ? { code: 'eu', rate: 0, amountMinor: 0, reverseCharge: true } : { code: 'eu', rate: 0.19, amountMinor: 190 }],
    taxMinor: tax,
    totalMinor: 1000 + tax,
    inclusive: false,
    country: 'DE',
    vatRatesAsOf: AS_OF,
  };
}

function throwingAt<T extends object>(target: T, key: PropertyKey): T {
  Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw new Error('hostile getter');
    },
  });
  return target;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Reflect.ownKeys(v)) deepFreeze((v as Record<PropertyKey, unknown>)[k]);
  }
  return v;
}

interface Hostile {
  readonly name: string;
  readonly policy: string;
  /** Fresh arguments for each surface (getters and Proxies may keep state). */
  readonly args: () => readonly [unknown, unknown?];
  /** The exact answer, when there is one to state. */
  readonly expect?: Quote | QuoteError;
  /** Ids a well-formed quote must price, each once. */
  readonly ids?: readonly string[];
  /** Run the call inside this wrapper (prototype pollution). */
  readonly around?: <T>(f: () => T) => T;
}

const pollutedObject = <T>(f: () => T): T =>
  withProps(Object.prototype, { country: 'DE', vatId: 'DE123456789', context: { country: 'DE', vatId: 'DE123456789' }, 0: 'a', 1: 'b', length: 2 }, f);
const pollutedArray = <T>(f: () => T): T => withProps(Array.prototype, { 0: 'a', 1: 'b' }, f);

const HOSTILE: readonly Hostile[] = [
  // Throwing reads.
  { name: 'a getter on an id that throws', policy: OPEN, args: () => [throwingAt(['a', 'b'], 0)], expect: unreadable },
  { name: 'a getter on the context that throws', policy: OPEN, args: () => [['a'], throwingAt({}, 'context')], expect: unreadable },
  { name: 'a getter on the country that throws', policy: OPEN, args: () => [['a'], { context: throwingAt({}, 'country') }], expect: unreadable },
  { name: 'a getter on the VAT id that throws', policy: OPEN, args: () => [['a'], { context: throwingAt({ country: 'DE' }, 'vatId') }], expect: unreadable },
  { name: 'a Proxy array whose reads throw', policy: OPEN, args: () => [new Proxy(['a'], { get: () => { throw new Error('trap'); } })], expect: unreadable },
  {
    name: 'a Proxy array whose own-property checks throw',
    policy: OPEN,
    args: () => [new Proxy(['a'], { getOwnPropertyDescriptor: () => { throw new Error('trap'); } })],
    expect: unreadable,
  },
  { name: 'a revoked Proxy as the ids', policy: OPEN, args: () => [revoked()], expect: unreadable },
  { name: 'a revoked Proxy as the request', policy: OPEN, args: () => [['a'], revoked()], expect: unreadable },
  { name: 'a revoked Proxy as the context', policy: OPEN, args: () => [['a'], { context: revoked() }], expect: unreadable },
  { name: 'a Proxy array that names one id everywhere', policy: OPEN, args: () => [new Proxy(['x', 'y', 'z'], { get: (t, k) => (k === 'length' ? 3 : typeof k === 'string' && /^\d+$/.test(k) ? 'a' : Reflect.get(t, k)) })], expect: { error: 'duplicate_asset', message: "asset 'a' is named twice", assetId: 'a' } },
  { name: 'a Proxy array read normally', policy: OPEN, args: () => [new Proxy(['c', 'd'], {})], expect: singles(['c', 'd']) },

  // Holes and prototype-named ids.
  { name: 'a hole', policy: OPEN, args: () => [[, 'a']], expect: notAString(0) }, // eslint-disable-line no-sparse-arrays
  { name: 'an array of holes', policy: OPEN, args: () => [new Array(3)], expect: notAString(0) },
  { name: 'prototype-named ids are ordinary ids without a registry', policy: OPEN, args: () => [JSON.parse('["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"]')], expect: singles(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype']) },
  { name: '__proto__ is not in a registry', policy: CLOSED, args: () => [JSON.parse('["a", "__proto__"]')], expect: { error: 'unknown_asset', message: "asset '__proto__' is not in the policy's assets registry", assetId: '__proto__' } },
  { name: 'constructor is not in a registry', policy: CLOSED, args: () => [['constructor']], expect: { error: 'unknown_asset', message: "asset 'constructor' is not in the policy's assets registry", assetId: 'constructor' } },
  { name: 'odd but valid id strings', policy: OPEN, args: () => [['\u2028', '</script>', '${x}', '😀', ' ']], expect: singles(['\u2028', '</script>', '${x}', '😀', ' ']) },
  { name: 'a very long id', policy: OPEN, args: () => [['x'.repeat(1_000_000)]], ids: ['x'.repeat(1_000_000)] },

  // Sizes.
  { name: `${MAX_QUOTE_ASSETS + 1} ids`, policy: OPEN, args: () => [Array.from({ length: MAX_QUOTE_ASSETS + 1 }, (_, i) => `id${i}`)], expect: { error: 'too_many_assets', message: 'a quote may name at most 1000 assets, not 1001' } },
  { name: 'a sparse array of length 2^32 − 1', policy: OPEN, args: () => [new Array(2 ** 32 - 1)], expect: { error: 'too_many_assets', message: 'a quote may name at most 1000 assets, not 4294967295' } },
  { name: `${MAX_QUOTE_ASSETS} distinct ids`, policy: OPEN, args: () => [Array.from({ length: MAX_QUOTE_ASSETS }, (_, i) => `id${i}`)], expect: singles(Array.from({ length: MAX_QUOTE_ASSETS }, (_, i) => `id${i}`)) },
  { name: `${MAX_QUOTE_ASSETS} copies of one id`, policy: OPEN, args: () => [new Array(MAX_QUOTE_ASSETS).fill('a')], expect: { error: 'duplicate_asset', message: "asset 'a' is named twice", assetId: 'a' } },
  { name: 'too many overlapping bundles to choose among', policy: MANY, args: () => [ALL_40], expect: { error: 'too_complex', message: 'choosing among 100 overlapping bundles would take more than 200000 search steps; quote fewer assets at once' } },

  // Ids that are not strings.
  ...([1, 0, null, undefined, {}, ['a'], new String('a'), Symbol('a'), 1n, true, () => 'a'] as unknown[]).map(
    (id): Hostile => ({ name: `a non-string id: ${typeof id === 'symbol' ? 'symbol' : typeof id === 'bigint' ? 'bigint' : JSON.stringify(id) ?? typeof id}`, policy: OPEN, args: () => [['a', id]], expect: notAString(1) }),
  ),
  ...([null, undefined, 0, 'a', {}, new Map([[0, 'a']]), new Set(['a'])] as unknown[]).map(
    (ids): Hostile => ({ name: `ids that are not an array: ${ids instanceof Map ? 'Map' : ids instanceof Set ? 'Set' : JSON.stringify(ids) ?? 'undefined'}`, policy: OPEN, args: () => [ids], expect: { error: 'invalid_assets', message: 'assetIds must be an array of asset id strings' } }),
  ),

  // Odd requests.
  { name: 'a null request', policy: OPEN, args: () => [['a'], null], expect: notAnObject },
  { name: 'an array request', policy: OPEN, args: () => [['a'], [{ context: { country: 'DE' } }]], expect: notAnObject },
  { name: 'a number request', policy: OPEN, args: () => [['a'], 5], expect: notAnObject },
  { name: 'a null context', policy: OPEN, args: () => [['a'], { context: null }], expect: badContext },
  { name: 'a string context', policy: OPEN, args: () => [['a'], { context: 'DE' }], expect: badContext },
  { name: 'an array context', policy: OPEN, args: () => [['a'], { context: [] }], expect: badContext },
  { name: 'a request without a context', policy: OPEN, args: () => [['a'], {}], expect: singles(['a']) },
  { name: 'a null country is no country', policy: OPEN, args: () => [['a'], { context: { country: null } }], expect: singles(['a']) },
  { name: 'a numeric country', policy: OPEN, args: () => [['a'], { context: { country: 49 } }], expect: { error: 'unknown_country', message: "country of the request is not an ISO 3166-1 alpha-2 code such as 'DE'" } },
  ...['DE ', 'de', 'D', 'DEU', '__proto__', 'toString', 'EU', ''].map(
    (country): Hostile => ({ name: `country ${JSON.stringify(country)}`, policy: OPEN, args: () => [['a'], { context: { country } }], expect: { error: 'unknown_country', message: `country '${country}' is not an ISO 3166-1 alpha-2 code such as 'DE'` } }),
  ),
  { name: 'a numeric VAT id is no VAT id', policy: OPEN, args: () => [['x'], { context: { country: 'DE', vatId: 123 } }], expect: german('x', false) },
  { name: 'a VAT id reverse-charges', policy: OPEN, args: () => [['x'], { context: { country: 'DE', vatId: 'DE123456789' } }], expect: german('x', true) },
  { name: 'an inherited context is not read', policy: OPEN, args: () => [['a'], Object.create({ context: { country: 'DE' } }) as object], expect: singles(['a']) },
  { name: 'an inherited country is not read', policy: OPEN, args: () => [['a'], { context: Object.create({ country: 'DE' }) as object }], expect: singles(['a']) },
  {
    name: 'a null-prototype request and context are read',
    policy: OPEN,
    args: () => [['x'], Object.assign(Object.create(null) as object, { context: Object.assign(Object.create(null) as object, { country: 'DE' }) })],
    expect: german('x', false),
  },
  { name: 'frozen inputs', policy: OPEN, args: () => [deepFreeze(['x']), deepFreeze({ context: { country: 'DE', vatId: 'DE1' } })], expect: german('x', true) },

  // Polluted prototypes supply nothing.
  { name: 'polluted Object.prototype: no request', policy: OPEN, args: () => [['a']], around: pollutedObject, expect: singles(['a']) },
  { name: 'polluted Object.prototype: an empty request', policy: OPEN, args: () => [['a'], {}], around: pollutedObject, expect: singles(['a']) },
  { name: 'polluted Object.prototype: an empty context', policy: OPEN, args: () => [['a'], { context: {} }], around: pollutedObject, expect: singles(['a']) },
  { name: 'polluted Object.prototype: no VAT id from the prototype', policy: OPEN, args: () => [['x'], { context: { country: 'DE' } }], around: pollutedObject, expect: german('x', false) },
  { name: 'polluted Object.prototype: a hole stays a hole', policy: OPEN, args: () => [[, 'c']], around: pollutedObject, expect: notAString(0) }, // eslint-disable-line no-sparse-arrays
  { name: 'polluted Object.prototype: an array-like is still no array', policy: OPEN, args: () => [{}], around: pollutedObject, expect: { error: 'invalid_assets', message: 'assetIds must be an array of asset id strings' } },
  { name: 'polluted Array.prototype: holes stay holes', policy: OPEN, args: () => [new Array(2)], around: pollutedArray, expect: notAString(0) },
  { name: 'polluted Array.prototype: a quote is unchanged', policy: OPEN, args: () => [['c']], around: pollutedArray, expect: singles(['c']) },
];

const dir = tempFolder('monetize-quote-hostile-');
const surfacesOf = new Map<string, Surface[]>();
beforeAll(async () => {
  for (const text of new Set(HOSTILE.map((h) => h.policy))) surfacesOf.set(text, await allSurfaces(irOfText(text), dir()));
});

describe('quote on hostile input', () => {
  it.each(HOSTILE.map((h) => [h.name, h] as const))('%s', (_name, h) => {
    const results = surfacesOf.get(h.policy)!.map((s) => {
      const [assets, request] = h.args();
      const withRequest = h.args().length > 1;
      const before = snapshot([assets, request]);
      let r: Quote | QuoteError | undefined;
      const run = (): Quote | QuoteError => call(s, assets, request, withRequest);
      try {
        r = h.around ? h.around(run) : run();
      } catch (err) {
        throw new Error(`${s.name} threw ${String(err)}`);
      }
      expect(snapshot([assets, request]), `${s.name} mutated its input`).toBe(before);
      expectWellFormed(r, h.ids);
      if (h.expect) expect(r, s.name).toStrictEqual(h.expect);
      return JSON.stringify(r);
    });
    expect(new Set(results).size, 'surfaces disagree').toBe(1);
  });

  it('hands the caller a quote of its own: changing it does not change later quotes', () => {
    for (const s of surfacesOf.get(OPEN)!) {
      const first = s.quote(['c', 'b', 'a']);
      const want = JSON.stringify(first);
      if ('error' in first) throw new Error(`${s.name}: ${first.message}`);
      expect(first.lines[0]).toMatchObject({ bundleId: 'pair', assets: ['a', 'b'] });
      // Every array and object in the answer belongs to the caller, who may edit it.
      const lines = first.lines as QuoteLineDraft[];
      lines[0]!.assets.push('z');
      lines[0]!.assets[0] = 'edited';
      lines[0]!.amountMinor = 0;
      lines.push({ assets: ['extra'], amountMinor: 1, taxMinor: 0 });
      (first.tax as unknown[]).length = 0;
      expect(JSON.stringify(s.quote(['c', 'b', 'a'])), s.name).toBe(want);
    }
  });

  it('leaves the prototypes as they were', () => {
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'country')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(Array.prototype, 0)).toBe(false);
  });
});

/** A comparable text of plain inputs; inputs that cannot be read compare as unreadable. */
function snapshot(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' || typeof x === 'symbol' || typeof x === 'function' ? String(x) : x === undefined ? '#undefined' : x)) ?? '#undefined';
  } catch {
    return '#unreadable';
  }
}
