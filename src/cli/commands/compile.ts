/** `monetize compile <policy> [-o out.js]`: write a standalone decision module and its .d.ts. */
import { compileIr } from '../../codegen/compile.js';
import type { ModuleFormat } from '../../codegen/bundle.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, writeOutputs, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';
import { chooseModuleFormat, formatName } from '../module-format.js';

interface CompileFlags {
  output?: string;
  /** Absent unless given: the output name and its package decide. */
  format?: ModuleFormat;
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
  const out = flags.output;
  const sourcemap = flags.sourcemap === true && out !== undefined;
  if (out !== undefined) {
    // Every file the run writes, checked before the work: the declarations and the map too.
    refuseOverwrite([out, declarationPath(out), ...(sourcemap ? [`${out}.map`] : [])], [policyPath]);
    if (/\.ya?ml$/.test(out)) throw new UsageError(`-o '${out}' would write JavaScript into a YAML file`, 'name the output .js, .mjs or .cjs');
  }
  const format = chooseModuleFormat(out, flags.format, io);
  const checked = loadChecked(policyPath, io);
  if ('exit' in checked) return checked.exit;
  const compiled = await compileIr(checked.ir, {
    format,
    minify: flags.minify === true,
    sourcemap,
    ...(out !== undefined ? { outName: out } : {}),
  });
  if (out === undefined) {
    if (flags.sourcemap) io.err('monetize: --sourcemap needs -o <file>; the source map was not written\n');
    io.out(compiled.code);
    return EXIT.ok;
  }
  const dts = declarationPath(out);
  writeOutputs(
    [{ path: out, content: compiled.code }, { path: dts, content: compiled.dts }, ...(compiled.map !== undefined ? [{ path: `${out}.map`, content: compiled.map }] : [])],
    [policyPath],
  );
  io.err(`wrote ${out} as ${formatName(format)} (${Buffer.byteLength(compiled.code)} bytes, ${checked.ir.rules.length} rules) and ${dts}${compiled.map !== undefined ? ` and ${out}.map` : ''}\n`);
  return EXIT.ok;
}
