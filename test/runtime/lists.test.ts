/**
 * The runtime's list readers, which both engines use: `listOf` gives a copy exactly when every
 * index below `length` is an own element of the kind, each read once — a hole, a stray kind or a
 * length that is not an array length gives undefined — and `listMask` reads a list the same way,
 * answering which of some literals it holds instead of a copy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listMask, listOf, type ElementKind } from '../../src/runtime/runtime.js';

const element = fc.oneof(fc.string({ maxLength: 3 }), fc.double(), fc.boolean(), fc.constant(undefined), fc.constant(null));

/** What a reader must answer: a copy when every index is owned and passes `ok`. */
function expected(v: readonly unknown[], ok: (e: unknown) => boolean): unknown[] | undefined {
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    if (!Object.hasOwn(v, i) || !ok(v[i])) return undefined;
    out.push(v[i]);
  }
  return out;
}

const KINDS: readonly { kind: ElementKind; ok: (e: unknown) => boolean }[] = [
  { kind: 'string', ok: (e) => typeof e === 'string' },
  { kind: 'number', ok: (e) => typeof e === 'number' && Number.isFinite(e) },
  { kind: 'boolean', ok: (e) => typeof e === 'boolean' },
];

const lists = fc.oneof(fc.sparseArray(element, { maxLength: 8 }), fc.array(element, { maxLength: 8 }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 4 }), fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 4 }));
const literals = fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.integer({ min: -2, max: 2 }), fc.boolean()), { maxLength: 5 });

describe('list readers', () => {
  for (const { kind, ok } of KINDS) {
    it(`listOf(${kind}): a copy exactly when every index is an own element of the kind (holes included)`, () => {
      fc.assert(
        fc.property(lists, (v) => {
          const got = listOf(v, kind);
          expect(got).toEqual(expected(v, ok));
          if (got !== undefined && v.length > 0) expect(got).not.toBe(v);
        }),
        { numRuns: 2000 },
      );
    });

    it(`listMask(${kind}): -1 where listOf gives undefined, else one bit per literal the list holds`, () => {
      fc.assert(
        fc.property(lists, literals, (v, lits) => {
          const copy = listOf(v, kind);
          const mask = listMask(v, kind, undefined, lits);
          if (copy === undefined) expect(mask).toBe(-1);
          else expect(mask).toBe(lits.reduce((m: number, x, j) => (copy.includes(x as never) ? m | (1 << j) : m), 0));
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('reads each element once and length once, and never the prototype for a hole', () => {
    const reads: PropertyKey[] = [];
    const target = ['a', 'b'];
    const p = new Proxy(target, { get: (t, k, r) => (reads.push(k), Reflect.get(t, k, r)) });
    expect(listOf(p, 'string')).toEqual(['a', 'b']);
    expect(reads).toEqual(['length', '0', '1']);
    reads.length = 0;
    expect(listMask(p, 'string', undefined, ['b'])).toBe(1);
    expect(reads).toEqual(['length', '0', '1']);
    const proto = Object.prototype as Record<number, unknown>;
    proto[0] = 'polluted';
    try {
      expect(listOf(new Array(1), 'string')).toBeUndefined();
      expect(listOf([, 'x'], 'string')).toBeUndefined();
      expect(listMask(new Array(1), 'string', undefined, ['polluted'])).toBe(-1);
    } finally {
      delete proto[0];
    }
  });

  it('only an array with an array length is a list', () => {
    const lying = (length: unknown) => new Proxy(['a'], { get: (t, k, r) => (k === 'length' ? length : Reflect.get(t, k, r)) });
    for (const length of ['1', -1, 1.5, NaN, 2 ** 32, undefined]) {
      expect(listOf(lying(length), 'string'), String(length)).toBeUndefined();
      expect(listMask(lying(length), 'string', undefined, ['a']), String(length)).toBe(-1);
    }
    expect(listOf(lying(1), 'string')).toEqual(['a']);
    for (const v of [undefined, null, 'ab', { length: 1, 0: 'a' }, new Set(['a'])]) expect(listOf(v, 'string')).toBeUndefined();
    expect(listOf(['a', 'b'], 'string', new Set(['a']))).toBeUndefined();
    expect(listMask(['a', 'b'], 'string', new Set(['a']), ['a'])).toBe(-1);
    expect(listOf(['a'], 'string', new Set(['a']))).toEqual(['a']);
    expect(listOf([1, Infinity], 'number')).toBeUndefined();
  });
});
