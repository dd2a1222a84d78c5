/**
 * The replay split over worker threads gives exactly the records — and so the report — of the
 * replay on one thread: on a generated scenario whose users spread over the shards (refunds that
 * name only a charge, clawbacks after consumption, duplicates, a refund before its payment,
 * requests without a user), with a second policy (`against`), with tiny batches and a window of
 * one chunk (the flow control waiting all the time), with --strict, on re-runs over the same
 * ledgers; and a request id shared by users of two shards stops the run.
 *
 * The workers run the built module (dist/src/sim/shard-worker.js): `npm run build` first.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiate } from '../../src/codegen/compile.js';
import { LedgerError } from '../../src/ledger/store.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { loadPolicyFile, loadPolicyText, toChecked, type CheckedPolicy } from '../../src/pipeline/pipeline.js';
import { createAccessService } from '../../src/service/service.js';
import { SimAggregator } from '../../src/sim/aggregate.js';
import type { ReplayInputOptions } from '../../src/sim/inputs.js';
import { replayParallel, SharedRequestIdError, type ParallelOptions, type ShardPolicy } from '../../src/sim/parallel.js';
import type { ReplayRecord } from '../../src/sim/records.js';
import { replayInto, type ReplayRun } from '../../src/sim/replay.js';
import { shardOfUser } from '../../src/sim/shards.js';
import { ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';
import { generateScenario, SCENARIO_START } from './scenario.js';

const WORKER = pathToFileURL(join(ROOT, 'dist/src/sim/shard-worker.js'));
const POLICY = join(ROOT, 'examples/marketplace-policy.yaml');
const dir = tempFolder('monetize-parallel-');

let policy: CheckedPolicy;
let other: CheckedPolicy;
let inputs: ReplayInputOptions;
let ledgerNo = 0;

/** A new ledger file name in the test folder. */
function fresh(): string {
  return join(dir(), `ledger-${ledgerNo++}.sqlite`);
}

function checked(path: string, text?: string): CheckedPolicy {
  const c = toChecked(text === undefined ? loadPolicyFile(path) : loadPolicyText(path, text));
  if (!c) throw new Error(`${path} does not load`);
  return c;
}

const asShard = (c: CheckedPolicy): ShardPolicy => ({ ir: c.ir, offers: c.policy.offers });

interface Replayed {
  readonly records: ReplayRecord[];
  readonly run: ReplayRun;
}

/** The single-threaded replay, over `ledger` (and `againstLedger` for the other policy). */
async function single(opts: { inputs: ReplayInputOptions; ledger: string; againstLedger?: string; strict?: boolean; batchSize?: number }): Promise<Replayed> {
  const store = openSqliteLedger(opts.ledger);
  const store2 = opts.againstLedger !== undefined ? openSqliteLedger(opts.againstLedger) : undefined;
  try {
    const clock = { now: 0 };
    const service = createAccessService({ store, module: instantiate(policy.ir), offers: policy.policy.offers, mode: 'replay', clock: () => clock.now });
    const against = store2 ? createAccessService({ store: store2, module: instantiate(other.ir), offers: other.policy.offers, mode: 'replay', clock: () => clock.now }) : undefined;
    const records: ReplayRecord[] = [];
    const run = await replayInto(against ? { service, against } : { service }, { inputs: opts.inputs, clock, strict: opts.strict === true, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) }, { record: (r) => records.push(r) });
    return { records, run };
  } finally {
    store.close();
    store2?.close();
  }
}

/** The split replay over `ledgers.length` workers. */
async function split(opts: Omit<ParallelOptions, 'policy' | 'workerUrl'>): Promise<Replayed> {
  const records: ReplayRecord[] = [];
  const run = await replayParallel({ policy: asShard(policy), workerUrl: WORKER, ...opts }, { record: (r) => records.push(r) });
  return { records, run };
}

function ledgers(n: number): string[] {
  return Array.from({ length: n }, fresh);
}

/** The JSON report of a record stream (with the other policy's report when the records carry its results). */
function report(records: readonly ReplayRecord[]): string {
  const agg = new SimAggregator('EUR');
  for (const r of records) agg.record(r);
  const { report: main } = agg.finish();
  const otherAgg = new SimAggregator('EUR');
  let withOther = false;
  for (const r of records) {
    if (r.kind === 'decision' && r.against) otherAgg.record({ kind: 'decision', seq: r.seq, decision: r.against });
    else if (r.kind === 'event' && r.against) otherAgg.record({ kind: 'event', seq: r.seq, event: r.against });
    else otherAgg.record(r);
    withOther ||= r.kind !== 'rejected' && r.against !== undefined;
  }
  return JSON.stringify({ main, ...(withOther ? { other: otherAgg.finish().report } : {}) }, null, 2);
}

/** Every row of every table of a ledger file, sorted: equal dumps mean equal ledgers. */
function dump(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

/** The rows of `table` (without row ids) whose user is one of shard `k` of `n` (a row without a user: shard 0), sorted. */
function rowsOfShard(path: string, table: string, k: number, n: number): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
    const mine = rows.filter((r) => (typeof r['user_id'] === 'string' ? shardOfUser(r['user_id'], n) : 0) === k);
    return mine.map(({ id: _id, ...rest }) => JSON.stringify(rest)).sort();
  } finally {
    db.close();
  }
}

function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error('the worker module is not built: run `npm run build` (npm test does it)');
  policy = checked(POLICY);
  // The other policy: model inference costs 2.5 × as much, and pay-as-you-go needs 20 tokens, not 5.
  const text = readFileSync(POLICY, 'utf8').replace('compute_cost: 0.02', 'compute_cost: 0.05').replace('min_balance: 5 ', 'min_balance: 20');
  other = checked(join(dir(), 'other-policy.yaml'), text);
  const s = generateScenario();
  const log = join(dir(), 'access.jsonl');
  const hooks = join(dir(), 'hooks.jsonl');
  writeFileSync(log, s.log);
  writeFileSync(hooks, s.webhooks);
  inputs = { logs: [log], webhooks: [hooks] };
});

describe('the generated scenario', () => {
  it('spreads its users over every shard for 2 and 3 shards', () => {
    const users = generateScenario().users;
    for (const n of [2, 3]) expect(new Set(users.map((u) => shardOfUser(u, n))).size).toBe(n);
  });

  it('exercises clawbacks, shortfalls, tombstones, duplicates and requests without a user', async () => {
    const ledger = fresh();
    const { records } = await single({ inputs, ledger });
    const events = records.filter((r) => r.kind === 'event').map((r) => (r.kind === 'event' ? r.event.outcome : ''));
    expect(events.filter((o) => o === 'duplicate')).toHaveLength(5);
    expect(events.filter((o) => o === 'unresolved')).toHaveLength(2);
    expect(records.filter((r) => r.kind === 'decision' && r.decision.reason === 'invalid_request')).toHaveLength(9);
    expect(count(ledger, "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'clawback'")).toBeGreaterThan(0);
    expect(count(ledger, "SELECT COUNT(*) AS n FROM ledger_entries WHERE kind = 'shortfall'")).toBeGreaterThan(0);
    expect(count(ledger, 'SELECT COUNT(*) AS n FROM reversals WHERE payment_key IS NULL')).toBe(0);
  });
});

describe('replayInto with a shard', () => {
  it("hands over its own users' decisions and events, and as shard 0 those without a user", async () => {
    const one = await single({ inputs, ledger: fresh() });
    const userOf = (r: ReplayRecord): string | undefined => (r.kind === 'decision' ? r.decision.userId : r.kind === 'event' ? r.event.userId : undefined);
    for (const n of [2, 3]) {
      const seen: number[] = [];
      for (let k = 0; k < n; k++) {
        const store = openSqliteLedger(fresh());
        try {
          const clock = { now: 0 };
          const service = createAccessService({ store, module: instantiate(policy.ir), offers: policy.policy.offers, mode: 'replay', clock: () => clock.now });
          const mine: ReplayRecord[] = [];
          await replayInto({ service }, { inputs, clock, shard: { index: k, count: n } }, { record: (r) => mine.push(r) });
          for (const r of mine) {
            const u = userOf(r);
            expect(u === undefined ? 0 : shardOfUser(u, n), `record ${r.seq} in shard ${k} of ${n}`).toBe(k);
            expect(r).toStrictEqual(one.records[r.seq]);
          }
          // Events without a user are shard 0's: 5 duplicates, a payment for nobody, the refund before its payment (no payment names its user yet).
          if (k === 0) expect(mine.filter((r) => r.kind === 'event' && r.event.userId === undefined)).toHaveLength(7);
          seen.push(...mine.map((r) => r.seq));
        } finally {
          store.close();
        }
      }
      expect(seen.sort((a, b) => a - b)).toEqual(one.records.map((r) => r.seq));
    }
  });
});

describe('replayParallel', () => {
  it('hands over the records of the single-threaded replay, in its order, with 1, 2 and 3 shards', async () => {
    const one = await single({ inputs, ledger: fresh() });
    expect(one.records.map((r) => r.seq)).toEqual(one.records.map((_, i) => i));
    for (const n of [1, 2, 3]) {
      const many = await split({ inputs, ledgers: ledgers(n) });
      expect(many.records).toStrictEqual(one.records);
      expect(many.run).toStrictEqual(one.run);
      expect(report(many.records)).toBe(report(one.records));
    }
  });

  it("leaves in each shard's ledger, for the shard's own users, exactly the single-threaded ledger's rows", async () => {
    const oneLedger = fresh();
    await single({ inputs, ledger: oneLedger });
    for (const n of [2, 3]) {
      const files = ledgers(n);
      await split({ inputs, ledgers: files });
      for (let k = 0; k < n; k++) {
        // payments: the tokens clawed back and the shortfall of a refund depend on what the user had spent.
        for (const table of ['accounts', 'entitlements', 'ledger_entries', 'decisions', 'payments']) {
          const want = rowsOfShard(oneLedger, table, k, n);
          expect(want.length, `${table} of shard ${k} of ${n}`).toBeGreaterThan(0);
          expect(rowsOfShard(files[k]!, table, k, n), `${table} of shard ${k} of ${n}`).toStrictEqual(want);
        }
      }
    }
  });

  it('reports progress as far as every shard has got: the inputs read and the bytes of the logs', async () => {
    const reads: number[] = [];
    let bytes = 0;
    const many = await split({ inputs: { ...inputs, onLogBytes: (n) => (bytes += n) }, ledgers: ledgers(2), batchSize: 100, onProgress: (r) => reads.push(r) });
    expect(reads.length).toBeGreaterThan(3);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
    expect(reads.at(-1)).toBe(many.run.read);
    expect(bytes).toBe(statSync(inputs.logs[0]!).size);
  });

  it('runs both policies in every worker (--against) and gives both results of the single-threaded replay', async () => {
    const one = await single({ inputs, ledger: fresh(), againstLedger: fresh() });
    // The other policy does change decisions, so the comparison means something.
    const changed = one.records.filter((r) => r.kind === 'decision' && (r.decision.allowed !== r.against?.allowed || r.decision.chargedMicro !== r.against?.chargedMicro));
    expect(changed.length).toBeGreaterThan(50);
    for (const n of [2, 3]) {
      const many = await split({ inputs, ledgers: ledgers(n), against: asShard(other), againstLedgers: ledgers(n) });
      expect(many.records).toStrictEqual(one.records);
      expect(report(many.records)).toBe(report(one.records));
    }
  });

  it('gives the same records with batches of 7 and a window of one chunk (workers wait on the merge all the time)', async () => {
    const one = await single({ inputs, ledger: fresh() });
    const many = await split({ inputs, ledgers: ledgers(3), batchSize: 7, window: 1 });
    expect(many.records).toStrictEqual(one.records);
  });

  it('leaves every shard ledger unchanged on a re-run, and reports the re-run as the single-threaded re-run does', async () => {
    const oneLedger = fresh();
    await single({ inputs, ledger: oneLedger });
    const again = await single({ inputs, ledger: oneLedger });
    const files = ledgers(2);
    await split({ inputs, ledgers: files });
    const before = files.map(dump);
    const rerun = await split({ inputs, ledgers: files });
    expect(files.map(dump)).toStrictEqual(before);
    expect(rerun.records).toStrictEqual(again.records);
    expect(report(rerun.records)).toBe(report(again.records));
    // Every user's rows are in the shard of the user, and only events' rows are in every shard.
    const decided = files.map((f) => count(f, 'SELECT COUNT(*) AS n FROM decisions'));
    expect(decided[0]! + decided[1]!).toBe(900);
    // 34 deliveries, 5 of them again: 29 events, applied in both shards.
    expect(files.map((f) => count(f, 'SELECT COUNT(*) AS n FROM processed_events'))).toEqual([29, 29]);
  });

  it('stops every shard at the same rejected input with --strict', async () => {
    const log = join(dir(), 'bad.jsonl');
    const lines = generateScenario().log.split('\n');
    lines.splice(400, 0, '{"id": "broken", "timestamp": ');
    writeFileSync(log, lines.join('\n'));
    const badInputs = { ...inputs, logs: [log] };
    const one = await single({ inputs: badInputs, ledger: fresh(), strict: true });
    expect(one.run.stoppedAt).toMatchObject({ file: log, line: 401, reason: 'malformed' });
    const files = ledgers(2);
    const many = await split({ inputs: badInputs, ledgers: files, strict: true });
    expect(many.run).toStrictEqual(one.run);
    // Nothing at or after the bad line was decided in any shard (the batch it fell in was not applied either).
    const stop = JSON.parse(lines[399]!) as { timestamp: number };
    for (const f of files) expect(count(f, `SELECT COUNT(*) AS n FROM decisions WHERE at > ${stop.timestamp}`)).toBe(0);
    // Without --strict the bad line is one rejected record, handed over once.
    const lenient = await split({ inputs: badInputs, ledgers: ledgers(2) });
    expect(lenient.records.filter((r) => r.kind === 'rejected')).toHaveLength(1);
    expect(lenient.records).toStrictEqual((await single({ inputs: badInputs, ledger: fresh() })).records);
  });

  it('stops when two users of different shards share a request id, naming the line and both users', async () => {
    // s00 and s01 are in different shards of 2; s00 and s02 share one.
    expect([shardOfUser('s00', 2), shardOfUser('s01', 2), shardOfUser('s02', 2)]).toEqual([0, 1, 0]);
    const req = (id: string, n: number, userId: string): string => JSON.stringify({ id, assetId: 'code:sdk', action: 'read', timestamp: SCENARIO_START + n * 1000, context: { userId, tier: 'pro' } });
    const log = join(dir(), 'shared.jsonl');
    writeFileSync(log, [req('a', 1, 's00'), req('b', 2, 's02'), req('b', 3, 's00'), req('a', 4, 's01')].join('\n') + '\n');
    const err = await split({ inputs: { logs: [log] }, ledgers: ledgers(2) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SharedRequestIdError);
    expect((err as SharedRequestIdError).shared).toEqual({ requestId: 'a', file: log, line: 4, seq: 3, userId: 's01', otherUserId: 's00', otherAt: SCENARIO_START + 1000 });
    expect((err as Error).message).toBe(
      'request id "a" is used by requests of two users ("s01" here, "s00" at 2025-11-22T07:00:01.000Z), which a split replay decides in different shards: a single-threaded run answers the later request from the earlier one\'s record',
    );
    // An id decided by an earlier run on the same ledgers counts too, whatever the times.
    const files = ledgers(2);
    writeFileSync(log, req('c', 9, 's00') + '\n');
    await split({ inputs: { logs: [log] }, ledgers: files });
    writeFileSync(log, req('c', 1, 's01') + '\n');
    await expect(split({ inputs: { logs: [log] }, ledgers: files })).rejects.toMatchObject({ shared: { requestId: 'c', line: 1, userId: 's01', otherUserId: 's00', otherAt: SCENARIO_START + 9000 } });
    // The same ids within one shard (b: s02 then s00) are fine, as on one thread.
    writeFileSync(log, [req('a', 1, 's00'), req('b', 2, 's02'), req('b', 3, 's00')].join('\n') + '\n');
    const ok = await split({ inputs: { logs: [log] }, ledgers: ledgers(2) });
    expect(ok.records).toStrictEqual((await single({ inputs: { logs: [log] }, ledger: fresh() })).records);
  });

  it('reports the first shared request id in the stream, whichever shard finds one first', async () => {
    // "x": s01 (shard 1) then s00 (shard 0), found by shard 1; "y": s00 then s01, found by shard 0, later.
    const req = (id: string, n: number, userId: string): string => JSON.stringify({ id, assetId: 'code:sdk', action: 'read', timestamp: SCENARIO_START + n * 1000, context: { userId, tier: 'pro' } });
    const fill = (from: number, user: string): string[] => Array.from({ length: 30 }, (_, k) => req(`f${from + k}`, from + k, user));
    const log = join(dir(), 'two-shared.jsonl');
    writeFileSync(log, [req('x', 1, 's01'), ...fill(2, 's00'), req('x', 40, 's00'), ...fill(41, 's01'), req('y', 80, 's00'), req('y', 81, 's01'), ...fill(82, 's02')].join('\n') + '\n');
    for (const batchSize of [1, 5, 1000]) {
      const err = await split({ inputs: { logs: [log] }, ledgers: ledgers(2), batchSize }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as SharedRequestIdError).shared).toEqual({ requestId: 'x', file: log, line: 32, seq: 31, userId: 's00', otherUserId: 's01', otherAt: SCENARIO_START + 1000 });
    }
  });

  it('finds its worker beside itself when built (dist/src/sim/, as the bench loads it)', async () => {
    const built = (await import(pathToFileURL(join(ROOT, 'dist/src/sim/parallel.js')).href)) as { replayParallel: typeof replayParallel };
    const records: ReplayRecord[] = [];
    await built.replayParallel({ policy: asShard(policy), inputs, ledgers: ledgers(2) }, { record: (r) => records.push(r) });
    expect(records).toStrictEqual((await single({ inputs, ledger: fresh() })).records);
  });

  it('rejects with a LedgerError when a shard ledger cannot be opened', async () => {
    const files = [fresh(), join(dir(), 'no-such-folder', 'shard.sqlite')];
    await expect(split({ inputs, ledgers: files })).rejects.toBeInstanceOf(LedgerError);
  });

  it('stops the workers and hands on the error when the sink throws', async () => {
    let seen = 0;
    const boom = replayParallel({ policy: asShard(policy), workerUrl: WORKER, inputs, ledgers: ledgers(2) }, {
      record: () => {
        if (++seen === 100) throw new Error('the sink broke');
      },
    });
    await expect(boom).rejects.toThrow('the sink broke');
    expect(seen).toBe(100);
  });
});
