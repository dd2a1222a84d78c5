/**
 * `monetize simulate --jobs N` end to end, from the real (bundled) binary: the JSON report is
 * byte-identical to the single-threaded one on the bundled example and on a generated scenario
 * whose users spread over the shards; --strict stops the same way; a --db folder of shard ledgers
 * is re-run idempotently and refused with another --jobs; bad --jobs values are usage errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOG_PATH, STRIPE_TEST_SECRET } from '../../scripts/gen-sim-example.js';
import { generateLog } from '../../bench/gen-log.js';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';
import { generateScenario, SCENARIO_START } from '../sim/scenario.js';

const POLICY = 'examples/marketplace-policy.yaml';
const EXAMPLE = ['--replay', LOG_PATH, '--webhooks', 'examples/simulate/webhooks', '--webhook-secret', `stripe=${STRIPE_TEST_SECRET}`];
const dir = tempFolder('monetize-sim-jobs-');
let scenario: string[];

/** `monetize simulate` with these arguments: exit 0, nothing on stderr, the report text. */
function report(...args: string[]): string {
  const r = monetize('simulate', POLICY, ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Every row of every table of a ledger file, sorted. */
function dump(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

/** Start `monetize simulate … --jobs 2` on `db` and SIGKILL it after `ms`; resolves with its exit code (null: killed). */
function killAfter(log: string, db: string, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/monetize.js'), 'simulate', POLICY, '--replay', log, '--db', db, '--jobs', '2', '--format', 'json'], { cwd: ROOT, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

beforeAll(() => {
  requireBuild();
  const s = generateScenario();
  const log = join(dir(), 'access.jsonl');
  const hooks = join(dir(), 'hooks.jsonl');
  writeFileSync(log, s.log);
  writeFileSync(hooks, s.webhooks);
  scenario = ['--replay', log, '--webhooks', hooks];
});

describe('monetize simulate --jobs', () => {
  it('gives the byte-identical JSON report on the bundled example with 1, 2 and 3 jobs', () => {
    const one = report(...EXAMPLE, '--format', 'json');
    expect((JSON.parse(one) as { decisions: { total: number } }).decisions.total).toBe(2410);
    expect(report(...EXAMPLE, '--format', 'json', '--jobs', '2')).toBe(one);
    expect(report(...EXAMPLE, '--format', 'json', '--jobs', '3')).toBe(one);
    expect(report(...EXAMPLE, '--jobs', '2')).toBe(report(...EXAMPLE));
  });

  it('gives the byte-identical report, diff and gate results with --against, in every format', () => {
    const args = ['--against', POLICY, ...EXAMPLE];
    const candidate = 'examples/simulate/marketplace-policy-candidate.yaml';
    for (const format of ['json', 'markdown', 'html']) {
      const one = monetize('simulate', candidate, ...args, '--format', format, '--fail-on-change', '5');
      expect(one.status).toBe(1);
      expect(one.stderr).toMatch(/^monetize: gate failed: --fail-on-change 5: /);
      const two = monetize('simulate', candidate, ...args, '--format', format, '--fail-on-change', '5', '--jobs', '2');
      expect(two.status).toBe(1);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
    }
    // With --against-db, the other policy's ledger is a folder of shards too.
    const db = join(dir(), 'against-db');
    const first = monetize('simulate', candidate, ...args, '--format', 'json', '--db', join(dir(), 'candidate-db'), '--against-db', db, '--jobs', '2');
    expect(first.status).toBe(0);
    expect(readdirSync(db).filter((f) => f.endsWith('.sqlite'))).toEqual(['shard-0-of-2.sqlite', 'shard-1-of-2.sqlite']);
    const again = monetize('simulate', candidate, ...args, '--format', 'json', '--db', join(dir(), 'candidate-db'), '--against-db', db, '--jobs', '2');
    expect(again.stdout).toBe(first.stdout);
  });

  it('gives the byte-identical JSON report on a generated scenario with 1, 2 and 3 jobs', () => {
    const one = report(...scenario, '--format', 'json');
    const parsed = JSON.parse(one) as { decisions: { total: number }; webhooks: { duplicate: number; unresolved: number }; revocations: { count: number } };
    expect(parsed.decisions.total).toBe(900);
    expect(parsed.webhooks).toMatchObject({ duplicate: 5, unresolved: 2 });
    expect(parsed.revocations.count).toBe(1);
    expect(report(...scenario, '--format', 'json', '--jobs', '2')).toBe(one);
    expect(report(...scenario, '--format', 'json', '--jobs', '3')).toBe(one);
  });

  it('stops at the same bad line with --strict, and reports it the same way without', () => {
    const lines = generateScenario().log.split('\n');
    lines.splice(300, 0, 'not json');
    const bad = join(dir(), 'bad.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const args = ['--replay', bad, '--webhooks', scenario[3]!];
    const one = monetize('simulate', POLICY, ...args, '--strict');
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(new RegExp(`^monetize: error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:301: `));
    const two = monetize('simulate', POLICY, ...args, '--strict', '--jobs', '2');
    expect(two.status).toBe(1);
    expect(two.stderr).toBe(one.stderr);
    expect(report(...args, '--format', 'json', '--jobs', '2')).toBe(report(...args, '--format', 'json'));
  });

  it('keeps a --db folder of one ledger per shard, re-run without changing any table and reported as the single-threaded re-run', () => {
    const folder = join(dir(), 'ledgers');
    const single = join(dir(), 'single.sqlite');
    const first = report(...scenario, '--format', 'json', '--db', folder, '--jobs', '2');
    expect(first).toBe(report(...scenario, '--format', 'json', '--db', single));
    expect(readdirSync(folder).filter((f) => f.endsWith('.sqlite'))).toEqual(['shard-0-of-2.sqlite', 'shard-1-of-2.sqlite']);
    const shards = ['shard-0-of-2.sqlite', 'shard-1-of-2.sqlite'].map((f) => join(folder, f));
    const before = shards.map(dump);
    const again = report(...scenario, '--format', 'json', '--db', folder, '--jobs', '2');
    expect(shards.map(dump)).toStrictEqual(before);
    expect(again).toBe(report(...scenario, '--format', 'json', '--db', single));
    // A re-run reports the whole history again, from the records: the first run's report.
    expect(again).toBe(first);
  });

  it('killed mid-run and re-run with the same --jobs, ends with the shard ledgers of an uninterrupted run', async () => {
    const log = join(dir(), 'long.jsonl');
    // Long enough that no killed run can finish it, however fast the machine: each is killed by 1.6 s.
    const lines = 100_000;
    generateLog(log, lines);
    const whole = join(dir(), 'whole');
    const first = report('--replay', log, '--db', whole, '--jobs', '2', '--format', 'json');
    const killed = join(dir(), 'killed');
    let kills = 0;
    for (const ms of [600, 900, 1200, 1600]) if ((await killAfter(log, killed, ms)) === null) kills++;
    expect(kills, 'at least one run was killed before it finished').toBeGreaterThan(0);
    const files = ['shard-0-of-2.sqlite', 'shard-1-of-2.sqlite'];
    const partial = files.map((f) => (existsSync(join(killed, f)) ? (dump(join(killed, f))['decisions'] ?? []).length : 0));
    expect(partial[0]! + partial[1]!).toBeLessThan(lines);
    const rest = report('--replay', log, '--db', killed, '--jobs', '2', '--format', 'json');
    for (const f of files) expect(dump(join(killed, f))).toStrictEqual(dump(join(whole, f)));
    // The completing run answered what the killed runs had decided from their records: its report counts every decision once.
    expect((JSON.parse(rest) as { decisions: { total: number } }).decisions.total).toBe((JSON.parse(first) as { decisions: { total: number } }).decisions.total);
  }, 120_000);

  it('refuses a --db written with another number of jobs, in either direction', () => {
    const folder = join(dir(), 'two');
    report(...scenario, '--db', folder, '--jobs', '2');
    const three = monetize('simulate', POLICY, ...scenario, '--db', folder, '--jobs', '3');
    expect(three.status).toBe(2);
    expect(three.stderr).toBe(
      `monetize: error: ${folder} holds shard ledgers written with --jobs 2: users are split by shard count, so continuing them with --jobs 3 would replay users again in shards that never saw them\n  = help: re-run with --jobs 2, or give --db a new folder\n`,
    );
    expect(readdirSync(folder).some((f) => f.includes('of-3'))).toBe(false);
    const one = monetize('simulate', POLICY, ...scenario, '--db', folder);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain(`${folder} is a folder of shard ledgers written with --jobs 2`);
    const file = join(dir(), 'one.sqlite');
    report(...scenario, '--db', file);
    const two = monetize('simulate', POLICY, ...scenario, '--db', file, '--jobs', '2');
    expect(two.status).toBe(2);
    expect(two.stderr).toContain(`${file} is a file: with --jobs 2, --db names a folder that holds one ledger per shard`);
    expect(existsSync(join(dir(), 'one.sqlite', 'shard-0-of-2.sqlite'))).toBe(false);
  });

  it('stops with a usage error when two users in different shards share a request id', () => {
    const log = join(dir(), 'shared.jsonl');
    const req = (id: string, n: number, userId: string): string => JSON.stringify({ id, assetId: 'code:sdk', action: 'read', timestamp: SCENARIO_START + n * 1000, context: { userId, tier: 'pro' } });
    writeFileSync(log, [req('a', 1, 's00'), req('a', 2, 's01')].join('\n') + '\n');
    expect(report('--replay', log, '--format', 'json')).toContain('"total": 2');
    const r = monetize('simulate', POLICY, '--replay', log, '--jobs', '2');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `monetize: error: ${log}:2: request id "a" is used by requests of two users ("s01" here, "s00" at 2025-11-22T07:00:01.000Z), which a split replay decides in different shards: a single-threaded run answers the later request from the earlier one's record\n` +
        '  = help: give every request its own id, or run without --jobs\n',
    );
  });

  it.each([['0'], ['65'], ['two'], ['1.5'], ['-1'], ['']])('refuses --jobs %j', (value) => {
    const r = monetize('simulate', POLICY, ...scenario, '--jobs', value);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`monetize: error: --jobs takes a whole number of worker threads from 1 to 64, got '${value}'\n  = help: e.g. --jobs 2, or leave it out to replay on one thread\n`);
  });
});
