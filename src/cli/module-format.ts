/**
 * Which module format `compile -o` writes: the one Node will load the file as. `.mjs` is always an
 * ES module and `.cjs` always CommonJS; any other name follows the `"type"` of the nearest
 * package.json, as Node decides (none, or no `"type": "module"`, is CommonJS). An ES module written
 * where Node expects CommonJS fails to load (`Unexpected token 'export'`) on Node before 20.19 and
 * in tools that do not guess, so the output name decides unless `--format` says otherwise.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModuleFormat } from '../codegen/bundle.js';
import { describeFsError, readText } from '../io/files.js';
import { UsageError } from './exit.js';
import type { Io } from './io.js';

/** The format in words, for messages. */
export function formatName(format: ModuleFormat): string {
  return format === 'esm' ? 'an ES module' : 'CommonJS';
}

/** How Node loads `file`, and why: its extension, or the package.json that sets its package's type. */
export function nodeModuleFormat(file: string): { format: ModuleFormat; why: string } {
  if (file.endsWith('.mjs')) return { format: 'esm', why: 'the .mjs extension' };
  if (file.endsWith('.cjs')) return { format: 'cjs', why: 'the .cjs extension' };
  // Node's package scope lookup: the nearest package.json going up, not crossing node_modules.
  for (let dir = dirname(resolve(file)); basename(dir) !== 'node_modules'; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      let type: unknown;
      try {
        type = (JSON.parse(readText(pkg)) as { type?: unknown } | null)?.type;
      } catch (e) {
        const reason = e instanceof SyntaxError ? 'it is not valid JSON' : describeFsError(e);
        throw new UsageError(`cannot read '${pkg}', which decides how Node loads '${file}': ${reason}`, 'fix it, or say the format with --format esm or --format cjs');
      }
      return type === 'module' ? { format: 'esm', why: `${pkg} has "type": "module"` } : { format: 'cjs', why: `the nearest package.json, ${pkg}, has no "type": "module"` };
    }
    if (dirname(dir) === dir) break;
  }
  return { format: 'cjs', why: 'no package.json above it has "type": "module"' };
}

/**
 * The format to write: `--format` when given, else the one Node loads `out` as (an ES module on
 * standard output). A `--format` that contradicts `.mjs`/`.cjs` is refused, since the file could
 * never load; one that contradicts a package's type gets a note (a bundler may read it anyway).
 */
export function chooseModuleFormat(out: string | undefined, flag: ModuleFormat | undefined, io: Io): ModuleFormat {
  if (out === undefined) return flag ?? 'esm';
  const node = nodeModuleFormat(out);
  if (flag === undefined || flag === node.format) return node.format;
  if (/\.[mc]js$/.test(out)) {
    throw new UsageError(`--format ${flag} writes ${formatName(flag)}, but Node loads '${out}' as ${formatName(node.format)} (${node.why})`, `name the output ${flag === 'esm' ? '.mjs' : '.cjs'}, or leave out --format`);
  }
  io.err(`monetize: note: Node loads ${out} as ${formatName(node.format)} (${node.why}), but --format ${flag} writes ${formatName(flag)}; name it ${flag === 'esm' ? '.mjs' : '.cjs'} to load it with Node\n`);
  return flag;
}
