/**
 * Bundles the built CLI (dist/src/cli/main.js) into dist/cli/ with esbuild, so that starting
 * `monetize` loads a handful of files instead of hundreds of dependency modules. Commands stay
 * lazily loaded (code splitting); esbuild and better-sqlite3 stay external (native code).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['esbuild', 'better-sqlite3'],
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Dependencies written as CommonJS (ajv) need `require` for Node built-ins inside an ES module.
  banner: { js: "import { createRequire as __monetizeRequire } from 'node:module'; const require = __monetizeRequire(import.meta.url);" },
});
