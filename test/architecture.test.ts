/**
 * The layering of src/ that docs/architecture.md draws: every import goes to a folder on a lower
 * layer (or the same folder), so there are no folder-level cycles and the leaves (runtime, diag,
 * lang, ir) never reach up into the stages that use them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** Lower layers first; a folder may import from its own layer's earlier entries only if listed lower. */
const LAYERS: readonly (readonly string[])[] = [
  ['runtime', 'money', 'diag', 'io', '(root)'],
  ['lang', 'payments'],
  ['ir', 'yaml', 'ledger'],
  ['schema', 'expr'],
  ['policy'],
  ['check'],
  ['lint', 'lower'],
  ['interp', 'codegen'],
  ['pipeline'],
  ['testing', 'service'],
  ['api'],
  ['sim'],
  ['cli'],
];
const RANK = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

/** The top folder of src/ a file belongs to; files directly in src/ are `(root)` (index.ts is the package entry, above all). */
function folderOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? (rel[0] === 'index.ts' ? '(entry)' : '(root)') : rel[0]!;
}

/** Every relative import inside src/ as [from-folder, to-folder, file]. */
function edges(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (!target.startsWith(SRC)) continue;
      out.push([folderOf(file), folderOf(target), relative(SRC, file)]);
    }
  }
  return out;
}

describe('architecture', () => {
  const all = edges();

  it('knows every folder of src/', () => {
    const folders = new Set(all.flatMap(([a, b]) => [a, b]));
    for (const f of folders) if (f !== '(entry)') expect(RANK.has(f), `folder ${f} has no layer in test/architecture.test.ts and docs/architecture.md`).toBe(true);
  });

  it('imports only go down the layers (no folder-level cycle, nothing imports upward from the leaves)', () => {
    const upward = all.filter(([from, to]) => from !== to && from !== '(entry)' && RANK.get(to)! >= RANK.get(from)!);
    expect(upward.map(([from, to, file]) => `${file}: ${from} → ${to}`)).toEqual([]);
  });

  it('the runtime and the quote engine shipped inside compiled modules import nothing', () => {
    for (const file of [join(SRC, 'runtime', 'runtime.ts'), join(SRC, 'money', 'engine.ts')]) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/^\s*import\s/m);
    }
  });
});
