/**
 * Turning the generated body into one self-contained module file. The runtime helpers (this
 * package's own src/runtime) are prepended as plain JavaScript; the policy body is never re-parsed
 * unless the user asks for minification or a source map, which esbuild then does in one pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ModuleFormat = 'esm' | 'cjs';

export interface BundleOptions {
  readonly format: ModuleFormat;
  readonly minify: boolean;
  readonly sourcemap: boolean;
  /** Name of the output file, used for the sourceMappingURL comment. */
  readonly outName?: string;
  readonly banner: string;
}

export interface Bundled {
  readonly code: string;
  readonly map?: string;
}

const EXPORTS = ['decide', 'quote', 'policyInfo'];
let runtimeJs: string | undefined;

/** The file the build writes the normalised runtime text to (dist/src/runtime/), read by compiles. */
export const RUNTIME_TEXT_FILE = 'runtime.normalized.txt';

/** The source files shipped inside every compiled module, in order: they import nothing. */
export const SHIPPED_SOURCES = ['runtime/runtime', 'money/engine'] as const;

/**
 * The shipped helpers (the runtime, then the quote engine) as one JavaScript text without
 * `export` keywords. The build normalises it once (see scripts/bundle-cli.ts) so that compiling
 * needs no esbuild; running from source (tests), it is normalised here from the TypeScript,
 * through the same function, to the same bytes.
 */
async function runtimeSource(): Promise<string> {
  if (runtimeJs !== undefined) return runtimeJs;
  // From dist/src/codegen (tsc output) or dist/cli/chunks (the bundled CLI).
  for (const rel of [`../runtime/${RUNTIME_TEXT_FILE}`, `../../src/runtime/${RUNTIME_TEXT_FILE}`]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return (runtimeJs = readFileSync(url, 'utf8'));
  }
  const parts: string[] = [];
  for (const file of SHIPPED_SOURCES) {
    const found = (['js', 'ts'] as const).map((loader) => [new URL(`../${file}.${loader}`, import.meta.url), loader] as const).find(([url]) => existsSync(fileURLToPath(url)));
    if (!found) throw new Error('internal: the monetize runtime module is missing from the installation');
    parts.push(await normalizeRuntime(readFileSync(found[0], 'utf8'), found[1]));
  }
  return (runtimeJs = parts.join(''));
}

/** Strip types and exports and minify whitespace, so the text does not depend on which source it came from. */
export async function normalizeRuntime(source: string, loader: 'js' | 'ts'): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.transform(source, { loader, format: 'esm', target: 'es2020', legalComments: 'none', charset: 'ascii', minifyWhitespace: true });
  return `${out.code.replace(/(^|[;}])export\{[^}]*\};?/g, '$1').replace(/(^|[;}])export /g, '$1').trim()}\n`;
}

/** Assemble `body` (which declares decide, quote and policyInfo) into an ESM or CommonJS file. */
export async function bundleModule(body: string, opts: BundleOptions): Promise<Bundled> {
  const runtime = await runtimeSource();
  const footer = opts.format === 'esm' ? `export { ${EXPORTS.join(', ')} };\n` : `module.exports = { ${EXPORTS.join(', ')} };\n`;
  const header = opts.format === 'cjs' ? '"use strict";\n' : '';
  const source = `${header}// monetize runtime\n${runtime}\n// policy\n${body}${footer}`;
  if (!opts.minify && !opts.sourcemap) return { code: `${opts.banner}\n${source}` };
  const esbuild = await import('esbuild');
  const out = await esbuild.transform(source, {
    loader: 'js',
    format: opts.format,
    minify: opts.minify,
    target: 'es2020',
    legalComments: 'none',
    charset: 'ascii',
    banner: opts.banner,
    sourcemap: opts.sourcemap ? 'external' : false,
    sourcefile: 'policy.js',
  });
  // esbuild re-prints string literals and undoes our escaping of `<`: it keeps `</script`
  // escaped but prints `<!--` raw, which opens an escaped-script state when the module is inlined
  // in HTML. Generated code never contains `<!--` outside a literal, so re-escape it everywhere.
  let code = out.code.replace(/<!--/g, '\\x3C!--');
  if (opts.sourcemap && opts.outName) code += `//# sourceMappingURL=${encodeURIComponent(`${opts.outName.replace(/^.*[\\/]/, '')}.map`)}\n`;
  return opts.sourcemap && out.map ? { code, map: out.map } : { code };
}
