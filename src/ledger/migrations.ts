/**
 * The SQLite schema as an ordered list of migrations. A database records the last one applied in
 * `schema_version`; opening applies the ones after it, in order, each in its own transaction. A
 * new column or table is a new entry at the end — never an edit of an applied one.
 */

/** One step of the schema. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, entitlements, ledger entries, processed events, decisions, payments, refunds and disputes',
    sql: `
CREATE TABLE accounts (
  user_id    TEXT PRIMARY KEY,
  tier       TEXT NOT NULL,
  base_tier  TEXT NOT NULL,
  balance    INTEGER NOT NULL CHECK (balance >= 0),
  opened_by  TEXT NOT NULL,
  opened_at  INTEGER NOT NULL
);

CREATE TABLE entitlements (
  source     TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  offer_id   TEXT,
  items      TEXT NOT NULL,
  tier       TEXT,
  status     TEXT NOT NULL,
  state      TEXT NOT NULL,
  period_end INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX entitlements_by_user ON entitlements (user_id, source);

CREATE VIEW entitlement_items AS
  SELECT e.user_id AS user_id, j.value AS item, e.state AS state, e.source AS source, e.updated_at AS updated_at
  FROM entitlements e, json_each(e.items) j;

CREATE TABLE ledger_entries (
  id            INTEGER PRIMARY KEY,
  user_id       TEXT NOT NULL,
  kind          TEXT NOT NULL,
  amount        INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  cause         TEXT NOT NULL,
  payment_key   TEXT,
  at            INTEGER NOT NULL
);
CREATE INDEX ledger_entries_by_user ON ledger_entries (user_id, id);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;

CREATE TABLE processed_events (
  provider    TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  kind        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  user_id     TEXT,
  occurred_at INTEGER NOT NULL,
  detail      TEXT,
  PRIMARY KEY (provider, event_id)
) WITHOUT ROWID;

CREATE TABLE decisions (
  id            INTEGER PRIMARY KEY,
  request_id    TEXT UNIQUE,
  user_id       TEXT,
  asset_id      TEXT,
  action        TEXT,
  at            INTEGER NOT NULL,
  allowed       INTEGER NOT NULL,
  reason        TEXT,
  policy_id     TEXT NOT NULL,
  cost          INTEGER,
  charged       INTEGER NOT NULL,
  balance_after INTEGER,
  policy_hash   TEXT NOT NULL
);

CREATE TABLE payments (
  payment_key    TEXT PRIMARY KEY,
  provider       TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  offer_id       TEXT NOT NULL,
  occurred_at    INTEGER NOT NULL,
  amount_minor   INTEGER,
  currency       TEXT,
  tax_minor      INTEGER,
  subscription   TEXT,
  source         TEXT,
  tokens_granted INTEGER NOT NULL,
  tokens_clawed  INTEGER NOT NULL,
  shortfall      INTEGER NOT NULL,
  refunded_minor INTEGER NOT NULL,
  refunded_full  INTEGER NOT NULL,
  dispute        TEXT
);
CREATE INDEX payments_by_source ON payments (source);

CREATE TABLE payment_refs (
  ref         TEXT PRIMARY KEY,
  payment_key TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE reversals (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  refs         TEXT NOT NULL,
  payment_key  TEXT,
  amount_minor INTEGER NOT NULL,
  cumulative   INTEGER NOT NULL,
  full         INTEGER NOT NULL,
  dispute      TEXT,
  occurred_at  INTEGER NOT NULL
);
CREATE INDEX reversals_by_payment ON reversals (payment_key);

CREATE TABLE reversal_refs (
  ref         TEXT NOT NULL,
  reversal_id TEXT NOT NULL,
  PRIMARY KEY (ref, reversal_id)
) WITHOUT ROWID;

CREATE VIEW tombstones AS SELECT * FROM reversals WHERE payment_key IS NULL;
`,
  },
  {
    version: 2,
    description: 'the tier a decision was made with; each event\'s delivery and effect, so a re-run reports the whole history',
    sql: `
ALTER TABLE decisions ADD COLUMN tier TEXT;
ALTER TABLE processed_events ADD COLUMN delivery TEXT;
ALTER TABLE processed_events ADD COLUMN effect TEXT;
`,
  },
];

/** The schema version this build writes and understands. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
