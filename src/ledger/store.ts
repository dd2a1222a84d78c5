/**
 * The ledger boundary. A store keeps the rows of `model.ts` and runs work in transactions; the
 * state machine (`machine.ts`) and the flows over it (`flow.ts`) see only this interface, so a new
 * store (PostgreSQL next) is one file implementing it, with no change to the machine, the access
 * service or the replay.
 *
 * The contract is synchronous, as better-sqlite3 is. Every call inside `transaction` sees the
 * writes made before it in the same transaction; `transaction` commits when `work` returns and
 * rolls back when it throws. Two writers on one database are serialised (SQLite: `BEGIN
 * IMMEDIATE`), so a read followed by a write inside one transaction is never raced.
 */
import type { AccountRow, DecisionRow, EntitlementRow, LedgerEntry, PaymentRow, ProcessedEventRow, ReversalRow } from './model.js';

/** The reads and writes one transaction offers. */
export interface LedgerTx {
  /** The account of a user, if opened. */
  account(userId: string): AccountRow | undefined;
  /** Open an account; false (and no change) when the user already has one. */
  openAccount(row: AccountRow): boolean;
  /**
   * Take `amount` micro-tokens from a balance only if the balance covers it (`UPDATE … SET balance
   * = balance - :amount WHERE user_id = :u AND balance >= :amount`); whether a row changed.
   */
  deduct(userId: string, amount: number): boolean;
  /** Add `amount` micro-tokens (negative takes back; callers never take more than the balance). */
  credit(userId: string, amount: number): void;
  /** Set the account's effective tier. */
  setTier(userId: string, tier: string): void;
  /** Every entitlement of a user, in source order. */
  entitlementsOf(userId: string): EntitlementRow[];
  /** The entitlement of one source (`sub:…`, `pay:…`, `context:…`). */
  entitlement(source: string): EntitlementRow | undefined;
  /** Insert or replace the entitlement of `row.source`. */
  putEntitlement(row: EntitlementRow): void;
  /** Append a balance movement. */
  appendEntry(entry: LedgerEntry): void;
  /** Record an event by (provider, eventId); false when it was recorded before (a duplicate). */
  insertProcessedEvent(row: ProcessedEventRow): boolean;
  /** The recorded event of (provider, eventId). */
  processedEvent(provider: string, eventId: string): ProcessedEventRow | undefined;
  /** Record a decision; false (and no change) when `requestId` was decided before. */
  insertDecision(row: DecisionRow): boolean;
  /** The decision recorded for a request id. */
  decisionByRequest(requestId: string): DecisionRow | undefined;
  /** The payment any of `refs` (`payment:pi_1`, `charge:ch_1` …) belongs to. */
  paymentByRefs(refs: readonly string[]): PaymentRow | undefined;
  /** Every payment feeding an entitlement source. */
  paymentsOfSource(source: string): PaymentRow[];
  /** Insert or replace a payment and make each of `refs` find it. */
  putPayment(row: PaymentRow, refs: readonly string[]): void;
  /** One refund or dispute by id. */
  reversal(id: string): ReversalRow | undefined;
  /** The refunds and disputes naming any of `refs`, or already matched to `paymentKey`. */
  reversalsFor(refs: readonly string[], paymentKey: string | null): ReversalRow[];
  /** Insert or replace a refund or dispute (one whose payment is unknown is a tombstone). */
  putReversal(row: ReversalRow): void;
}

/** A ledger database. */
export interface LedgerStore {
  /** Run `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (tx: LedgerTx) => T): T;
  /** Close the database (further calls throw). */
  close(): void;
  /** Where the data lives (a file path, or a description for other stores). */
  readonly location: string;
}

/** A ledger that cannot be opened or used (unreadable file, newer schema, missing driver); `message` says what to do. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}
