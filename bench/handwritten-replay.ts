/**
 * The replay baseline, written plainly: read the log in 1 MiB chunks, split lines, `JSON.parse`,
 * decide with the compiled module, and run the SQL statements the access service runs per request
 * (decision lookup by request id, account read and, for a new user, open from the request's
 * context; entitlements read; conditional deduct; ledger entry; decision insert) in transactions
 * of 1,000 on raw better-sqlite3: the same SQL text, bound the same way (by position; the account
 * read as an array of the same columns). It assumes what the generated log guarantees: sorted
 * timestamps, an id and a user on every line, no webhooks. The schema is made by `openSqliteLedger`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import type BetterSqlite3 from 'better-sqlite3';
import type { DecisionModule } from '../src/codegen/compile.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

/** What a replay adds up to; both implementations must agree on it. */
export interface ReplayTotals {
  readonly lines: number;
  readonly allowed: number;
  readonly denied: number;
  readonly chargedMicro: number;
}

interface Line {
  id: string;
  assetId: string;
  action: string;
  timestamp: number;
  context: { userId: string; tier?: string; tokenBalance?: number; entitlements?: string[] } & Record<string, unknown>;
}

interface EntRow {
  items: string;
  tier: string | null;
  state: string;
  period_end: number | null;
  updated_at: number;
  source: string;
}

const BATCH = 1000;

/** Replay a generated log into a new ledger file at `dbPath`; `progress` is called after every transaction with the lines read so far. */
export function handwrittenReplay(decide: DecisionModule['decide'], policyHash: string, logPath: string, dbPath: string, progress?: (read: number) => void): ReplayTotals {
  openSqliteLedger(dbPath).close();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const decisionByRequest = db.prepare('SELECT * FROM decisions WHERE request_id = ?');
  const account = db.prepare('SELECT user_id, tier, base_tier, balance, opened_by, opened_at FROM accounts WHERE user_id = ?').raw(true);
  const openAccount = db.prepare('INSERT OR IGNORE INTO accounts (user_id, tier, base_tier, balance, opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?)');
  const putEntitlement = db.prepare(
    'INSERT OR REPLACE INTO entitlements (source, user_id, offer_id, items, tier, status, state, period_end, updated_at) VALUES (@source, @userId, @offerId, @items, @tier, @status, @state, @periodEnd, @updatedAt)',
  );
  const entitlementsOf = db.prepare('SELECT * FROM entitlements WHERE user_id = ? ORDER BY source');
  const deduct = db.prepare('UPDATE accounts SET balance = balance - ? WHERE user_id = ? AND balance >= ?');
  const appendEntry = db.prepare('INSERT INTO ledger_entries (user_id, kind, amount, balance_after, cause, payment_key, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertDecision = db.prepare(
    'INSERT OR IGNORE INTO decisions (request_id, user_id, asset_id, action, at, allowed, reason, policy_id, cost, charged, balance_after, policy_hash, tier) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  let lines = 0;
  let allowed = 0;
  let chargedMicro = 0;

  const one = (r: Line): void => {
    if (decisionByRequest.get(r.id) !== undefined) return;
    const ctx = r.context;
    const userId = ctx.userId;
    const at = r.timestamp;
    const acc = account.get(userId) as [string, string, string, number, string, number] | undefined;
    let baseTier: string;
    let balance: number;
    if (acc === undefined) {
      baseTier = typeof ctx.tier === 'string' ? ctx.tier : 'free';
      const given = ctx.tokenBalance;
      balance = typeof given === 'number' && Number.isFinite(given) && given > 0 ? Math.round(given * 1e6) : 0;
      openAccount.run(userId, baseTier, baseTier, balance, 'context', at);
      if (balance > 0) appendEntry.run(userId, 'open', balance, balance, `request:${r.id}`, null, at);
      const items = Array.isArray(ctx.entitlements) ? [...new Set(ctx.entitlements)].sort() : [];
      if (items.length > 0) {
        putEntitlement.run({ source: `context:${userId}`, userId, offerId: null, items: JSON.stringify(items), tier: null, status: 'active', state: 'active', periodEnd: null, updatedAt: at });
      }
    } else {
      baseTier = acc[2];
      balance = acc[3];
    }
    // Effective tier and granted items: the latest entitlement with access that grants a tier.
    let tier = baseTier;
    let tierAt = -Infinity;
    const granted = new Set<string>();
    for (const e of entitlementsOf.all(userId) as EntRow[]) {
      const access = e.state === 'active' || e.state === 'past_due' || (e.state === 'canceling' && (e.period_end === null || at < e.period_end));
      if (!access) continue;
      for (const item of JSON.parse(e.items) as string[]) granted.add(item);
      if (e.tier !== null && e.updated_at >= tierAt) {
        tier = e.tier;
        tierAt = e.updated_at;
      }
    }
    const d = decide({ ...r, context: { ...ctx, userId, tier, tokenBalance: balance / 1e6, entitlements: [...granted].sort() } });
    let ok = d.allowed;
    let reason = d.reason ?? null;
    let charged = 0;
    const cost = d.cost === undefined ? 0 : Math.round(d.cost * 1e6);
    if (ok && cost > 0) {
      if (deduct.run(cost, userId, cost).changes === 1) {
        charged = cost;
        balance -= cost;
        appendEntry.run(userId, 'consume', -cost, balance, `request:${r.id}`, null, at);
      } else {
        ok = false;
        reason = 'insufficient_balance';
      }
    }
    insertDecision.run(r.id, userId, r.assetId, r.action, at, ok ? 1 : 0, reason, d.policyId, d.cost === undefined ? null : cost, charged, balance, policyHash, tier);
    if (ok) allowed++;
    chargedMicro += charged;
  };
  const batch = db.transaction((rows: Line[]) => {
    for (const r of rows) one(r);
  });

  const fd = openSync(logPath, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const text = new StringDecoder('utf8');
  let rest = '';
  let rows: Line[] = [];
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const chunk = n === 0 ? text.end() : text.write(buf.subarray(0, n));
      const parts = (rest + chunk).split('\n');
      rest = n === 0 ? '' : parts.pop()!;
      for (const p of parts) {
        if (p === '') continue;
        rows.push(JSON.parse(p) as Line);
        lines++;
        if (rows.length === BATCH) {
          batch.immediate(rows);
          rows = [];
          progress?.(lines);
        }
      }
      if (n === 0) break;
    }
    if (rows.length > 0) batch.immediate(rows);
    progress?.(lines);
  } finally {
    closeSync(fd);
    db.close();
  }
  return { lines, allowed, denied: lines - allowed, chargedMicro };
}
