/** `monetize compile <policy> [-o out.js]`: write a standalone decision module and its .d.ts. */
import { compileIr } from '../../codegen/compile.js';
import type { ModuleFormat } from '../../codegen/bundle.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, writeOutput, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';

interface CompileFlags {
  output?: string;
  format: ModuleFormat;
  minify?: boolean;
  sourcemap?: boolean;
}

/** `out.js` → `out.d.ts`, `out.mjs` → `out.d.mts`, `out.cjs` → `out.d.cts`. */
export function declarationPath(out: string): string {
  const m = /\.(m|c)?js$/.exec(out);
  if (!m) return `${out}.d.ts`;
  return `${out.slice(0, m.index)}.d.${m[1] ?? ''}ts`;
}

/** Run the compile command. */
export async function compileCommand([policyPath, flags]: [string, CompileFlags], io: Io): Promise<number> {
  if (flags.output !== undefined) {
    refuseOverwrite(flags.output, [policyPath]);
    if (/\.ya?ml$/.test(flags.output)) throw new UsageError(`-o '${flags.output}' would write JavaScript into a YAML file`, 'name the output .js, .mjs or .cjs');
  }
  const checked = loadChecked(policyPath, io);
  if ('exit' in checked) return checked.exit;
  const out = flags.output;
  const compiled = await compileIr(checked.ir, {
    format: flags.format,
    minify: flags.minify === true,
    sourcemap: flags.sourcemap === true && out !== undefined,
    ...(out !== undefined ? { outName: out } : {}),
  });
  if (out === undefined) {
    if (flags.sourcemap) io.err('monetize: --sourcemap needs -o <file>; the source map was not written\n');
    io.out(compiled.code);
    return EXIT.ok;
  }
  writeOutput(out, compiled.code);
  writeOutput(declarationPath(out), compiled.dts);
  if (compiled.map !== undefined) writeOutput(`${out}.map`, compiled.map);
  io.err(`wrote ${out} (${Buffer.byteLength(compiled.code)} bytes, ${checked.ir.rules.length} rules) and ${declarationPath(out)}${compiled.map !== undefined ? ` and ${out}.map` : ''}\n`);
  return EXIT.ok;
}
