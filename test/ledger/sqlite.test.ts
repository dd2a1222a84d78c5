/** The SQLite store: schema and migrations, refusals with clear messages, the append-only ledger, the conditional deduct. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS } from '../../src/ledger/migrations.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { LedgerError } from '../../src/ledger/store.js';
import { tempFolder } from '../helpers/tmp.js';
import { query } from '../service/fixture.js';

const dir = tempFolder('ledger-sqlite-');
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

const TABLES = ['accounts', 'decisions', 'entitlements', 'ledger_entries', 'payment_refs', 'payments', 'processed_events', 'reversal_refs', 'reversals', 'schema_version'];

describe('SQLite ledger', () => {
  it('creates the schema on first open; a second open is a no-op', () => {
    const path = join(dir(), 'fresh.sqlite');
    openSqliteLedger(path).close();
    const tables = query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
    expect(tables).toEqual(TABLES);
    expect(query(path, "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").map((r) => r.name)).toEqual(['entitlement_items', 'tombstones']);
    expect(query(path, 'SELECT version FROM schema_version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    const schema = query(path, 'SELECT sql FROM sqlite_master ORDER BY name');
    openSqliteLedger(path).close();
    expect(query(path, 'SELECT version FROM schema_version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(query(path, 'SELECT sql FROM sqlite_master ORDER BY name')).toEqual(schema);
    expect(query(path, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('migrates a version-1 ledger in place: rows kept, new columns null, and read back as before', () => {
    const path = join(dir(), 'v1.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_version (version) VALUES (1)').run();
    db.prepare("INSERT INTO processed_events (provider, event_id, kind, outcome, user_id, occurred_at, detail) VALUES ('stripe', 'evt_1', 'payment.succeeded', 'applied', 'u1', 5, NULL)").run();
    db.prepare("INSERT INTO decisions (request_id, user_id, asset_id, action, at, allowed, reason, policy_id, cost, charged, balance_after, policy_hash) VALUES ('r1', 'u1', 'a', 'read', 5, 1, NULL, 'p', 1000000, 1000000, 0, 'h')").run();
    db.close();
    const store = openSqliteLedger(path);
    try {
      const [event, decision] = store.transaction((tx) => [tx.processedEvent('stripe', 'evt_1'), tx.decisionByRequest('r1')] as const);
      expect(event).toEqual({ provider: 'stripe', eventId: 'evt_1', kind: 'payment.succeeded', outcome: 'applied', userId: 'u1', occurredAt: 5, detail: null, delivery: null, effect: null });
      expect(decision).toMatchObject({ requestId: 'r1', allowed: true, charged: 1_000_000, tier: null });
    } finally {
      store.close();
    }
    expect(query(path, 'SELECT version FROM schema_version ORDER BY version')).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('refuses a database written by a newer schema, saying so', () => {
    const path = join(dir(), 'newer.sqlite');
    openSqliteLedger(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(LATEST_VERSION + 1);
    db.close();
    expect(() => openSqliteLedger(path)).toThrow(LedgerError);
    expect(() => openSqliteLedger(path)).toThrow(`has schema version ${LATEST_VERSION + 1}, newer than this version of monetize understands (${LATEST_VERSION})`);
  });

  it('refuses a file that is not a database with its path and the reason', () => {
    const path = join(dir(), 'not-a-db.sqlite');
    writeFileSync(path, 'hello, this is text and not SQLite at all '.repeat(200));
    expect(() => openSqliteLedger(path)).toThrow(LedgerError);
    expect(() => openSqliteLedger(path)).toThrow(/not-a-db\.sqlite.*not a database/);
  });

  it('keeps ledger entries append-only, and a balance can never be stored below zero', () => {
    const path = join(dir(), 'append.sqlite');
    const store = openSqliteLedger(path);
    store.transaction((tx) => {
      tx.openAccount({ userId: 'u', tier: 'free', baseTier: 'free', balance: 5, openedBy: 'default', openedAt: 0 });
      tx.appendEntry({ userId: 'u', kind: 'open', amount: 5, balanceAfter: 5, cause: 'test', paymentKey: null, at: 0 });
    });
    expect(store.transaction((tx) => [tx.deduct('u', 6), tx.deduct('u', 5), tx.deduct('u', 1)])).toEqual([false, true, false]);
    store.close();
    const db = new Database(path);
    expect(() => db.prepare('UPDATE ledger_entries SET amount = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger_entries').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE accounts SET balance = -1 WHERE user_id = 'u'").run()).toThrow(/CHECK/);
    db.close();
  });

  it('rolls a transaction back when its work throws', () => {
    const path = join(dir(), 'rollback.sqlite');
    const store = openSqliteLedger(path);
    expect(() =>
      store.transaction((tx) => {
        tx.openAccount({ userId: 'u', tier: 'free', baseTier: 'free', balance: 5, openedBy: 'default', openedAt: 0 });
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(store.transaction((tx) => tx.account('u'))).toBeUndefined();
    store.close();
    expect(() => store.transaction(() => 1)).toThrow(/closed/);
  });
});
