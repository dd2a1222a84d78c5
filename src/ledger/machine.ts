/**
 * The entitlement state machine: pure functions from a payment event and a snapshot of the rows it
 * touches to the outcome and the rows to write. No I/O and no clock, so every store runs the same
 * rules and a replay gives the same result as production.
 *
 * Order independence is built in rather than hoped for:
 * - a subscription's lifecycle status is last-writer-wins by event time (an older event changes
 *   nothing and is `out_of_order`; on equal times the more restrictive status wins);
 * - disputes merge by rank (lost > won > open > inquiry), refunds by amount (the largest running
 *   total, the sum of distinct refunds), and `revoked` is absorbing;
 * - a refund or dispute whose payment is not known yet is kept as a tombstone, and the payment
 *   applies it the moment it arrives, so it never grants what was already taken back.
 * Delivered in any order, with duplicates, a set of events ends in the state of its in-order
 * single delivery (the adversarial test holds the ledger to it).
 */
import type { PaymentEvent, PaymentRefs } from '../payments/event.js';
import {
  DISPUTE_RANK,
  STATUS_RANK,
  toMicro,
  type AccountRow,
  type DisputeState,
  type EntitlementRow,
  type EntitlementState,
  type EventOutcome,
  type LedgerEntry,
  type LifecycleStatus,
  type OfferGrant,
  type PaymentRow,
  type ReversalRow,
} from './model.js';

/** The rows an event may touch, read before it is applied. */
export interface EventSnapshot {
  /** The payment the event's refs name (payment events, refunds, disputes). */
  readonly payment?: PaymentRow;
  /** Refunds and disputes naming the event's payment refs or matched to `payment` (tombstones included). */
  readonly reversals: readonly ReversalRow[];
  /** The subscription's entitlement (`sub:…`), when the event names a subscription. */
  readonly subscription?: EntitlementRow;
  /** The user the event resolves to (from the event, its subscription or its payment). */
  readonly userId?: string;
  readonly account?: AccountRow;
  /** Every entitlement of `userId` (for the effective tier). */
  readonly userEntitlements: readonly EntitlementRow[];
  /** Every payment feeding the entitlement source the event touches (for its dispute / revocation overlay). */
  readonly sourcePayments: readonly PaymentRow[];
}

/** What applying an event writes. Balance movements are already computed against the snapshot's balance. */
export interface EventPlan {
  readonly outcome: EventOutcome;
  /** Why, for anything but a plain `applied`. */
  readonly detail?: string;
  readonly userId?: string;
  readonly openAccount?: AccountRow;
  readonly payment?: { readonly row: PaymentRow; readonly refs: readonly string[] };
  readonly reversals: readonly ReversalRow[];
  readonly entitlements: readonly EntitlementRow[];
  /** Net balance change, micro-tokens (never more negative than the balance). */
  readonly balanceDelta: number;
  readonly entries: readonly LedgerEntry[];
  /** The effective tier to store on the account, when it changed. */
  readonly tier?: string;
}

/** Settings the machine needs besides the snapshot. */
export interface MachineOptions {
  readonly offers: readonly OfferGrant[];
  /** The tier of an account opened by an event. */
  readonly defaultTier: string;
}

const PAYMENT_REF_KINDS = ['payment', 'invoice', 'transaction', 'charge'] as const satisfies readonly (keyof PaymentRefs)[];

/** The refs that identify a payment (`payment:pi_1`, `invoice:in_1`, `transaction:txn_1`, `charge:ch_1`), prefixed by provider. */
export function paymentRefs(event: Pick<PaymentEvent, 'provider' | 'refs'>): string[] {
  const out: string[] = [];
  for (const k of PAYMENT_REF_KINDS) {
    const v = event.refs[k];
    if (v !== undefined && v !== '') out.push(`${event.provider}:${k}:${v}`);
  }
  return out;
}

/** The entitlement source of a subscription. */
export function subscriptionSource(event: Pick<PaymentEvent, 'provider' | 'refs'>): string | undefined {
  const s = event.refs.subscription;
  return s === undefined || s === '' ? undefined : `sub:${event.provider}:${s}`;
}

/** The id of the refund or dispute an event reports. */
export function reversalId(event: PaymentEvent): string {
  if (event.kind === 'refund.succeeded') return `refund:${event.provider}:${event.refs.refund ?? `event:${event.eventId}`}`;
  const anchor = event.refs.dispute ?? paymentRefs(event)[0] ?? `event:${event.eventId}`;
  return `dispute:${event.provider}:${anchor}`;
}

/** The offer an event names: by `offerId`, else by provider price id; an error message when it names none or an unknown one. */
export function resolveOffer(event: PaymentEvent, offers: readonly OfferGrant[]): OfferGrant | string {
  if (event.offerId !== undefined) {
    const o = offers.find((x) => x.id === event.offerId);
    return o ?? `offer_id "${event.offerId}" is not an offer of the policy`;
  }
  for (const p of event.priceIds) {
    const o = offers.find((x) => x.priceIds.includes(p));
    if (o) return o;
  }
  if (event.priceIds.length > 0) return `no offer of the policy has price id ${event.priceIds.map((p) => `"${p}"`).join(', ')}`;
  return 'the event names no offer_id and no price id';
}

/** Whether an entitlement gives access at time `at` (undefined: ignore period ends). */
export function hasAccess(row: EntitlementRow, at: number | undefined): boolean {
  if (row.state === 'active' || row.state === 'past_due') return true;
  if (row.state === 'canceling') return at === undefined || row.periodEnd === null || at < row.periodEnd;
  return false;
}

/** The asset and bundle ids a user holds at `at`: sorted, without repeats. */
export function grantedItems(rows: readonly EntitlementRow[], at: number | undefined): string[] {
  const items = new Set<string>();
  for (const r of rows) if (hasAccess(r, at)) for (const i of r.items) items.add(i);
  return [...items].sort();
}

/** The effective tier: the tier of the latest (by `updatedAt`, then source) entitlement with access granting one, else the base tier. */
export function effectiveTier(baseTier: string, rows: readonly EntitlementRow[], at: number | undefined): string {
  let best: EntitlementRow | undefined;
  for (const r of rows) {
    if (r.tier === null || !hasAccess(r, at)) continue;
    if (!best || r.updatedAt > best.updatedAt || (r.updatedAt === best.updatedAt && r.source > best.source)) best = r;
  }
  return best?.tier ?? baseTier;
}

/** What the refunds and disputes of a payment add up to. */
export interface ReversalSummary {
  readonly refundedMinor: number;
  readonly full: boolean;
  readonly dispute: DisputeState | null;
}

/**
 * Merge a payment's refunds and disputes. Running totals (Stripe) count by their largest figure,
 * separate refunds (Paddle, mock) by their sum; the payment's dispute is `lost` if any is lost,
 * else `open` if any is open, else `won`, else `inquiry`.
 */
export function summarize(reversals: readonly ReversalRow[], amountMinor: number | null): ReversalSummary {
  let cumulative = 0;
  let separate = 0;
  let full = false;
  const disputes = new Set<DisputeState>();
  for (const r of reversals) {
    if (r.kind === 'refund') {
      if (r.cumulative) cumulative = Math.max(cumulative, r.amountMinor);
      else separate += r.amountMinor;
      if (r.full) full = true;
    } else if (r.dispute) disputes.add(r.dispute);
  }
  const refundedMinor = Math.max(cumulative, separate);
  if (amountMinor !== null && amountMinor > 0 && refundedMinor >= amountMinor) full = true;
  const dispute: DisputeState | null = disputes.has('lost') ? 'lost' : disputes.has('open') ? 'open' : disputes.has('won') ? 'won' : disputes.has('inquiry') ? 'inquiry' : null;
  return { refundedMinor, full, dispute };
}

/**
 * Micro-tokens to take back from a payment's grant. A full refund or a lost dispute takes the
 * whole grant; a partial refund takes the refunded share of it, rounded down (`granted × refunded /
 * amount`, exact); a payment without an amount loses tokens only to a full refund. An open dispute
 * takes nothing (access is suspended instead) and a won one restores access.
 */
export function clawbackTarget(granted: number, amountMinor: number | null, s: ReversalSummary): number {
  if (s.full || s.dispute === 'lost') return granted;
  if (amountMinor === null || amountMinor <= 0 || s.refundedMinor <= 0) return 0;
  const share = (BigInt(granted) * BigInt(Math.min(s.refundedMinor, amountMinor))) / BigInt(amountMinor);
  return Number(share);
}

/** The effective state of an entitlement from its lifecycle status and the payments feeding it. */
export function effectiveState(status: LifecycleStatus, payments: readonly PaymentRow[]): EntitlementState {
  if (payments.some((p) => p.refundedFull || p.dispute === 'lost')) return 'revoked';
  if (payments.some((p) => p.dispute === 'open')) return 'disputed';
  return status;
}

const LIFECYCLE: Partial<Record<PaymentEvent['kind'], LifecycleStatus>> = {
  'subscription.started': 'active',
  'subscription.changed': 'active',
  'subscription.past_due': 'past_due',
  'subscription.cancel_scheduled': 'canceling',
  'subscription.ended': 'expired',
  'payment.succeeded': 'active',
  'invoice.paid': 'active',
};

/** Order key of a lifecycle change: event time, then restrictiveness, then period end. */
function newer(a: { at: number; status: LifecycleStatus; periodEnd: number | null }, b: EntitlementRow): number {
  return a.at - b.updatedAt || STATUS_RANK[a.status] - STATUS_RANK[b.status] || (a.periodEnd ?? 0) - (b.periodEnd ?? 0);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Builds a plan: the writes accumulate while the rules run. */
class Plan {
  outcome: EventOutcome = 'applied';
  detail: string | undefined;
  openAccount: AccountRow | undefined;
  payment: { row: PaymentRow; refs: readonly string[] } | undefined;
  readonly reversals: ReversalRow[] = [];
  readonly entitlements = new Map<string, EntitlementRow>();
  readonly entries: LedgerEntry[] = [];
  balance: number;
  delta = 0;

  constructor(
    readonly event: PaymentEvent,
    readonly snap: EventSnapshot,
    readonly userId: string | undefined,
  ) {
    this.balance = snap.account?.balance ?? 0;
  }

  get cause(): string {
    return `event:${this.event.provider}:${this.event.eventId}`;
  }

  move(kind: LedgerEntry['kind'], amount: number, paymentKey: string | null): void {
    if (amount === 0 || this.userId === undefined) return;
    if (kind !== 'shortfall') {
      this.balance += amount;
      this.delta += amount;
    }
    this.entries.push({ userId: this.userId, kind, amount, balanceAfter: this.balance, cause: this.cause, paymentKey, at: this.event.occurredAt });
  }

  /** Take back `amount` micro-tokens: what the balance covers, the rest recorded as a shortfall. */
  claw(amount: number, paymentKey: string): number {
    const taken = Math.min(amount, Math.max(0, this.balance));
    this.move('clawback', -taken, paymentKey);
    this.move('shortfall', amount - taken, paymentKey);
    return amount - taken;
  }

  done(opts: MachineOptions): EventPlan {
    const ents = [...this.entitlements.values()];
    let tier: string | undefined;
    if (this.userId !== undefined && (ents.length > 0 || this.openAccount)) {
      const base = this.snap.account?.baseTier ?? this.openAccount?.baseTier ?? opts.defaultTier;
      const mine = new Map(this.snap.userEntitlements.map((e) => [e.source, e]));
      for (const e of ents) if (e.userId === this.userId) mine.set(e.source, e);
      const t = effectiveTier(base, [...mine.values()], undefined);
      if (t !== (this.snap.account?.tier ?? this.openAccount?.tier)) tier = t;
    }
    return {
      outcome: this.outcome,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.userId !== undefined ? { userId: this.userId } : {}),
      ...(this.openAccount ? { openAccount: this.openAccount } : {}),
      ...(this.payment ? { payment: this.payment } : {}),
      reversals: this.reversals,
      entitlements: ents,
      balanceDelta: this.delta,
      entries: this.entries,
      ...(tier !== undefined ? { tier } : {}),
    };
  }
}

function noEffect(outcome: EventOutcome, detail: string, userId?: string): EventPlan {
  return { outcome, detail, ...(userId !== undefined ? { userId } : {}), reversals: [], entitlements: [], balanceDelta: 0, entries: [] };
}

/** Apply one (new, not duplicate) event to its snapshot: the outcome and every row to write. */
export function planEvent(event: PaymentEvent, snap: EventSnapshot, opts: MachineOptions): EventPlan {
  switch (event.kind) {
    case 'ignored':
      return noEffect('ignored', `${event.providerType} does not change access`, snap.userId);
    case 'payment.succeeded':
    case 'invoice.paid':
      return planPayment(event, snap, opts);
    case 'subscription.started':
    case 'subscription.changed':
    case 'subscription.past_due':
    case 'subscription.cancel_scheduled':
    case 'subscription.ended':
      return planLifecycle(event, snap, opts);
    case 'refund.succeeded':
    case 'dispute.opened':
    case 'dispute.inquiry':
    case 'dispute.won':
    case 'dispute.lost':
      return planReversal(event, snap, opts);
  }
}

function openIfNeeded(plan: Plan, opts: MachineOptions): void {
  if (plan.snap.account || plan.userId === undefined) return;
  plan.openAccount = { userId: plan.userId, tier: opts.defaultTier, baseTier: opts.defaultTier, balance: 0, openedBy: 'event', openedAt: plan.event.occurredAt };
}

/** A lifecycle change to a subscription's entitlement (creating it when the offer is known). Returns false when older than its state. */
function touchSubscription(plan: Plan, source: string, offer: OfferGrant | undefined, status: LifecycleStatus): boolean {
  const { event, snap } = plan;
  const existing = plan.entitlements.get(source) ?? snap.subscription;
  const periodEnd = event.periodEnd ?? null;
  const payments = mergePayments(snap.sourcePayments, plan.payment?.row);
  if (!existing) {
    if (!offer || plan.userId === undefined) return true;
    plan.entitlements.set(source, {
      source,
      userId: plan.userId,
      offerId: offer.id,
      items: [...(offer.grants.entitlements ?? [])],
      tier: offer.grants.tier ?? null,
      status,
      state: effectiveState(status, payments),
      periodEnd,
      updatedAt: event.occurredAt,
    });
    return true;
  }
  const order = newer({ at: event.occurredAt, status, periodEnd: periodEnd ?? existing.periodEnd }, existing);
  const renewed = order > 0;
  const withOffer = renewed && offer && offer.id !== existing.offerId ? { offerId: offer.id, items: [...(offer.grants.entitlements ?? [])], tier: offer.grants.tier ?? null } : {};
  const next: EntitlementRow = renewed
    ? { ...existing, ...withOffer, status, periodEnd: periodEnd ?? existing.periodEnd, updatedAt: event.occurredAt }
    : existing;
  const state = effectiveState(next.status, payments);
  if (renewed || state !== existing.state) plan.entitlements.set(source, { ...next, state });
  return order >= 0;
}

function mergePayments(list: readonly PaymentRow[], changed: PaymentRow | undefined): PaymentRow[] {
  if (!changed) return [...list];
  return [...list.filter((p) => p.key !== changed.key), changed];
}

function planPayment(event: PaymentEvent, snap: EventSnapshot, opts: MachineOptions): EventPlan {
  const refs = paymentRefs(event);
  const sub = subscriptionSource(event);
  const userId = snap.userId;
  const plan = new Plan(event, snap, userId);
  if (snap.payment) {
    // A second report of a purchase already granted (checkout session + payment intent, or + invoice).
    // The payment is dated by its earliest report, and learns what the first report lacked (amounts,
    // refs), so that the row does not depend on which report came first.
    const p = snap.payment;
    const row: PaymentRow = {
      ...p,
      occurredAt: Math.min(p.occurredAt, event.occurredAt),
      amountMinor: p.amountMinor ?? event.amountMinor ?? null,
      currency: p.currency ?? event.currency ?? null,
      taxMinor: p.taxMinor ?? event.taxMinor ?? null,
    };
    const own = p.source?.startsWith('pay:') ? snapshotEntitlement(snap, p.source) : undefined;
    if (own && event.occurredAt < own.updatedAt) plan.entitlements.set(own.source, { ...own, updatedAt: event.occurredAt });
    if (sub && snap.subscription) touchSubscription(plan, sub, undefined, 'active');
    // Refunds and disputes that named only an id this report brings (tombstones until now) apply now.
    const linked = snap.reversals.map((r) => (r.paymentKey === null ? { ...r, paymentKey: p.key } : r));
    const found = linked.filter((r, i) => snap.reversals[i]!.paymentKey === null);
    plan.reversals.push(...found);
    settle(plan, row, linked, refs);
    plan.outcome = found.length > 0 ? 'applied' : 'ignored';
    plan.detail = `payment ${p.key} was already granted${found.length > 0 ? `; ${found.length} refund/dispute record(s) waiting for it applied` : ''}`;
    return plan.done(opts);
  }
  if (userId === undefined) return noEffect('unresolved', 'no user: the event has no user_id in its metadata / custom data and names no known subscription or payment');
  let offer = resolveOffer(event, opts.offers);
  if (typeof offer === 'string' && snap.subscription?.offerId) offer = opts.offers.find((o) => o.id === snap.subscription!.offerId) ?? offer;
  if (typeof offer === 'string') return noEffect('unresolved', offer, userId);
  openIfNeeded(plan, opts);

  const key = refs[0] ?? `${event.provider}:event:${event.eventId}`;
  const grantsAccess = offer.grants.tier !== undefined || (offer.grants.entitlements ?? []).length > 0;
  const source = sub ?? (grantsAccess ? `pay:${key}` : null);
  const granted = toMicro(offer.grants.tokens ?? 0);
  const amountMinor = event.amountMinor ?? null;
  // Refunds and disputes that arrived first (tombstones) apply now, with the grant.
  const tombstones = snap.reversals.map((r) => ({ ...r, paymentKey: key }));
  plan.reversals.push(...tombstones);
  const s = summarize(tombstones, amountMinor);
  const claw = clawbackTarget(granted, amountMinor, s);
  plan.move('grant', granted - claw, key);
  const row: PaymentRow = {
    key,
    provider: event.provider,
    userId,
    offerId: offer.id,
    occurredAt: event.occurredAt,
    amountMinor,
    currency: event.currency ?? null,
    taxMinor: event.taxMinor ?? null,
    subscription: sub ?? null,
    source,
    tokensGranted: granted,
    tokensClawed: claw,
    shortfall: 0,
    refundedMinor: s.refundedMinor,
    refundedFull: s.full,
    dispute: s.dispute,
  };
  plan.payment = { row, refs: refs.length > 0 ? refs : [key] };
  if (tombstones.length > 0) plan.detail = `${tombstones.length} refund/dispute record(s) that arrived before this payment applied at once`;
  if (source !== null && sub !== undefined) {
    touchSubscription(plan, source, offer, 'active');
  } else if (source !== null) {
    plan.entitlements.set(source, {
      source,
      userId,
      offerId: offer.id,
      items: [...(offer.grants.entitlements ?? [])],
      tier: offer.grants.tier ?? null,
      status: 'active',
      state: effectiveState('active', [row]),
      periodEnd: event.periodEnd ?? null,
      updatedAt: event.occurredAt,
    });
  }
  return plan.done(opts);
}

function planLifecycle(event: PaymentEvent, snap: EventSnapshot, opts: MachineOptions): EventPlan {
  const source = subscriptionSource(event);
  if (source === undefined) return noEffect('unresolved', `${event.providerType} names no subscription`, snap.userId);
  const userId = snap.userId;
  if (userId === undefined) return noEffect('unresolved', 'no user: the event has no user_id in its metadata / custom data and its subscription is not known yet');
  const found = resolveOffer(event, opts.offers);
  const offer = typeof found === 'string' ? undefined : found;
  if (!snap.subscription && !offer) return noEffect('unresolved', `${found} (and the subscription is not known yet)`, userId);
  const plan = new Plan(event, snap, userId);
  openIfNeeded(plan, opts);
  const status = LIFECYCLE[event.kind]!;
  if (!touchSubscription(plan, source, offer, status)) {
    plan.outcome = 'out_of_order';
    plan.detail = `older than the subscription's last change (${iso(snap.subscription!.updatedAt)}): no effect`;
  } else if (snap.subscription && plan.entitlements.size === 0) {
    plan.outcome = 'ignored';
    plan.detail = 'no change';
  }
  return plan.done(opts);
}

function planReversal(event: PaymentEvent, snap: EventSnapshot, opts: MachineOptions): EventPlan {
  const id = reversalId(event);
  const refs = paymentRefs(event);
  const existing = snap.reversals.find((r) => r.id === id);
  const payment = snap.payment;
  const plan = new Plan(event, snap, payment?.userId ?? snap.userId);
  let row: ReversalRow;
  if (event.kind === 'refund.succeeded') {
    const info = event.refund ?? { full: false, amountMinor: event.amountMinor ?? 0, cumulative: false };
    row = {
      id,
      kind: 'refund',
      refs: [...new Set([...(existing?.refs ?? []), ...refs])],
      paymentKey: payment?.key ?? existing?.paymentKey ?? null,
      amountMinor: Math.max(existing?.amountMinor ?? 0, info.amountMinor),
      cumulative: info.cumulative,
      full: (existing?.full ?? false) || info.full,
      dispute: null,
      occurredAt: Math.max(existing?.occurredAt ?? 0, event.occurredAt),
    };
  } else {
    const wanted: DisputeState = event.kind === 'dispute.opened' ? 'open' : event.kind === 'dispute.won' ? 'won' : event.kind === 'dispute.lost' ? 'lost' : 'inquiry';
    const before = existing?.dispute ?? null;
    if (before !== null && DISPUTE_RANK[wanted] <= DISPUTE_RANK[before]) {
      const older = DISPUTE_RANK[wanted] < DISPUTE_RANK[before];
      return noEffect(older ? 'out_of_order' : 'ignored', older ? `the dispute is already ${before}: no effect` : `the dispute is already ${before}`, plan.userId);
    }
    row = {
      id,
      kind: 'dispute',
      refs: [...new Set([...(existing?.refs ?? []), ...refs])],
      paymentKey: payment?.key ?? existing?.paymentKey ?? null,
      amountMinor: Math.max(existing?.amountMinor ?? 0, event.amountMinor ?? 0),
      cumulative: false,
      full: false,
      dispute: wanted,
      occurredAt: Math.max(existing?.occurredAt ?? 0, event.occurredAt),
    };
  }
  plan.reversals.push(row);
  if (!payment) {
    plan.detail = 'tombstone: its payment has not been seen; a late payment applies it at once';
    return plan.done(opts);
  }
  settle(plan, payment, [...snap.reversals.filter((r) => r.id !== id), row], []);
  return plan.done(opts);
}

/**
 * Bring a known payment up to date with its refunds and disputes: take back what they newly
 * claim (the rest recorded as a shortfall), and move its entitlement's state. `refs` are payment
 * refs to link (a second report of the payment may name ids the first did not).
 */
function settle(plan: Plan, payment: PaymentRow, reversals: readonly ReversalRow[], refs: readonly string[]): void {
  const { snap } = plan;
  const s = summarize(reversals, payment.amountMinor);
  const target = clawbackTarget(payment.tokensGranted, payment.amountMinor, s);
  const delta = Math.max(0, target - payment.tokensClawed);
  const short = delta > 0 ? plan.claw(delta, payment.key) : 0;
  const updated: PaymentRow = { ...payment, tokensClawed: payment.tokensClawed + delta, shortfall: payment.shortfall + short, refundedMinor: s.refundedMinor, refundedFull: s.full, dispute: s.dispute };
  plan.payment = { row: updated, refs };
  if (payment.source === null) return;
  const ent = plan.entitlements.get(payment.source) ?? (snap.subscription?.source === payment.source ? snap.subscription : snapshotEntitlement(snap, payment.source));
  if (!ent) return;
  const state = effectiveState(ent.status, mergePayments(snap.sourcePayments, updated));
  if (state !== ent.state) plan.entitlements.set(ent.source, { ...ent, state });
}

function snapshotEntitlement(snap: EventSnapshot, source: string): EntitlementRow | undefined {
  return snap.userEntitlements.find((e) => e.source === source);
}
