/**
 * Writes schema/policy.schema.json from POLICY_SCHEMA. Run after a build:
 * `node dist/scripts/write-schema.js [out-file]` (default: schema/policy.schema.json of the package).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policySchemaJson } from '../src/schema/policy-schema.js';

/** The nearest directory at or above `dir` holding the monetize package.json. */
function packageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'monetize') return d;
    if (dirname(d) === d) throw new Error(`no monetize package.json above ${dir}`);
  }
}

const out = process.argv[2] !== undefined
  ? resolve(process.argv[2])
  : join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'schema', 'policy.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, policySchemaJson());
process.stderr.write(`wrote ${out}\n`);
