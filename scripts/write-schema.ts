/**
 * Writes the shipped schema files (schema/policy.schema.json for editors, and its strict variant
 * schema/policy.strict.schema.json) from POLICY_SCHEMA. Run after a build:
 * `node dist/scripts/write-schema.js [out-dir]` (default: the schema/ folder of the package).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILES, policySchemaJson } from '../src/schema/policy-schema.js';

/** The nearest directory at or above `dir` holding the monetize package.json. */
function packageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'monetize') return d;
    if (dirname(d) === d) throw new Error(`no monetize package.json above ${dir}`);
  }
}

const dir = process.argv[2] !== undefined ? resolve(process.argv[2]) : join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'schema');
mkdirSync(dir, { recursive: true });
for (const [variant, name] of Object.entries(SCHEMA_FILES) as [keyof typeof SCHEMA_FILES, string][]) {
  writeFileSync(join(dir, name), policySchemaJson(variant));
  process.stderr.write(`wrote ${join(dir, name)}\n`);
}
