/**
 * The rows of the ledger and the states of an entitlement. Every store (SQLite today) keeps
 * exactly these values; the state machine (`machine.ts`) reads and writes only these shapes.
 *
 * Units: token amounts are integers in **micro-tokens** (tokens × 10^6; policy costs are rounded to
 * at most six decimals, so every balance is exact); money is integer minor units of its currency;
 * times are milliseconds since the epoch, as the event or the clock gives them.
 */

/** Micro-tokens in one token. */
export const MICRO = 1_000_000;

/** Tokens (a policy cost, an offer's grant, a context balance) → micro-tokens, exactly for up to six decimals. */
export function toMicro(tokens: number): number {
  if (!Number.isFinite(tokens)) return 0;
  return Math.round(tokens * MICRO);
}

/** Micro-tokens → tokens, as a policy reads `user.token_balance`. */
export function fromMicro(micro: number): number {
  return micro / MICRO;
}

/**
 * The state of an entitlement:
 * - `active`, `past_due` (payment failing, access kept), `canceling` (access until the period end);
 * - `disputed` (a dispute is open on one of its payments: no access; `dispute.won` restores);
 * - `revoked` (a full refund or a lost dispute: no access, absorbing);
 * - `expired` (the subscription ended: no access).
 */
export type EntitlementState = 'active' | 'past_due' | 'canceling' | 'disputed' | 'revoked' | 'expired';

/** The states a subscription's own lifecycle events set (disputes and revocation overlay them). */
export type LifecycleStatus = 'active' | 'past_due' | 'canceling' | 'expired';

/** How restrictive a lifecycle status is; on equal event times the more restrictive one wins. */
export const STATUS_RANK: Readonly<Record<LifecycleStatus, number>> = { active: 0, past_due: 1, canceling: 2, expired: 3 };

/** One user's account. `balance` is in micro-tokens; `tier` is the effective tier, `baseTier` the one it was opened with. */
export interface AccountRow {
  readonly userId: string;
  readonly tier: string;
  readonly baseTier: string;
  readonly balance: number;
  /** How the account was opened: from a request's context (replay), by an event, or with defaults. */
  readonly openedBy: 'context' | 'event' | 'default';
  readonly openedAt: number;
}

/**
 * What one source grants a user, with its state. A source is a subscription (`sub:<id>`: its
 * lifecycle events move the state), a one-time payment (`pay:<payment key>`), or the context a
 * replay opened the account from (`context:<user>`).
 */
export interface EntitlementRow {
  readonly source: string;
  readonly userId: string;
  readonly offerId: string | null;
  /** Asset and bundle ids granted (`user.entitlements`). */
  readonly items: readonly string[];
  /** The tier granted, if the offer grants one. */
  readonly tier: string | null;
  /** The lifecycle status (last writer by event time wins). */
  readonly status: LifecycleStatus;
  /** The effective state: `revoked` > `disputed` > `status`. */
  readonly state: EntitlementState;
  readonly periodEnd: number | null;
  /**
   * Event time of the lifecycle event that last set `status`: the order key (an older lifecycle
   * event changes nothing). Refunds and disputes change `state` without moving it, so the row ends
   * the same whichever order they arrive in.
   */
  readonly updatedAt: number;
}

/** The state of a dispute, merged by rank so that delivery order does not matter: lost > won > open > inquiry. */
export type DisputeState = 'inquiry' | 'open' | 'won' | 'lost';

/** Dispute states by rank (a higher rank replaces a lower one, never the reverse). */
export const DISPUTE_RANK: Readonly<Record<DisputeState, number>> = { inquiry: 0, open: 1, won: 2, lost: 3 };

/** One payment: what it granted and what has been reversed. */
export interface PaymentRow {
  /** The payment's key: its first ref, e.g. `payment:pi_123` or `transaction:txn_1`. */
  readonly key: string;
  readonly provider: string;
  readonly userId: string;
  readonly offerId: string;
  readonly occurredAt: number;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly taxMinor: number | null;
  /** The subscription this payment belongs to (`sub:<id>`), if any. */
  readonly subscription: string | null;
  /** The entitlement source this payment feeds (`sub:<id>` or `pay:<key>`), or null when the offer grants only tokens. */
  readonly source: string | null;
  /** Micro-tokens the offer grants for this payment. */
  readonly tokensGranted: number;
  /** Micro-tokens taken back so far (refunds, lost disputes), including any shortfall. */
  readonly tokensClawed: number;
  /** Micro-tokens that could not be taken back because they were already spent. */
  readonly shortfall: number;
  /** Minor units refunded so far. */
  readonly refundedMinor: number;
  readonly refundedFull: boolean;
  /** The most advanced dispute state over the payment's disputes, or null. */
  readonly dispute: DisputeState | null;
}

/**
 * A refund or a dispute. Stored whether or not its payment is known: one whose payment has not
 * arrived yet is a **tombstone** (`paymentKey` null), and the payment, when it arrives, applies it
 * at once, so that a late payment never grants what was already taken back.
 */
export interface ReversalRow {
  /** `refund:<id>` or `dispute:<id>` (the provider's refund/dispute id, else the event id). */
  readonly id: string;
  readonly kind: 'refund' | 'dispute';
  /** The payment refs this reversal names (`charge:ch_1`, `payment:pi_1`, `transaction:txn_1` …). */
  readonly refs: readonly string[];
  readonly paymentKey: string | null;
  readonly amountMinor: number;
  /** Refunds: the amount is the running total on the payment (Stripe) rather than this refund's own. */
  readonly cumulative: boolean;
  readonly full: boolean;
  readonly dispute: DisputeState | null;
  readonly occurredAt: number;
}

/** Why a balance moved. */
export type EntryKind = 'open' | 'grant' | 'consume' | 'clawback' | 'shortfall';

/** One movement of a balance, with its cause. Append-only. */
export interface LedgerEntry {
  readonly userId: string;
  readonly kind: EntryKind;
  /** Micro-tokens: positive credits, negative debits; a `shortfall` records the amount that could not be taken (positive). */
  readonly amount: number;
  /** Balance after the movement (micro-tokens). */
  readonly balanceAfter: number;
  /** What caused it: `event:<provider>:<id>`, `request:<id>`, `context`. */
  readonly cause: string;
  readonly paymentKey: string | null;
  readonly at: number;
}

/** What became of an event. `invalid_signature` and `malformed` come from parsing a delivery. */
export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'unresolved' | 'out_of_order' | 'invalid_signature' | 'malformed';

/** The record of one processed event, kept forever: the idempotency key is (provider, eventId). */
export interface ProcessedEventRow {
  readonly provider: string;
  readonly eventId: string;
  readonly kind: string;
  readonly outcome: EventOutcome;
  readonly userId: string | null;
  readonly occurredAt: number;
  readonly detail: string | null;
  /**
   * Which delivery of the event was applied, when the caller names deliveries (the replay: the
   * fixture file, or `<file>:<line>` of a collection). A re-run meeting the same delivery again
   * reports the recorded effect instead of a duplicate.
   */
  readonly delivery: string | null;
  /** What applying the event did (money, revocations, balance change), as recorded. */
  readonly effect: EventEffect | null;
}

/** What applying an event did, kept with its processed-event row. Money in minor units, tokens in micro-tokens. */
export interface EventEffect {
  readonly tokenDeltaMicro: number;
  readonly money?: {
    readonly currency: string | null;
    readonly paidMinor: number;
    readonly taxMinor: number;
    readonly refundedMinor: number;
  };
  readonly revoked?: readonly string[];
}

/** One access decision, denials included. Amounts in micro-tokens. */
export interface DecisionRow {
  readonly requestId: string | null;
  readonly userId: string | null;
  readonly assetId: string | null;
  readonly action: string | null;
  readonly at: number;
  readonly allowed: boolean;
  readonly reason: string | null;
  readonly policyId: string;
  readonly cost: number | null;
  readonly charged: number;
  readonly balanceAfter: number | null;
  readonly policyHash: string;
  /** The effective tier the decision was made with (null: no user). */
  readonly tier: string | null;
}

/** What an offer grants, as the ledger needs it (the policy's `offers`, without source positions). */
export interface OfferGrant {
  readonly id: string;
  readonly priceIds: readonly string[];
  readonly grants: { readonly tokens?: number; readonly tier?: string; readonly entitlements?: readonly string[] };
}
