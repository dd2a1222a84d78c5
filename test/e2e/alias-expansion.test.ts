/**
 * A policy whose aliases expand past the limit is rejected the same way by every command: an M104
 * at the alias, exit 1 — never a command that passes lint and then dies with an internal error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild } from '../helpers/cli.js';

beforeAll(() => requireBuild());

const dir = mkdtempSync(join(tmpdir(), 'monetize-alias-'));

/** `rules` rules whose action or condition is an alias of one anchored value of `length` characters. */
function write(name: string, kind: 'reason' | 'condition', length: number, rules: number): string {
  const lines = ['version: "1.0"', 'rules:'];
  const value = kind === 'reason' ? `"${'x'.repeat(length)}"` : `"${Array.from({ length: Math.floor((length + 4) / 24) }, (_, i) => `user.id != 'u${String(i).padStart(6, '0')}'`).join(' && ')}"`;
  for (let i = 0; i < rules; i++) {
    const anchorOrAlias = i === 0 ? `&v ${value}` : '*v';
    lines.push(`  - id: r${i}`);
    if (kind === 'reason') lines.push(`    action: {allow: false, reason: ${anchorOrAlias}}`);
    else lines.push(`    condition: ${anchorOrAlias}`, '    action: {allow: true, cost: 0}');
  }
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

describe('alias expansion limit', () => {
  it('a 1 MB reason aliased 600 times: lint, compile and explain all report M104, none crashes', () => {
    const p = write('big-reason.yaml', 'reason', 1_000_000, 601);
    const request = JSON.stringify({ assetId: 'a', action: 'read', context: {} });
    for (const args of [['lint', p], ['compile', p, '-o', join(dir, 'big-reason.mjs')], ['explain', p, '-r', request]]) {
      const r = monetize(...args);
      expect(r.status, args[0]).toBe(1);
      // The anchor is on line 4; the second alias (line 8) takes the total past 1,000,000.
      expect(r.stdout + r.stderr, args[0]).toMatch(/big-reason\.yaml:8:36: error\[M104\]: aliases expand to more than 1,000,000 characters/);
    }
  });

  it('a condition just under the expression limit, aliased by 200 rules, is an M104 at the 101st alias', () => {
    const p = write('long-condition.yaml', 'condition', 10_000, 200);
    const r = monetize('lint', p);
    expect(r.status).toBe(1);
    // Rule i is on lines 3 + 3i and 4 + 3i; alias 101 is rule 101's condition, on line 307.
    expect(r.stdout).toMatch(/long-condition\.yaml:307:16: error\[M104\]/);
    expect(r.stdout).toContain('1 error in 1 file');
  });
});
