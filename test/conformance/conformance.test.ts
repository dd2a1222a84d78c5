/**
 * Conformance cases as data (test/conformance/cases/*.yaml): every case runs through the reference
 * interpreter, the in-process compiled module, the bundled ESM and CJS files, and the compiled
 * module with rule indexing forced — and every engine must give exactly the expected decision.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyText } from '../../src/pipeline/pipeline.js';
import { allEngines, irOf, ModuleDir, type Engine } from './harness.js';

interface Case {
  readonly name: string;
  readonly request: unknown;
  readonly params?: Record<string, unknown>;
  readonly expect: Record<string, unknown>;
}

interface CaseFile {
  readonly note: string;
  readonly policy: Record<string, unknown>;
  readonly cases: readonly Case[];
}

const CASES_DIR = join(import.meta.dirname, 'cases');
const files = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Parse a case file and check its shape, so a typo in the data fails loudly rather than vacuously. */
function readCaseFile(file: string): CaseFile {
  const doc = load(readFileSync(join(CASES_DIR, file), 'utf8')) as CaseFile;
  if (typeof doc.note !== 'string' || !doc.note.trim()) throw new Error(`${file}: 'note' must be a non-empty string`);
  if (typeof doc.policy !== 'object' || doc.policy === null) throw new Error(`${file}: 'policy' must be a mapping`);
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) throw new Error(`${file}: 'cases' must be a non-empty list`);
  const names = new Set<string>();
  for (const c of doc.cases) {
    if (typeof c.name !== 'string' || names.has(c.name)) throw new Error(`${file}: case names must be unique strings (${String(c.name)})`);
    names.add(c.name);
    if (!('request' in c)) throw new Error(`${file}: case '${c.name}' has no request`);
    const e = c.expect;
    if (typeof e !== 'object' || e === null || typeof e.allowed !== 'boolean' || typeof e.policyId !== 'string') {
      throw new Error(`${file}: case '${c.name}' must expect a full decision ({allowed, policyId, ...})`);
    }
  }
  return doc;
}

const dir = new ModuleDir();
afterAll(() => dir.dispose());

let total = 0;
for (const file of files) {
  const doc = readCaseFile(file);
  total += doc.cases.length;
  describe(file.replace(/\.yaml$/, ''), () => {
    let engines: Engine[] = [];
    beforeAll(async () => {
      const text = dump(doc.policy, { noRefs: true });
      engines = await allEngines(irOf(text, file), dir);
    });

    for (const c of doc.cases) {
      it(c.name, () => {
        expect(engines).toHaveLength(7);
        const options = c.params === undefined ? undefined : { params: c.params };
        for (const engine of engines) {
          const before = structuredClone(c.request);
          const got = engine.decide(c.request, options);
          expect(got, `${engine.name} on '${c.name}'`).toEqual(c.expect);
          expect(c.request, `${engine.name} must not mutate the request`).toEqual(before);
        }
      });
    }
  });
}

describe('policies the engines could not agree on are rejected', () => {
  // `==` on lists: the interpreter treats a list operand as missing while JavaScript compares
  // identity, so `user.entitlements != []` matched in compiled code and never in the interpreter.
  for (const cond of ["user.entitlements != []", "user.entitlements == ['a']", "[] == asset.tags", "asset.tags != user.entitlements"]) {
    it(cond, () => {
      const r = loadPolicyText('p.yaml', `version: "1.0"\nrules:\n  - id: r\n    condition: ${JSON.stringify(cond)}\n    action: {allow: true}\n`);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['M301']);
    });
  }
});

describe('the case corpus', () => {
  it('is large enough to mean something', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(total).toBeGreaterThanOrEqual(150);
  });
});
