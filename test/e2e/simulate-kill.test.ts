/**
 * A replay killed at random points (SIGKILL, repeatedly) and then run to completion on the same
 * `--db` ends with exactly the tables of an uninterrupted run: work is committed in whole batches,
 * and a re-run answers the requests it already decided from their records without charging again.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const dir = tempFolder('monetize-sim-kill-');
const POLICY = 'examples/monetization-policy.yaml';
/** Long enough that no run killed at the times below can finish it (a replay takes well over a second). */
const LINES = 100_000;

beforeAll(() => requireBuild());

/** A deterministic access log: 500 users of three tiers with small balances, spending on models and data. */
function writeLog(path: string): void {
  let seed = 20261202;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const tiers = ['free', 'pro', 'pro', 'enterprise'];
  const assets = [
    ['model:llm-base', 'model', ['premium']],
    ['dataset:corpus', 'data', []],
    ['model:vision', 'model', []],
  ] as const;
  const out: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const user = rnd(500);
    const [assetId, type, tags] = assets[rnd(assets.length)]!;
    out.push(JSON.stringify({ id: `r${i}`, assetId, action: 'execute', timestamp: 1_764_000_000_000 + i * 1000, context: { userId: `u${user}`, tier: tiers[user % 4], tokenBalance: 20 + (user % 7) * 10, entitlements: [] }, asset: { type, tags } }));
  }
  writeFileSync(path, `${out.join('\n')}\n`);
}

/** Every table of a ledger file, rows in a fixed order, as JSON text. */
function dump(file: string): string {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((c) => `"${c.name}"`);
      out[t] = db.prepare(`SELECT * FROM "${t}" ORDER BY ${cols.join(', ')}`).all();
    }
    return JSON.stringify(out);
  } finally {
    db.close();
  }
}

/** Start a replay on `db` and SIGKILL it after `ms`; resolves when it is gone (or finished first). */
function killAfter(log: string, db: string, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/monetize.js'), 'simulate', POLICY, '--replay', log, '--db', db, '--format', 'json'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('a replay killed mid-run', () => {
  it('re-run to completion, ends with the tables of an uninterrupted run', async () => {
    const log = join(dir(), 'access.jsonl');
    writeLog(log);
    const whole = join(dir(), 'whole.sqlite');
    const first = monetize('simulate', POLICY, '--replay', log, '--db', whole, '--format', 'json');
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { decisions: { total: number; allowed: number }; tokens: { charged: number } };
    expect(report.decisions.total).toBe(LINES);
    expect(report.tokens.charged).toBeGreaterThan(0);

    const killed = join(dir(), 'killed.sqlite');
    let kills = 0;
    for (const ms of [350, 700, 500, 900, 450]) if ((await killAfter(log, killed, ms)) === null) kills++;
    expect(kills, 'at least one run was killed before it finished').toBeGreaterThan(0);
    // Killed runs left part of the work, in whole batches.
    const partial = JSON.parse(dump(killed)) as { decisions: unknown[] };
    expect(partial.decisions.length).toBeLessThan(LINES);
    expect(partial.decisions.length % 1000).toBe(0);
    const rest = monetize('simulate', POLICY, '--replay', log, '--db', killed, '--format', 'json');
    expect(rest.status, rest.stderr).toBe(0);
    expect(dump(killed)).toBe(dump(whole));
    // The resumed run reports the whole history, as the uninterrupted run did.
    expect(rest.stdout).toBe(first.stdout);

    // And once more on the finished ledger: nothing changes.
    const again = monetize('simulate', POLICY, '--replay', log, '--db', killed, '--format', 'json');
    expect(again.status).toBe(0);
    expect(dump(killed)).toBe(dump(whole));
    expect(again.stdout).toBe(first.stdout);
  }, 120_000);
});
