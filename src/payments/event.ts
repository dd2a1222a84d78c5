/**
 * The one event model every payment provider is normalised to. Whatever a provider calls it, a
 * webhook becomes a `PaymentEvent` whose `kind` says what happened to the buyer's access; the
 * provider's own type is kept beside it for reports.
 */

/** The providers an event can come from (each has an adapter in this folder). */
export type Provider = 'stripe' | 'paddle' | 'mock';

/** What happened, in the terms the ledger acts on. `ignored` is kept (and counted), never applied. */
export type EventKind =
  | 'payment.succeeded'
  | 'invoice.paid'
  | 'subscription.started'
  | 'subscription.changed'
  | 'subscription.past_due'
  | 'subscription.cancel_scheduled'
  | 'subscription.ended'
  | 'refund.succeeded'
  | 'dispute.opened'
  | 'dispute.inquiry'
  | 'dispute.won'
  | 'dispute.lost'
  | 'ignored';

/** Every kind, in the order the docs list them. */
export const EVENT_KINDS: readonly EventKind[] = [
  'payment.succeeded',
  'invoice.paid',
  'subscription.started',
  'subscription.changed',
  'subscription.past_due',
  'subscription.cancel_scheduled',
  'subscription.ended',
  'refund.succeeded',
  'dispute.opened',
  'dispute.inquiry',
  'dispute.won',
  'dispute.lost',
  'ignored',
];

const KIND_SET: ReadonlySet<string> = new Set(EVENT_KINDS);

/** Whether `s` names an event kind. */
export function isEventKind(s: string): s is EventKind {
  return KIND_SET.has(s);
}

/**
 * The provider's ids for the objects an event touches. The ledger matches a refund or a dispute to
 * the payment it reverses through these (a refund names its charge, a Paddle adjustment its
 * transaction), and recognises two events reporting the same payment (Stripe's
 * `checkout.session.completed` and `payment_intent.succeeded` share `payment`).
 */
export interface PaymentRefs {
  /** Stripe PaymentIntent (`pi_…`). */
  readonly payment?: string;
  /** Stripe Charge (`ch_…`). */
  readonly charge?: string;
  /** Stripe Invoice (`in_…`). */
  readonly invoice?: string;
  /** Stripe (`sub_…`) or Paddle (`sub_…`) subscription. */
  readonly subscription?: string;
  /** Stripe Dispute (`dp_…`) or the Paddle chargeback adjustment (`adj_…`). */
  readonly dispute?: string;
  /** Paddle transaction (`txn_…`). */
  readonly transaction?: string;
  /** Stripe Refund (`re_…`) when the event carries it, or the Paddle refund adjustment (`adj_…`). */
  readonly refund?: string;
}

/** What a refund event says about the money returned. */
export interface RefundInfo {
  /** Whether the whole payment has now been refunded. */
  readonly full: boolean;
  /** Minor units refunded: by this refund, or on the payment so far when `cumulative`. */
  readonly amountMinor: number;
  /**
   * True when `amountMinor` is the total refunded on the payment so far (Stripe's
   * `amount_refunded`, repeated and growing on every `charge.refunded`); false when it is this
   * refund's own amount (a Paddle adjustment, a mock event). A ledger takes the largest cumulative
   * figure it has seen, and sums the others by refund id.
   */
  readonly cumulative: boolean;
}

/** One webhook, normalised. Times are milliseconds since the epoch; money is integer minor units. */
export interface PaymentEvent {
  readonly provider: Provider;
  /** The provider's event id: with `provider`, the idempotency key of the delivery. */
  readonly eventId: string;
  readonly kind: EventKind;
  /** The provider's own event type, e.g. `charge.dispute.created`. */
  readonly providerType: string;
  /** When the provider says the event happened (never when it was received). */
  readonly occurredAt: number;
  /** From metadata / custom data `user_id`, or Stripe's `client_reference_id`. */
  readonly userId?: string;
  /** From metadata / custom data `offer_id`; without it, the offer is found by `priceIds`. */
  readonly offerId?: string;
  /** Provider price ids of what was bought, in payload order, without repeats. */
  readonly priceIds: readonly string[];
  /** Money the event moves (paid, refunded, disputed), tax included. */
  readonly amountMinor?: number;
  /** ISO 4217 code, upper case. */
  readonly currency?: string;
  /** The tax part of `amountMinor`, when the provider reports it. */
  readonly taxMinor?: number;
  readonly refs: PaymentRefs;
  /** Present exactly when `kind` is `refund.succeeded`. */
  readonly refund?: RefundInfo;
  /** End of the paid period (subscriptions, invoices) or when a scheduled cancellation takes effect. */
  readonly periodEnd?: number;
}

/** Why a delivery was not turned into an event. */
export type FailureOutcome = 'invalid_signature' | 'malformed';

/** A delivery that could not be used, with a message a person can act on. */
export interface ParseFailure {
  readonly outcome: FailureOutcome;
  readonly message: string;
}

/**
 * How much the signature vouches for an event: `verified` (an envelope checked against a configured
 * secret), `not_checked` (an envelope, but no secret was given for its provider), `none` (a bare
 * body or a hand-written mock event: nothing to check).
 */
export type SignatureStatus = 'verified' | 'not_checked' | 'none';

/** The result of parsing one delivery: an event, or why there is none. */
export type ParseResult = { readonly event: PaymentEvent; readonly signature: SignatureStatus } | ParseFailure;

/** What an adapter makes of a body: an event, or why it is not one (normalising checks no signature). */
export type NormalizeResult = { readonly event: PaymentEvent } | { readonly outcome: 'malformed'; readonly message: string };

/** Whether a parse result is a failure. */
export function isFailure(r: ParseResult): r is ParseFailure {
  return 'outcome' in r;
}
