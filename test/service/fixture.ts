/** A small policy with offers, event builders and table dumps shared by the ledger and service tests. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadPolicy } from '../../src/api/index.js';
import type { CheckedPolicy } from '../../src/pipeline/pipeline.js';
import type { PaymentEvent } from '../../src/payments/event.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { createAccessService, type AccessService, type ServiceMode } from '../../src/service/service.js';
import type { LedgerStore } from '../../src/ledger/store.js';

export const POLICY_TEXT = `
version: "1.0"
currency: "EUR"
rules:
  - id: premium_needs_pack
    priority: 90
    condition: "asset.id starts_with 'premium:' and not (user.entitlements contains 'premium_pack')"
    action:
      allow: false
      reason: upgrade_required
  - id: premium_with_pack
    priority: 85
    condition: "asset.id starts_with 'premium:'"
    action:
      allow: true
      cost: 0
  - id: pro_free_read
    priority: 80
    condition: "user.tier == 'pro' and request.action == 'read'"
    action:
      allow: true
      cost: 0
  - id: token_read
    priority: 50
    condition: "request.action == 'read'"
    action:
      allow: true
      cost: 2.5
  - id: token_execute
    priority: 40
    condition: "request.action == 'execute'"
    action:
      allow: true
      cost: 0.000001
offers:
  - id: tokens_100
    price_ids: ["price_tokens_100"]
    grants:
      tokens: 100
  - id: pro_monthly
    price_ids: ["price_pro"]
    grants:
      tier: pro
      tokens: 50
      entitlements: [premium_pack]
  - id: lifetime
    price_ids: ["price_life"]
    grants:
      entitlements: [premium_pack]
`;

let cached: CheckedPolicy | undefined;

/** The checked test policy. */
export function testPolicy(): CheckedPolicy {
  return (cached ??= loadPolicy('ledger-test.yaml', { text: POLICY_TEXT }));
}

/** A service over a fresh SQLite file in `dir`. */
export function service(dir: string, name: string, mode: ServiceMode = 'production', clock: () => number = () => T0): { svc: AccessService; store: LedgerStore; path: string } {
  const path = join(dir, `${name}.sqlite`);
  const store = openSqliteLedger(path);
  return { svc: createAccessService({ policy: testPolicy(), store, mode, clock }), store, path };
}

/** 2025-03-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 2, 1);
export const MIN = 60_000;

/** A normalised event. */
export function ev(kind: PaymentEvent['kind'], eventId: string, at: number, extra: Partial<PaymentEvent> = {}): PaymentEvent {
  return { provider: 'mock', eventId, kind, providerType: kind, occurredAt: at, priceIds: [], refs: {}, ...extra };
}

/** A token pack bought by `user` as payment `pay` (100 tokens for 1000 minor units). */
export function tokenPack(id: string, user: string, pay: string, at: number, extra: Partial<PaymentEvent> = {}): PaymentEvent {
  return ev('payment.succeeded', id, at, { userId: user, offerId: 'tokens_100', amountMinor: 1000, currency: 'EUR', refs: { payment: pay }, ...extra });
}

/** A refund of `pay`. */
export function refund(id: string, pay: string, at: number, amountMinor: number, full: boolean, extra: Partial<PaymentEvent> = {}): PaymentEvent {
  return ev('refund.succeeded', id, at, { amountMinor, refs: { payment: pay, refund: `re_${id}` }, refund: { full, amountMinor, cumulative: false }, ...extra });
}

const require = createRequire(import.meta.url);

type Row = Record<string, unknown>;

/** The tables that hold the ledger's state, as sorted plain rows (no autoincrement ids, no per-event outcomes). */
export function dumpState(path: string): Record<string, Row[]> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    const q = (sql: string): Row[] => db.prepare(sql).all() as Row[];
    return {
      accounts: q('SELECT user_id, tier, base_tier, balance FROM accounts ORDER BY user_id'),
      entitlements: q('SELECT * FROM entitlements ORDER BY source'),
      payments: q('SELECT * FROM payments ORDER BY payment_key'),
      reversals: q('SELECT id, kind, payment_key, amount_minor, cumulative, full, dispute FROM reversals ORDER BY id'),
      payment_refs: q('SELECT * FROM payment_refs ORDER BY ref'),
    };
  } finally {
    db.close();
  }
}

/** Rows of one table or query. */
export function query(path: string, sql: string): Row[] {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Row[];
  } finally {
    db.close();
  }
}
