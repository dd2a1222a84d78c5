/**
 * Applying one payment event inside a store transaction: read the snapshot the machine needs,
 * plan (pure), record the event id, write the plan. The three steps are separate on purpose: a
 * store whose client is asynchronous (PostgreSQL) reimplements only `loadSnapshot` and `writePlan`
 * with awaits around the same `planEvent` (see docs/architecture.md).
 */
import type { PaymentEvent } from '../payments/event.js';
import { paymentRefs, planEvent, reversalId, subscriptionSource, type EventPlan, type EventSnapshot, type MachineOptions } from './machine.js';
import { fromMicro, type EventOutcome, type ProcessedEventRow, type ReversalRow } from './model.js';
import type { LedgerTx } from './store.js';

/** What became of one event. */
export interface EventResult {
  readonly outcome: EventOutcome;
  readonly detail?: string;
  readonly provider?: string;
  readonly eventId?: string;
  readonly userId?: string;
  /** Net balance change, in tokens. */
  readonly tokenDelta: number;
  /** Money this event moved in the ledger (a first report of a payment; a refund or lost dispute taking money back). */
  readonly money?: EventMoney;
  /** Entitlement items this event revoked (a full refund, a lost dispute). */
  readonly revoked?: readonly string[];
  /**
   * True when this delivery had been applied before (a re-run of the same inputs): the result is
   * the recorded one, and nothing changed now.
   */
  readonly replayed?: boolean;
}

/** Money an event moved: counted once per payment, whichever report of it arrives first. */
export interface EventMoney {
  readonly currency: string | null;
  /** Paid, tax included: the first report of a payment. */
  readonly paidMinor: number;
  /** The tax part of `paidMinor`, when the provider reports it. */
  readonly taxMinor: number;
  /** Returned: refunds, and a lost dispute's chargeback. */
  readonly refundedMinor: number;
}

/** What the plan changes in money and access, against the snapshot it was made from. */
function effects(snap: EventSnapshot, plan: EventPlan): Pick<EventResult, 'money' | 'revoked'> {
  const out: { money?: EventMoney; revoked?: string[] } = {};
  const before = snap.payment;
  const after = plan.payment?.row;
  if (after) {
    // A later report of a payment may fill in what the first lacked (a PaymentIntent carries no tax, its
    // Checkout Session does): count what the row gained, so the sums do not depend on delivery order.
    const paid = (after.amountMinor ?? 0) - (before?.amountMinor ?? 0);
    const tax = (after.taxMinor ?? 0) - (before?.taxMinor ?? 0);
    const lostNow = after.dispute === 'lost' && before?.dispute !== 'lost';
    const chargeback = lostNow ? Math.max(0, (after.amountMinor ?? 0) - after.refundedMinor) : 0;
    const refunded = after.refundedMinor - (before?.refundedMinor ?? 0) + chargeback;
    if (paid !== 0 || tax !== 0 || refunded !== 0) out.money = { currency: after.currency, paidMinor: paid, taxMinor: tax, refundedMinor: refunded };
  }
  const prior = new Map([...snap.userEntitlements, ...(snap.subscription ? [snap.subscription] : [])].map((e) => [e.source, e.state]));
  const revoked = plan.entitlements.filter((e) => e.state === 'revoked' && prior.get(e.source) !== 'revoked').flatMap((e) => e.items);
  if (revoked.length > 0) out.revoked = revoked;
  return out;
}

/** Read every row the machine may need for `event`. */
export function loadSnapshot(tx: LedgerTx, event: PaymentEvent): EventSnapshot {
  const refs = paymentRefs(event);
  const payment = refs.length > 0 ? tx.paymentByRefs(refs) : undefined;
  const subSource = subscriptionSource(event);
  const subscription = subSource !== undefined ? tx.entitlement(subSource) : undefined;
  const reversals: ReversalRow[] = tx.reversalsFor(refs, payment?.key ?? null);
  if (event.kind === 'refund.succeeded' || event.kind.startsWith('dispute.')) {
    // The same refund or dispute reported before (its refs may have named nothing this event names).
    const id = reversalId(event);
    const same = reversals.some((r) => r.id === id) ? undefined : tx.reversal(id);
    if (same) reversals.push(same);
  }
  const userId = payment?.userId ?? subscription?.userId ?? event.userId;
  const account = userId !== undefined ? tx.account(userId) : undefined;
  const userEntitlements = userId !== undefined ? tx.entitlementsOf(userId) : [];
  const source = payment?.source ?? subSource;
  const sourcePayments = source !== undefined && source !== null ? tx.paymentsOfSource(source) : [];
  return {
    ...(payment ? { payment } : {}),
    reversals,
    ...(subscription ? { subscription } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(account ? { account } : {}),
    userEntitlements,
    sourcePayments,
  };
}

/** Write what a plan says. */
export function writePlan(tx: LedgerTx, plan: EventPlan): void {
  if (plan.openAccount) tx.openAccount(plan.openAccount);
  for (const r of plan.reversals) tx.putReversal(r);
  if (plan.payment) tx.putPayment(plan.payment.row, plan.payment.refs);
  for (const e of plan.entitlements) tx.putEntitlement(e);
  if (plan.userId !== undefined && plan.balanceDelta !== 0) tx.credit(plan.userId, plan.balanceDelta);
  for (const e of plan.entries) tx.appendEntry(e);
  if (plan.userId !== undefined && plan.tier !== undefined) tx.setTier(plan.userId, plan.tier);
}

/** A recorded event as the result it gave when it was applied. */
function recorded(row: ProcessedEventRow): EventResult {
  const e = row.effect;
  return {
    provider: row.provider,
    eventId: row.eventId,
    outcome: row.outcome,
    ...(row.detail !== null ? { detail: row.detail } : {}),
    ...(row.userId !== null ? { userId: row.userId } : {}),
    tokenDelta: fromMicro(e?.tokenDeltaMicro ?? 0),
    ...(e?.money ? { money: e.money } : {}),
    ...(e?.revoked ? { revoked: e.revoked } : {}),
    replayed: true,
  };
}

/**
 * Apply one event in the caller's transaction: `duplicate` (and no change) when its (provider,
 * event id) was seen before. `delivery` names this delivery of the event (the replay: its fixture
 * file, or `<file>:<line>` of a collection): meeting the delivery that was applied once more — a
 * re-run of the same inputs — answers the recorded result (`replayed`), so a re-run reports the
 * whole history, not a run of duplicates; any other delivery of a seen event is a duplicate.
 */
export function applyEventTx(tx: LedgerTx, event: PaymentEvent, opts: MachineOptions, delivery?: string): EventResult {
  const snap = loadSnapshot(tx, event);
  const plan = planEvent(event, snap, opts);
  const effect = effects(snap, plan);
  const fresh = tx.insertProcessedEvent({
    provider: event.provider,
    eventId: event.eventId,
    kind: event.kind,
    outcome: plan.outcome,
    userId: plan.userId ?? null,
    occurredAt: event.occurredAt,
    detail: plan.detail ?? null,
    delivery: delivery ?? null,
    effect: { tokenDeltaMicro: plan.balanceDelta, ...effect },
  });
  const base = { provider: event.provider, eventId: event.eventId };
  if (!fresh) {
    const before = delivery !== undefined ? tx.processedEvent(event.provider, event.eventId) : undefined;
    if (before && before.delivery === delivery) return recorded(before);
    return { ...base, outcome: 'duplicate', detail: 'this event id was processed before', tokenDelta: 0 };
  }
  writePlan(tx, plan);
  return {
    ...base,
    outcome: plan.outcome,
    ...(plan.detail !== undefined ? { detail: plan.detail } : {}),
    ...(plan.userId !== undefined ? { userId: plan.userId } : {}),
    tokenDelta: fromMicro(plan.balanceDelta),
    ...effect,
  };
}
