/**
 * Shared test plumbing: policy text → IR (asserting it loads without errors), and every engine a
 * decision can come from — the reference interpreter, the in-process compiled module (plain and
 * with rule indexing forced), and the esbuild-bundled ESM and CJS files loaded from disk.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IrPolicy } from '../../src/ir/ir.js';
import { createInterpreter } from '../../src/interp/interpreter.js';
import { compileIr, instantiate, type DecisionModule } from '../../src/codegen/compile.js';
import type { AccessDecision } from '../../src/api/types.js';

/** One way of deciding a request. */
export interface Engine {
  readonly name: string;
  decide(request: unknown, options?: unknown): AccessDecision;
}

/** Load policy text through the whole front end; throws with the rendered errors if it has any. */
export { irOfText as irOf } from '../helpers/front-end.js';

/**
 * The engines that need no bundling: the interpreter (its `decide`, and the decision inside its
 * `explain`), the compiled module in-process, and the compiled module with indexing forced.
 */
export function inProcessEngines(ir: IrPolicy): Engine[] {
  const interp = createInterpreter(ir);
  const compiled = instantiate(ir);
  const indexed = instantiate(ir, { indexThreshold: 1 });
  return [
    { name: 'interpreter', decide: (r, o) => interp.decide(r, o) },
    { name: 'interpreter-explain', decide: (r, o) => interp.explain(r, o).decision },
    { name: 'compiled', decide: (r, o) => compiled.decide(r, o) },
    { name: 'compiled-indexed', decide: (r, o) => indexed.decide(r, o) },
  ];
}

/** A scratch directory for bundled modules, removed by `dispose`. */
export class ModuleDir {
  private readonly dir = mkdtempSync(join(tmpdir(), 'monetize-conf-'));
  private n = 0;
  private readonly require = createRequire(import.meta.url);

  /** Bundle `ir` as an ES module, write it and import it. */
  async esm(ir: IrPolicy, opts: { indexThreshold?: number; minify?: boolean } = {}): Promise<DecisionModule> {
    const file = this.write((await compileIr(ir, { format: 'esm', ...opts })).code, 'mjs');
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as DecisionModule;
  }

  /** Bundle `ir` as a CommonJS module, write it and require it. */
  async cjs(ir: IrPolicy, opts: { indexThreshold?: number; minify?: boolean } = {}): Promise<DecisionModule> {
    const file = this.write((await compileIr(ir, { format: 'cjs', ...opts })).code, 'cjs');
    return this.require(file) as DecisionModule;
  }

  private write(code: string, ext: string): string {
    const file = join(this.dir, `policy${this.n++}.${ext}`);
    writeFileSync(file, code);
    return file;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** All five engines of the conformance suite for one policy (each compiled once). */
export async function allEngines(ir: IrPolicy, dir: ModuleDir): Promise<Engine[]> {
  const esm = await dir.esm(ir);
  const cjs = await dir.cjs(ir);
  const esmIndexed = await dir.esm(ir, { indexThreshold: 1 });
  return [
    ...inProcessEngines(ir),
    { name: 'esm-file', decide: (r, o) => esm.decide(r, o) },
    { name: 'cjs-file', decide: (r, o) => cjs.decide(r, o) },
    { name: 'esm-file-indexed', decide: (r, o) => esmIndexed.decide(r, o) },
  ];
}

/** Freeze a value and everything reachable from it (plain data only). */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Reflect.ownKeys(v)) deepFreeze((v as Record<PropertyKey, unknown>)[k]);
  }
  return v;
}
