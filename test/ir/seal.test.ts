/**
 * src/ir/seal.ts: the IR the engines consume has no Object.prototype to read a missing key from,
 * and is frozen. So Object.prototype pollution — while generating code or while deciding — cannot give a
 * rule a reason, redirect, cost or condition it does not have, nor a field a fallback or enum values.
 */
import { describe, expect, it } from 'vitest';
import { generatedSource } from '../../src/codegen/compile.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { sealIr } from '../../src/ir/seal.js';
import { irOf } from '../conformance/harness.js';
import { IR_POLLUTION, READS_POLICY } from '../conformance/hostile-reads.js';
import { withProps } from '../conformance/hostile-requests.js';

const POLICY = READS_POLICY;
/** Every key some IR object leaves out or an engine might look up, and one more a field source has. */
const POLLUTION: Readonly<Record<string, unknown>> = { ...IR_POLLUTION, registryKey: 'type' };

/** The keys each node kind must own (every key of a kind is required, so none is read from a prototype). */
const NODE_KEYS: Readonly<Record<string, readonly string[]>> = {
  lit: ['value'],
  list: ['items'],
  field: ['field'],
  exists: ['field'],
  not: ['x'],
  and: ['a', 'b'],
  or: ['a', 'b'],
  op: ['op', 'args'],
  call: ['fn', 'args'],
};

const isNode = (o: object): boolean => Object.hasOwn(o, 'k') && Object.hasOwn(o, 'span');

/** `n` and the nodes below it (operands, list items), which lowering owns and sealing keeps. */
function collectNodes(n: unknown, into: object[]): void {
  if (typeof n !== 'object' || n === null) return;
  if (Array.isArray(n)) return n.forEach((x) => collectNodes(x, into));
  if (!isNode(n)) return;
  into.push(n);
  for (const k of Reflect.ownKeys(n)) if (k !== 'span') collectNodes((n as Record<PropertyKey, unknown>)[k], into);
}

/** Every object reachable from `v` outside expression nodes, with its key path; nodes go to `nodes`. */
function* objects(v: unknown, nodes: object[], path = 'ir'): Generator<[string, object]> {
  if (typeof v !== 'object' || v === null) return;
  if (isNode(v)) {
    collectNodes(v, nodes);
    return;
  }
  yield [path, v];
  for (const k of Reflect.ownKeys(v)) yield* objects((v as Record<PropertyKey, unknown>)[k], nodes, `${path}.${String(k)}`);
}

describe('sealed IR', () => {
  it('lowering seals: every record is frozen and inherits nothing from Object.prototype; every node owns all its keys', () => {
    const ir = irOf(POLICY);
    const nodes: object[] = [];
    const all = [...objects(ir, nodes)];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter(([, o]) => !Object.isFrozen(o)).map(([path]) => path)).toEqual([]);
    // Records inherit only from one empty, frozen object that has no prototype itself; arrays from Array.prototype.
    const protos = new Set(all.filter(([, o]) => !Array.isArray(o)).map(([, o]) => Object.getPrototypeOf(o) as object));
    expect(protos.size).toBe(1);
    const [proto] = protos;
    expect(Object.getPrototypeOf(proto!)).toBe(null);
    expect(Object.isFrozen(proto)).toBe(true);
    expect(Reflect.ownKeys(proto!)).toEqual([]);
    expect(all.filter(([, o]) => Array.isArray(o) && Object.getPrototypeOf(o) !== Array.prototype).map(([path]) => path)).toEqual([]);
    expect(nodes.length).toBeGreaterThan(20);
    for (const n of nodes) {
      const kind = (n as { k: string }).k;
      expect(Object.hasOwn(NODE_KEYS, kind), kind).toBe(true);
      for (const key of NODE_KEYS[kind]!) expect(Object.hasOwn(n, key), `${kind}.${key}`).toBe(true);
    }
    expect(sealIr(ir)).toBe(ir);
  });

  it('sealing a hand-built IR keeps its data, `__proto__` keys included, as own data', () => {
    const ir = irOf(POLICY);
    const metadata = JSON.parse('{"__proto__": {"weight": 1}, "weight": 3}') as Record<string, unknown>;
    const copy = { ...ir, assets: ir.assets.map((a) => ({ ...a, metadata })) } as IrPolicy;
    const sealed = sealIr(copy);
    expect(sealed).not.toBe(copy);
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(copy));
    expect(Object.hasOwn(sealed.assets[0]!.metadata, '__proto__')).toBe(true);
  });

  it('code generation reads no IR key from Object.prototype', () => {
    const ir = irOf(POLICY);
    const want = generatedSource(ir);
    expect(withProps(Object.prototype, POLLUTION, () => generatedSource(ir))).toBe(want);
    expect(withProps(Object.prototype, POLLUTION, () => generatedSource(ir, { indexThreshold: 1 }))).toBe(generatedSource(ir, { indexThreshold: 1 }));
  });

  it('the interpreter seals an IR built elsewhere, so a polluted prototype supplies nothing to it', () => {
    const ir = irOf(POLICY);
    // Plain objects with prototypes, as a caller might build (or deserialize) an IR.
    const plain = JSON.parse(JSON.stringify(ir)) as IrPolicy;
    const interp = createInterpreter(plain);
    const cases: [unknown, unknown][] = [
      [{ assetId: 'model:reg', action: 'read', context: { nick: 'plain' } }, { allowed: true, policyId: 'nick_allow' }],
      [{ assetId: 'model:reg', action: 'read', context: {} }, { allowed: true, policyId: 'typed', cost: 2 }],
      [{ assetId: 'x', action: 'read', context: {} }, { allowed: false, policyId: 'catch_all' }],
    ];
    for (const [request, want] of cases) {
      expect(withProps(Object.prototype, POLLUTION, () => interp.decide(request))).toEqual(want);
      expect(withProps(Object.prototype, POLLUTION, () => interp.explain(request).decision)).toEqual(want);
    }
  });
});
