/**
 * esbuild turns the generated ES module into one self-contained file: the runtime helpers are
 * inlined from this package's own runtime module (tree-shaken), nothing is imported at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

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

/** The runtime module's source: the built JavaScript, or the TypeScript when running from source. */
function runtimeSource(): { contents: string; loader: 'js' | 'ts' } {
  for (const [ext, loader] of [
    ['js', 'js'],
    ['ts', 'ts'],
  ] as const) {
    const url = new URL(`../runtime/runtime.${ext}`, import.meta.url);
    if (existsSync(fileURLToPath(url))) return { contents: readFileSync(url, 'utf8'), loader };
  }
  throw new Error('internal: the monetize runtime module is missing from the installation');
}

const runtimePlugin: Plugin = {
  name: 'monetize-runtime',
  setup(build) {
    build.onResolve({ filter: /^monetize:runtime$/ }, () => ({ path: 'runtime', namespace: 'monetize' }));
    build.onLoad({ filter: /.*/, namespace: 'monetize' }, () => runtimeSource());
  },
};

/** Bundle an ES module source (importing `monetize:runtime`) into one file. */
export async function bundleModule(esmSource: string, opts: BundleOptions): Promise<Bundled> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: esmSource, loader: 'js', sourcefile: 'policy.js' },
    bundle: true,
    write: false,
    format: opts.format,
    platform: 'neutral',
    target: 'es2020',
    minify: opts.minify,
    treeShaking: true,
    legalComments: 'none',
    charset: 'ascii',
    banner: { js: opts.banner },
    sourcemap: opts.sourcemap ? 'external' : false,
    outfile: opts.outName ?? 'policy.js',
    plugins: [runtimePlugin],
    logLevel: 'silent',
  });
  const files = result.outputFiles ?? [];
  const js = files.find((f) => f.path.endsWith('.js'));
  const map = files.find((f) => f.path.endsWith('.map'));
  if (!js) throw new Error('internal: esbuild produced no output');
  let code = js.text;
  if (opts.sourcemap && opts.outName) code += `//# sourceMappingURL=${opts.outName.replace(/^.*[\\/]/, '')}.map\n`;
  return map ? { code, map: map.text } : { code };
}
