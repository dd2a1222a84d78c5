/**
 * Golden generated code: test/golden/codegen/<example>.js holds `generatedSource(ir)` for every
 * policy in examples/ (UPDATE_GOLDEN=1 rewrites them). Also: compiled files are byte-identical
 * across runs, ESM and CJS differ only in how they export, and a compiled file imports nothing.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileIr, generatedSource } from '../../src/codegen/compile.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { irOf } from '../conformance/harness.js';
import { scanJs } from '../conformance/js-scan.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const GOLDEN = join(import.meta.dirname, 'codegen');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Example policies: YAML files with top-level `rules` (test files such as *.test.yaml are not policies). */
function examplePolicies(): { name: string; text: string }[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.ya?ml$/, ''), text: readFileSync(join(EXAMPLES, f), 'utf8') }))
    .filter(({ text }) => {
      const doc = load(text) as Record<string, unknown> | null;
      return typeof doc === 'object' && doc !== null && Array.isArray(doc.rules) && !('cases' in doc);
    });
}

const examples = examplePolicies();
const irs = new Map<string, IrPolicy>(examples.map((e) => [e.name, irOf(e.text, `examples/${e.name}.yaml`)]));

describe('golden generated code', () => {
  it('covers the seed policy at least', () => {
    expect(examples.map((e) => e.name)).toContain('monetization-policy');
  });

  for (const { name } of examples) {
    it(`examples/${name}.yaml`, () => {
      const file = join(GOLDEN, `${name}.js`);
      const src = generatedSource(irs.get(name)!);
      if (UPDATE || !existsSync(file)) {
        writeFileSync(file, src);
        if (!UPDATE) throw new Error(`wrote missing golden file ${file}; re-run to compare`);
      }
      expect(src).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('has no golden file without an example', () => {
    const names = new Set(examples.map((e) => `${e.name}.js`));
    const stale = readdirSync(GOLDEN).filter((f) => f.endsWith('.js') && !names.has(f));
    if (UPDATE) for (const f of stale) unlinkSync(join(GOLDEN, f));
    else expect(stale).toEqual([]);
  });
});

/** The code with its export statement and "use strict" prologue removed. */
function withoutModuleWrapper(code: string): string {
  return code
    .split('\n')
    .filter((line) => line !== '"use strict";' && !/^export \{[^}]*\};?$/.test(line) && !/^module\.exports = \{[^}]*\};?$/.test(line))
    .join('\n');
}

describe('compiled module files', () => {
  for (const { name } of examples) {
    describe(name, () => {
      it('are byte-identical across runs, for every format and with minification', async () => {
        const ir = irs.get(name)!;
        for (const opts of [{ format: 'esm' }, { format: 'cjs' }, { format: 'esm', minify: true }, { format: 'cjs', minify: true }] as const) {
          const a = await compileIr(ir, opts);
          const b = await compileIr(ir, opts);
          expect(a.code, JSON.stringify(opts)).toBe(b.code);
          expect(a.dts).toBe(b.dts);
        }
        // Also across a fresh lowering of the same text.
        const again = irOf(examples.find((e) => e.name === name)!.text, `examples/${name}.yaml`);
        expect((await compileIr(again)).code).toBe((await compileIr(ir)).code);
      });

      it('differ between ESM and CJS only in how they export', async () => {
        const ir = irs.get(name)!;
        const esm = (await compileIr(ir, { format: 'esm' })).code;
        const cjs = (await compileIr(ir, { format: 'cjs' })).code;
        expect(esm).not.toBe(cjs);
        expect(withoutModuleWrapper(cjs)).toBe(withoutModuleWrapper(esm));
        expect(esm).toMatch(/^export \{ decide, quote, policyInfo \};$/m);
        expect(cjs).toMatch(/^module\.exports = \{ decide, quote, policyInfo \};$/m);
      });

      it('import and require nothing', async () => {
        const ir = irs.get(name)!;
        for (const format of ['esm', 'cjs'] as const) {
          for (const minify of [false, true]) {
            const { identifiers } = scanJs((await compileIr(ir, { format, minify })).code);
            expect(identifiers, `${format}${minify ? ' minified' : ''}`).not.toContain('import');
            expect(identifiers).not.toContain('require');
            expect(identifiers).not.toContain('process');
            expect(identifiers).not.toContain('globalThis');
            expect(identifiers).not.toContain('eval');
            expect(identifiers.filter((w) => w === 'export')).toHaveLength(format === 'esm' ? 1 : 0);
          }
        }
      });
    });
  }
});
