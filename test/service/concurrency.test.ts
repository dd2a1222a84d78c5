/**
 * Two processes drive one SQLite file at once through the built library: consumption never takes a
 * balance below zero and the total charged is exactly the sum of the allowed decisions' costs.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { createAccessService } from '../../src/service/service.js';
import { tempFolder } from '../helpers/tmp.js';
import { POLICY_TEXT, T0, query, testPolicy, tokenPack } from './fixture.js';

const dir = tempFolder('ledger-concurrency-');
const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'src', 'index.js');

/** The child: checks `count` reads for each user, alternating, one transaction each; prints what it was charged. */
const WORKER = `
import { createAccessService, loadPolicy, openSqliteLedger } from ${JSON.stringify(pathToFileURL(ENTRY).href)};
const [path, name, count, policyText] = process.argv.slice(2);
const store = openSqliteLedger(path, { busyTimeoutMs: 30000 });
const svc = createAccessService({ policy: loadPolicy('policy.yaml', { text: policyText }), store, clock: () => ${T0} });
let allowed = 0, charged = 0, denied = 0;
for (let i = 0; i < Number(count); i++) {
  const user = i % 2 === 0 ? 'shared_a' : 'shared_b';
  const r = svc.checkAccessRecord({ assetId: 'doc:1', action: i % 3 === 0 ? 'execute' : 'read', context: { userId: user, tier: 'free', tokenBalance: 1e9, entitlements: [] } }, { requestId: name + ':' + i });
  if (r.decision.allowed) { allowed++; charged += Math.round(r.charged * 1e6); } else if (r.decision.reason === 'insufficient_balance') denied++; else throw new Error(JSON.stringify(r.decision));
}
store.close();
process.stdout.write(JSON.stringify({ allowed, charged, denied }));
`;

function runWorker(script: string, path: string, name: string, count: number): Promise<{ allowed: number; charged: number; denied: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, path, name, String(count), POLICY_TEXT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker ${name} exited ${code}: ${err}`))));
  });
}

describe('two processes on one database file', () => {
  it('never overdraw, and charge exactly the sum of the allowed costs', async () => {
    expect(existsSync(ENTRY), 'run `npm run build` first: the workers use dist/').toBe(true);
    const path = join(dir(), 'shared.sqlite');
    const store = openSqliteLedger(path);
    const svc = createAccessService({ policy: testPolicy(), store, clock: () => T0 });
    svc.applyEvent(tokenPack('pa', 'shared_a', 'pi_a', T0));
    svc.applyEvent(tokenPack('pb', 'shared_b', 'pi_b', T0));
    store.close();
    const script = join(dir(), 'worker.mjs');
    writeFileSync(script, WORKER);

    const results = await Promise.all([runWorker(script, path, 'w1', 400), runWorker(script, path, 'w2', 400)]);
    const charged = results.reduce((n, r) => n + r.charged, 0);
    const fromDecisions = query(path, 'SELECT SUM(charged) AS s, SUM(allowed) AS a, COUNT(*) AS n FROM decisions')[0]!;
    expect(fromDecisions.n).toBe(800);
    expect(fromDecisions.s).toBe(charged);
    expect(fromDecisions.a).toBe(results.reduce((n, r) => n + r.allowed, 0));
    // Both users started with 100 tokens and ended with less than the cheapest refused cost left.
    const balances = query(path, 'SELECT user_id, balance FROM accounts ORDER BY user_id');
    for (const b of balances) expect(Number(b.balance)).toBeGreaterThanOrEqual(0);
    const total = balances.reduce((n, b) => n + Number(b.balance), 0);
    expect(charged + total).toBe(200_000_000);
    // Every consumption is in the ledger with the balance it left, and the balances never went negative on the way.
    const entries = query(path, "SELECT COUNT(*) AS n, MIN(balance_after) AS low, -SUM(amount) AS spent FROM ledger_entries WHERE kind = 'consume'")[0]!;
    expect(entries.spent).toBe(charged);
    expect(Number(entries.low)).toBeGreaterThanOrEqual(0);
    expect(results.every((r) => r.denied > 0)).toBe(true);
  });
});
