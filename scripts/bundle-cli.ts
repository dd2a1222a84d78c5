/**
 * Bundles the built CLI (dist/src/cli/main.js) into dist/cli/ with esbuild, so that starting
 * `monetize` loads a handful of files instead of hundreds of dependency modules. Commands stay
 * lazily loaded (code splitting); esbuild and better-sqlite3 stay external (native code). The
 * simulator's worker thread is a second entry point.
 */
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { normalizeRuntime, RUNTIME_TEXT_FILE, SHIPPED_SOURCES } from '../src/codegen/bundle.js';
import { validatorSource, VALIDATOR_FILE } from '../src/schema/validate.js';
import { POLICY_SCHEMA } from '../src/schema/policy-schema.js';
import { TEST_FILE_SCHEMA, TEST_VALIDATOR_FILE } from '../src/testing/test-schema.js';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

await build({
  absWorkingDir: root,
  // The replay's worker threads (`simulate --jobs`) start from their own entry, placed among the
  // chunks so that the chunk holding `replayParallel` finds it beside itself, as it does in dist/src/sim/.
  entryPoints: { main: 'dist/src/cli/main.js', 'chunks/shard-worker': 'dist/src/sim/shard-worker.js' },
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

// The runtime text every compiled module starts with (runtime, then quote engine), normalised once here.
const shipped: string[] = [];
for (const file of SHIPPED_SOURCES) shipped.push(await normalizeRuntime(readFileSync(`${root}src/${file}.ts`, 'utf8'), 'ts'));
writeFileSync(`${root}dist/src/runtime/${RUNTIME_TEXT_FILE}`, shipped.join(''));

// The policy schema's validator, compiled by ajv once here instead of at every CLI start.
writeFileSync(`${root}dist/src/schema/${VALIDATOR_FILE}`, validatorSource(POLICY_SCHEMA));
writeFileSync(`${root}dist/src/schema/${TEST_VALIDATOR_FILE}`, validatorSource(TEST_FILE_SCHEMA));
