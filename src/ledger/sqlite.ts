/**
 * The SQLite store (better-sqlite3): WAL, `synchronous=NORMAL`, a busy timeout, prepared
 * statements cached per store, writers in `BEGIN IMMEDIATE` transactions so that two processes on
 * one file serialise instead of failing on a lock upgrade. better-sqlite3 is native code and is
 * loaded only when a store is opened, so nothing that merely imports this module pays for it.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import type { AccountRow, DecisionRow, DisputeState, EntitlementRow, EntitlementState, EventEffect, EventOutcome, LedgerEntry, LifecycleStatus, PaymentRow, ProcessedEventRow, ReversalRow } from './model.js';
import { LedgerError, type LedgerStore, type LedgerTx } from './store.js';

/** Options of `openSqliteLedger`. */
export interface SqliteOptions {
  /** How long a writer waits for another process's transaction, in ms (default 10,000). */
  readonly busyTimeoutMs?: number;
}

type Db = BetterSqlite3.Database;
type Row = Record<string, unknown>;

let driver: typeof BetterSqlite3 | undefined;

function loadDriver(): typeof BetterSqlite3 {
  if (driver) return driver;
  try {
    driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (e) {
    throw new LedgerError(`the SQLite ledger needs the better-sqlite3 package, which could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  return driver;
}

/** Open (creating if needed) a SQLite ledger file and bring its schema up to date. Throws LedgerError with a plain message. */
export function openSqliteLedger(path: string, options: SqliteOptions = {}): LedgerStore {
  const Database = loadDriver();
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 10_000))}`);
    db.pragma('foreign_keys = ON');
  } catch (e) {
    throw new LedgerError(`cannot open the ledger database ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    migrate(db, path);
  } catch (e) {
    db.close();
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(`cannot prepare the ledger database ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new SqliteStore(db, path);
}

/** The schema version recorded in a database (0 for a new file). */
function currentVersion(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: Db, path: string): void {
  const version = db.transaction(() => currentVersion(db)).immediate();
  if (version > LATEST_VERSION) {
    throw new LedgerError(
      `the ledger database ${path} has schema version ${version}, newer than this version of monetize understands (${LATEST_VERSION}); ` +
        'open it with a newer monetize, or use another database file',
    );
  }
  for (const m of MIGRATIONS) {
    // Each step in its own immediate transaction, re-checking the version: another process may have migrated meanwhile.
    db.transaction(() => {
      if (currentVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
    }).immediate();
  }
}

/** The schema version of an open SQLite ledger file (for tests and `--db` inspection). */
export const SQLITE_SCHEMA_VERSION = LATEST_VERSION;

class SqliteStore implements LedgerStore {
  private readonly tx: SqliteTx;
  private closed = false;

  constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    this.tx = new SqliteTx(db);
  }

  transaction<T>(work: (tx: LedgerTx) => T): T {
    if (this.closed) throw new LedgerError(`the ledger ${this.location} is closed`);
    if (this.db.inTransaction) return work(this.tx);
    return this.db.transaction(() => work(this.tx)).immediate();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

const json = (v: readonly string[]): string => JSON.stringify(v);
const strings = (v: unknown): string[] => {
  const parsed: unknown = JSON.parse(String(v));
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
};
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The columns of `ACCOUNT_COLUMNS`, in order, as `raw()` statements return them. */
type AccountColumns = [userId: string, tier: string, baseTier: string, balance: number, openedBy: AccountRow['openedBy'], openedAt: number];

/** An account's columns in the order of `AccountColumns`. */
const ACCOUNT_COLUMNS = 'user_id, tier, base_tier, balance, opened_by, opened_at';

function toAccount(r: AccountColumns): AccountRow {
  return { userId: r[0], tier: r[1], baseTier: r[2], balance: r[3], openedBy: r[4], openedAt: r[5] };
}

function toEntitlement(r: Row): EntitlementRow {
  return {
    source: String(r.source),
    userId: String(r.user_id),
    offerId: optStr(r.offer_id),
    items: strings(r.items),
    tier: optStr(r.tier),
    status: r.status as LifecycleStatus,
    state: r.state as EntitlementState,
    periodEnd: optNum(r.period_end),
    updatedAt: Number(r.updated_at),
  };
}

function toPayment(r: Row): PaymentRow {
  return {
    key: String(r.payment_key),
    provider: String(r.provider),
    userId: String(r.user_id),
    offerId: String(r.offer_id),
    occurredAt: Number(r.occurred_at),
    amountMinor: optNum(r.amount_minor),
    currency: optStr(r.currency),
    taxMinor: optNum(r.tax_minor),
    subscription: optStr(r.subscription),
    source: optStr(r.source),
    tokensGranted: Number(r.tokens_granted),
    tokensClawed: Number(r.tokens_clawed),
    shortfall: Number(r.shortfall),
    refundedMinor: Number(r.refunded_minor),
    refundedFull: Number(r.refunded_full) === 1,
    dispute: optStr(r.dispute) as DisputeState | null,
  };
}

function toReversal(r: Row): ReversalRow {
  return {
    id: String(r.id),
    kind: r.kind as ReversalRow['kind'],
    refs: strings(r.refs),
    paymentKey: optStr(r.payment_key),
    amountMinor: Number(r.amount_minor),
    cumulative: Number(r.cumulative) === 1,
    full: Number(r.full) === 1,
    dispute: optStr(r.dispute) as DisputeState | null,
    occurredAt: Number(r.occurred_at),
  };
}

function toDecision(r: Row): DecisionRow {
  return {
    requestId: optStr(r.request_id),
    userId: optStr(r.user_id),
    assetId: optStr(r.asset_id),
    action: optStr(r.action),
    at: Number(r.at),
    allowed: Number(r.allowed) === 1,
    reason: optStr(r.reason),
    policyId: String(r.policy_id),
    cost: optNum(r.cost),
    charged: Number(r.charged),
    balanceAfter: optNum(r.balance_after),
    policyHash: String(r.policy_hash),
    tier: optStr(r.tier),
  };
}

/** An effect column as written by `insertProcessedEvent` (null for rows written before it existed). */
function toEffect(v: unknown): EventEffect | null {
  if (v === null || v === undefined) return null;
  const parsed: unknown = JSON.parse(String(v));
  if (typeof parsed !== 'object' || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const m = o.money;
  const money =
    typeof m === 'object' && m !== null
      ? (() => {
          const mm = m as Record<string, unknown>;
          return { currency: typeof mm.currency === 'string' ? mm.currency : null, paidMinor: num(mm.paidMinor), taxMinor: num(mm.taxMinor), refundedMinor: num(mm.refundedMinor) };
        })()
      : undefined;
  const revoked = Array.isArray(o.revoked) ? o.revoked.filter((x): x is string => typeof x === 'string') : undefined;
  return { tokenDeltaMicro: num(o.tokenDeltaMicro), ...(money ? { money } : {}), ...(revoked && revoked.length > 0 ? { revoked } : {}) };
}

function toProcessedEvent(r: Row): ProcessedEventRow {
  return {
    provider: String(r.provider),
    eventId: String(r.event_id),
    kind: String(r.kind),
    outcome: r.outcome as EventOutcome,
    userId: optStr(r.user_id),
    occurredAt: Number(r.occurred_at),
    detail: optStr(r.detail),
    delivery: optStr(r.delivery),
    effect: toEffect(r.effect),
  };
}

/**
 * The statements of one store, prepared once. The ones every access check runs bind their
 * parameters by position, and the account is read as an array of named columns (`raw`):
 * better-sqlite3 then neither looks each parameter up by name nor builds an object per row, and
 * no row is copied to add a field. Each of those statements takes about a third less time so.
 */
class SqliteTx implements LedgerTx {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      account: db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE user_id = ?`).raw(true),
      openAccount: db.prepare('INSERT OR IGNORE INTO accounts (user_id, tier, base_tier, balance, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?)'),
      deduct: db.prepare('UPDATE accounts SET balance = balance - ? WHERE user_id = ? AND balance >= ?'),
      credit: db.prepare('UPDATE accounts SET balance = balance + :amount WHERE user_id = :u'),
      setTier: db.prepare('UPDATE accounts SET tier = ? WHERE user_id = ?'),
      entitlementsOf: db.prepare('SELECT * FROM entitlements WHERE user_id = ? ORDER BY source'),
      entitlement: db.prepare('SELECT * FROM entitlements WHERE source = ?'),
      putEntitlement: db.prepare(
        'INSERT OR REPLACE INTO entitlements (source, user_id, offer_id, items, tier, status, state, period_end, updated_at) VALUES (@source, @userId, @offerId, @items, @tier, @status, @state, @periodEnd, @updatedAt)',
      ),
      appendEntry: db.prepare('INSERT INTO ledger_entries (user_id, kind, amount, balance_after, cause, payment_key, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertEvent: db.prepare(
        'INSERT OR IGNORE INTO processed_events (provider, event_id, kind, outcome, user_id, occurred_at, detail, delivery, effect) VALUES (@provider, @eventId, @kind, @outcome, @userId, @occurredAt, @detail, @delivery, @effect)',
      ),
      processedEvent: db.prepare('SELECT * FROM processed_events WHERE provider = ? AND event_id = ?'),
      insertDecision: db.prepare(
        'INSERT OR IGNORE INTO decisions (request_id, user_id, asset_id, action, at, allowed, reason, policy_id, cost, charged, balance_after, policy_hash, tier) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      decisionByRequest: db.prepare('SELECT * FROM decisions WHERE request_id = ?'),
      paymentRef: db.prepare('SELECT payment_key FROM payment_refs WHERE ref = ?'),
      payment: db.prepare('SELECT * FROM payments WHERE payment_key = ?'),
      paymentsOfSource: db.prepare('SELECT * FROM payments WHERE source = ? ORDER BY payment_key'),
      putPayment: db.prepare(
        'INSERT OR REPLACE INTO payments (payment_key, provider, user_id, offer_id, occurred_at, amount_minor, currency, tax_minor, subscription, source, tokens_granted, tokens_clawed, shortfall, refunded_minor, refunded_full, dispute) ' +
          'VALUES (@key, @provider, @userId, @offerId, @occurredAt, @amountMinor, @currency, @taxMinor, @subscription, @source, @tokensGranted, @tokensClawed, @shortfall, @refundedMinor, @refundedFull, @dispute)',
      ),
      linkRef: db.prepare('INSERT OR IGNORE INTO payment_refs (ref, payment_key) VALUES (?, ?)'),
      reversal: db.prepare('SELECT * FROM reversals WHERE id = ?'),
      reversalsByRef: db.prepare('SELECT r.* FROM reversal_refs x JOIN reversals r ON r.id = x.reversal_id WHERE x.ref = ?'),
      reversalsByPayment: db.prepare('SELECT * FROM reversals WHERE payment_key = ?'),
      putReversal: db.prepare(
        'INSERT OR REPLACE INTO reversals (id, kind, refs, payment_key, amount_minor, cumulative, full, dispute, occurred_at) VALUES (@id, @kind, @refs, @paymentKey, @amountMinor, @cumulative, @full, @dispute, @occurredAt)',
      ),
      linkReversal: db.prepare('INSERT OR IGNORE INTO reversal_refs (ref, reversal_id) VALUES (?, ?)'),
    };
  }

  account(userId: string): AccountRow | undefined {
    const r = this.s.account.get(userId) as AccountColumns | undefined;
    return r ? toAccount(r) : undefined;
  }

  openAccount(row: AccountRow): boolean {
    return this.s.openAccount.run(row.userId, row.tier, row.baseTier, row.balance, row.openedBy, row.openedAt).changes === 1;
  }

  deduct(userId: string, amount: number): boolean {
    return this.s.deduct.run(amount, userId, amount).changes === 1;
  }

  credit(userId: string, amount: number): void {
    this.s.credit.run({ amount, u: userId });
  }

  setTier(userId: string, tier: string): void {
    this.s.setTier.run(tier, userId);
  }

  entitlementsOf(userId: string): EntitlementRow[] {
    return (this.s.entitlementsOf.all(userId) as Row[]).map(toEntitlement);
  }

  entitlement(source: string): EntitlementRow | undefined {
    const r = this.s.entitlement.get(source) as Row | undefined;
    return r ? toEntitlement(r) : undefined;
  }

  putEntitlement(row: EntitlementRow): void {
    this.s.putEntitlement.run({ ...row, items: json(row.items) });
  }

  appendEntry(e: LedgerEntry): void {
    this.s.appendEntry.run(e.userId, e.kind, e.amount, e.balanceAfter, e.cause, e.paymentKey, e.at);
  }

  insertProcessedEvent(row: ProcessedEventRow): boolean {
    return this.s.insertEvent.run({ ...row, effect: row.effect === null ? null : JSON.stringify(row.effect) }).changes === 1;
  }

  processedEvent(provider: string, eventId: string): ProcessedEventRow | undefined {
    const r = this.s.processedEvent.get(provider, eventId) as Row | undefined;
    return r ? toProcessedEvent(r) : undefined;
  }

  insertDecision(r: DecisionRow): boolean {
    return this.s.insertDecision.run(r.requestId, r.userId, r.assetId, r.action, r.at, r.allowed ? 1 : 0, r.reason, r.policyId, r.cost, r.charged, r.balanceAfter, r.policyHash, r.tier).changes === 1;
  }

  decisionByRequest(requestId: string): DecisionRow | undefined {
    const r = this.s.decisionByRequest.get(requestId) as Row | undefined;
    return r ? toDecision(r) : undefined;
  }

  paymentByRefs(refs: readonly string[]): PaymentRow | undefined {
    for (const ref of refs) {
      const link = this.s.paymentRef.get(ref) as { payment_key: string } | undefined;
      if (!link) continue;
      const r = this.s.payment.get(link.payment_key) as Row | undefined;
      if (r) return toPayment(r);
    }
    return undefined;
  }

  paymentsOfSource(source: string): PaymentRow[] {
    return (this.s.paymentsOfSource.all(source) as Row[]).map(toPayment);
  }

  putPayment(row: PaymentRow, refs: readonly string[]): void {
    this.s.putPayment.run({ ...row, refundedFull: row.refundedFull ? 1 : 0 });
    for (const ref of refs) this.s.linkRef.run(ref, row.key);
  }

  reversal(id: string): ReversalRow | undefined {
    const r = this.s.reversal.get(id) as Row | undefined;
    return r ? toReversal(r) : undefined;
  }

  reversalsFor(refs: readonly string[], paymentKey: string | null): ReversalRow[] {
    const byId = new Map<string, ReversalRow>();
    for (const ref of refs) for (const r of this.s.reversalsByRef.all(ref) as Row[]) byId.set(String(r.id), toReversal(r));
    if (paymentKey !== null) for (const r of this.s.reversalsByPayment.all(paymentKey) as Row[]) byId.set(String(r.id), toReversal(r));
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  putReversal(row: ReversalRow): void {
    this.s.putReversal.run({ ...row, refs: json(row.refs), cumulative: row.cumulative ? 1 : 0, full: row.full ? 1 : 0 });
    for (const ref of row.refs) this.s.linkReversal.run(ref, row.id);
  }
}
