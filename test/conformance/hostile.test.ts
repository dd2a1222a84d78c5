/**
 * Hostile input. Policy text: strings that try to break out of literals, comments and script
 * blocks, in every place a policy can reach the output — the compiled code must carry them only
 * as string literals (its skeleton equals that of a benign twin policy), load without touching
 * globals and decide exactly as the interpreter. Requests: prototype keys, prototype pollution,
 * throwing getters and Proxies, huge and deep values, non-objects, frozen inputs — decide never
 * throws, returns a well-formed decision, agrees across engines and never mutates its input. Reads:
 * a polluted prototype supplies no value, a hole in a list is absent, and every request value is
 * read once per decision, so stateful getters and Proxies cannot split the engines.
 */
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileIr, generatedSource, instantiate } from '../../src/codegen/compile.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { allEngines, irOf, ModuleDir, type Engine } from './harness.js';
import { HOSTILE, hostilePolicy, indexedHostilePolicy, type HostileCase } from './hostile-corpus.js';
import { hostileRequests, REQUEST_POLICY, throwingGetter, wellFormed } from './hostile-requests.js';
import { hostileReads, READS_POLICY } from './hostile-reads.js';
import { scanJs } from './js-scan.js';

const dir = new ModuleDir();
afterAll(() => dir.dispose());

/** A renaming of hostile strings to plain ones (injective, so equal strings stay equal). */
function benignNames(): (s: string) => string {
  const names = new Map<string, string>();
  return (s) => {
    let n = names.get(s);
    if (n === undefined) names.set(s, (n = `plain${names.size}`));
    return n;
  };
}

/** Characters and sequences that must never appear raw in generated code, even inside literals. */
const NEVER_RAW = ['\u2028', '\u2029', '\u0000', '\r'];
const NEVER_RAW_CI = ['</script', '<!--'];

function assertOnlyInLiterals(hostileCode: string, benignCode: string): void {
  const h = scanJs(hostileCode);
  const b = scanJs(benignCode);
  expect(h.skeleton).toBe(b.skeleton);
  for (const s of NEVER_RAW) expect(hostileCode.includes(s), `raw ${JSON.stringify(s)}`).toBe(false);
  for (const s of NEVER_RAW_CI) expect(hostileCode.toLowerCase().includes(s), `raw ${s}`).toBe(false);
  expect(h.identifiers).not.toContain('pwned');
  expect(h.identifiers).not.toContain('require');
  expect(h.identifiers).not.toContain('process');
}

const POLICIES = [
  { name: 'hostile strings everywhere', make: hostilePolicy },
  { name: 'hostile enum values under rule indexing', make: indexedHostilePolicy },
];

for (const { name, make } of POLICIES) {
  describe(`policy text: ${name}`, () => {
    const hostile = make((s) => s);
    const benign = make(benignNames());
    let irH: IrPolicy;
    let irB: IrPolicy;
    beforeAll(() => {
      irH = irOf(dump(hostile.doc, { noRefs: true }), 'hostile.yaml');
      irB = irOf(dump(benign.doc, { noRefs: true }), 'benign.yaml');
    });

    it('loads, and keeps every hostile string as data', () => {
      const reasons = irH.rules.map((r) => r.reason);
      for (const s of HOSTILE) expect(reasons).toContain(s);
    });

    it('reaches the unbundled source only inside string literals', () => {
      assertOnlyInLiterals(generatedSource(irH), generatedSource(irB));
      assertOnlyInLiterals(generatedSource(irH, { indexThreshold: 1 }), generatedSource(irB, { indexThreshold: 1 }));
      const strings = scanJs(generatedSource(irH)).strings.join('\n');
      for (const s of HOSTILE) expect(strings.includes(s), JSON.stringify(s)).toBe(true);
    });

    it('reaches the bundled ESM and CJS files only inside string literals', async () => {
      for (const format of ['esm', 'cjs'] as const) {
        for (const indexThreshold of [undefined, 1]) {
          const opts = { format, ...(indexThreshold ? { indexThreshold } : {}) };
          assertOnlyInLiterals((await compileIr(irH, opts)).code, (await compileIr(irB, opts)).code);
        }
      }
    });

    it('minified output still escapes what would end a script element', async () => {
      const { code } = await compileIr(irH, { format: 'esm', minify: true });
      for (const s of NEVER_RAW) expect(code.includes(s), `raw ${JSON.stringify(s)}`).toBe(false);
      for (const s of NEVER_RAW_CI) expect(code.toLowerCase().includes(s), `raw ${s}`).toBe(false);
    });

    it('loads without setting globals and decides exactly as the interpreter', async () => {
      const before = Reflect.ownKeys(globalThis);
      const engines: Engine[] = await allEngines(irH, dir);
      const minified = await dir.esm(irH, { minify: true });
      const minifiedCjs = await dir.cjs(irH, { minify: true, indexThreshold: 1 });
      engines.push({ name: 'esm-minified', decide: (r, o) => minified.decide(r, o) });
      engines.push({ name: 'cjs-minified-indexed', decide: (r, o) => minifiedCjs.decide(r, o) });
      expect(Reflect.ownKeys(globalThis)).toEqual(before);
      const interp = createInterpreter(irH);
      for (const c of hostile.cases as HostileCase[]) {
        const want = interp.decide(c.request, c.options);
        expect(want.policyId, c.name).toBe(c.ruleId);
        for (const e of engines) expect(e.decide(c.request, c.options), `${e.name}: ${c.name}`).toEqual(want);
      }
      expect(Reflect.ownKeys(globalThis)).toEqual(before);
      expect('pwned' in globalThis).toBe(false);
    });

    it('policyInfo carries rule ids as data', () => {
      const info = instantiate(irH).policyInfo;
      expect(info.ruleIds).toEqual(irH.rules.map((r) => r.id));
      expect(Object.isFrozen(info)).toBe(true);
    });
  });
}

describe('policy text the format does not admit', () => {
  const valid = (): Record<string, unknown> => ({ version: '1.0', rules: [{ id: 'r', action: { allow: true } }] });
  const cases: [string, (doc: Record<string, unknown>) => void][] = [
    ['a rule id', (d) => ((d.rules as Record<string, unknown>[])[0]!.id = '</script>')],
    ['a rule id with a quote', (d) => ((d.rules as Record<string, unknown>[])[0]!.id = 'a"b')],
    ['the currency', (d) => (d.currency = '"); x; ("')],
    ['a declared field name', (d) => (d.schema = { user: { 'a"b': 'string' } })],
    ['a param name', (d) => (d.params = { 'x\u2028y': 1, '__proto__"': 2 })],
    ['a version', (d) => (d.version = '1.0</script>')],
  ];
  for (const [what, spoil] of cases) {
    it(`rejects hostile text in ${what}`, () => {
      const doc = valid();
      spoil(doc);
      expect(() => irOf(dump(doc, { noRefs: true }))).toThrow(/policy did not load/);
    });
  }
});

describe('parts of a request the policy does not read', () => {
  it('are not read, by any engine', async () => {
    const engines = await allEngines(irOf('version: "1.0"\nrules:\n  - {id: pro, condition: "user.tier == \'pro\'", action: {allow: true}}\n'), dir);
    const request = throwingGetter(throwingGetter(throwingGetter({ assetId: 'a', action: 'read', context: { tier: 'pro' } }, 'asset', 'asset read'), 'params', 'params read'), 'extra', 'extra read');
    const options = throwingGetter({}, 'params', 'options read');
    for (const e of engines) expect(e.decide(request, options), e.name).toEqual({ allowed: true, policyId: 'pro' });
  });
});

const REQUEST_SUITES = [
  { name: 'hostile requests', policy: REQUEST_POLICY, cases: hostileRequests },
  { name: 'hostile reads: prototypes, holes and stateful getters', policy: READS_POLICY, cases: hostileReads },
];

for (const suite of REQUEST_SUITES) {
  describe(suite.name, () => {
    let engines: Engine[] = [];
    beforeAll(async () => {
      engines = await allEngines(irOf(suite.policy, 'requests.yaml'), dir);
    });

    for (const c of suite.cases()) {
      it(c.name, () => {
        const snapshot = c.snapshot?.();
        const got = engines.map((e) => {
          try {
            return c.run((r, o) => e.decide(r, o));
          } catch (err) {
            throw new Error(`${e.name} threw: ${String(err)}`);
          }
        });
        for (const d of got) wellFormed(d);
        got.forEach((d, i) => expect(d, engines[i]!.name).toEqual(got[0]));
        if (c.expect) c.expect(got[0]!);
        if (snapshot !== undefined) expect(c.snapshot!()).toBe(snapshot);
        c.after?.();
      });
    }
  });
}
