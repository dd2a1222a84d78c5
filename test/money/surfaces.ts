/**
 * Every surface a quote can come from, for one policy: the library engine over the lowered table,
 * the in-process compiled module, and the bundled ESM and CJS files loaded from disk.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileIr, instantiate, type DecisionModule } from '../../src/codegen/compile.js';
import type { IrPolicy } from '../../src/ir/ir.js';
import { createQuoter, type Quote, type QuoteError } from '../../src/money/engine.js';

export type QuoteFn = (assetIds: unknown, request?: unknown) => Quote | QuoteError;

export interface Surface {
  readonly name: string;
  readonly quote: QuoteFn;
}

const require = createRequire(import.meta.url);
let written = 0;

/** Bundle `ir` in `format`, write it into `dir` and load it. */
export async function loadCompiled(ir: IrPolicy, format: 'esm' | 'cjs', dir: string): Promise<DecisionModule> {
  const { code } = await compileIr(ir, { format });
  const file = join(dir, `quote${written++}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  writeFileSync(file, code);
  return format === 'esm' ? ((await import(/* @vite-ignore */ pathToFileURL(file).href)) as DecisionModule) : (require(file) as DecisionModule);
}

/** The surfaces that need no bundling. */
export function inProcessSurfaces(ir: IrPolicy): Surface[] {
  const lib = createQuoter(ir.quote);
  const mod = instantiate(ir);
  return [
    { name: 'library', quote: (a, r) => lib(a, r) },
    { name: 'in-process module', quote: (a, r) => mod.quote(a, r) },
  ];
}

/** All four surfaces, the compiled files written into `dir`. */
export async function allSurfaces(ir: IrPolicy, dir: string): Promise<Surface[]> {
  const esm = await loadCompiled(ir, 'esm', dir);
  const cjs = await loadCompiled(ir, 'cjs', dir);
  return [...inProcessSurfaces(ir), { name: 'esm file', quote: (a, r) => esm.quote(a, r) }, { name: 'cjs file', quote: (a, r) => cjs.quote(a, r) }];
}

/** A quote with `arguments.length` kept: a missing request is not passed at all. */
export function call(s: Surface, assets: unknown, request?: unknown, withRequest = request !== undefined): Quote | QuoteError {
  return withRequest ? s.quote(assets, request) : s.quote(assets);
}
