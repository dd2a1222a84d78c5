/**
 * One access check inside a ledger transaction: open or read the user's account, decide with the
 * ledger's tier / balance / entitlements, deduct the cost with the conditional update, record the
 * decision. A request id decided before returns its recorded decision and changes nothing, which
 * is what makes a re-run of the same log idempotent.
 */
import type { DecisionModule } from '../codegen/compile.js';
import type { AccessDecision } from '../ir/decision.js';
import { effectiveTier, grantedItems } from '../ledger/machine.js';
import { fromMicro, toMicro, type AccountRow, type DecisionRow } from '../ledger/model.js';
import type { LedgerTx } from '../ledger/store.js';
import { isRecord, own } from '../runtime/runtime.js';

/** Options of one access check. */
export interface CheckOptions {
  /** The request's identity: a request id decided before is answered from its record, without a second charge. */
  readonly requestId?: string;
  /** The decision time, ms since the epoch (default: the service's clock). */
  readonly at?: number;
  /** Param overrides for this decision. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/** A decision with what it did to the ledger. Tokens, not micro-tokens. */
export interface AccessRecord {
  readonly decision: AccessDecision;
  readonly userId: string | null;
  /** Tokens deducted (0 for denials and free access). */
  readonly charged: number;
  /** The user's balance after the decision, when there is a user. */
  readonly balanceAfter: number | null;
  /** True when the request id had been decided before: nothing was charged or recorded again. */
  readonly repeated: boolean;
  /** True when this check opened the user's account. */
  readonly opened: boolean;
  /** The tier the decision was made with (the ledger's), when there is a user (a repeated request: the recorded one). */
  readonly tier: string | null;
}

/** What an access check needs from the service. */
export interface AccessSettings {
  readonly module: Pick<DecisionModule, 'decide'>;
  readonly mode: 'production' | 'replay';
  readonly clock: () => number;
  readonly policyHash: string;
  readonly defaultTier: string;
}

const NO_USER = 'context.userId: expected a non-empty string (the access service charges and records per user)';

function fromRecord(row: DecisionRow): AccessDecision {
  return {
    allowed: row.allowed,
    policyId: row.policyId,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.cost !== null ? { cost: fromMicro(row.cost) } : {}),
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Open an account from a replayed request's context: its tier, balance and entitlements. */
function openFromContext(tx: LedgerTx, userId: string, context: Record<string, unknown>, at: number, settings: AccessSettings, cause: string): AccountRow {
  const tier = str(own(context, 'tier')) ?? settings.defaultTier;
  const given = own(context, 'tokenBalance');
  const balance = typeof given === 'number' && Number.isFinite(given) && given > 0 ? toMicro(given) : 0;
  const row: AccountRow = { userId, tier, baseTier: tier, balance, openedBy: 'context', openedAt: at };
  tx.openAccount(row);
  if (balance > 0) tx.appendEntry({ userId, kind: 'open', amount: balance, balanceAfter: balance, cause, paymentKey: null, at });
  const list = own(context, 'entitlements');
  const items = Array.isArray(list) ? [...new Set(list.filter((x): x is string => typeof x === 'string'))].sort() : [];
  if (items.length > 0) {
    tx.putEntitlement({ source: `context:${userId}`, userId, offerId: null, items, tier: null, status: 'active', state: 'active', periodEnd: null, updatedAt: at });
  }
  return row;
}

/** Decide, deduct and record one request in the caller's transaction. Never throws on request data. */
export function accessTx(tx: LedgerTx, settings: AccessSettings, request: unknown, opts: CheckOptions): AccessRecord {
  const requestId = opts.requestId ?? null;
  if (requestId !== null) {
    const before = tx.decisionByRequest(requestId);
    if (before) {
      return { decision: fromRecord(before), userId: before.userId, charged: fromMicro(before.charged), balanceAfter: before.balanceAfter === null ? null : fromMicro(before.balanceAfter), repeated: true, opened: false, tier: before.tier };
    }
  }
  const at = opts.at ?? settings.clock();
  const decideOpts = opts.params ? { params: opts.params } : undefined;
  const context = isRecord(request) ? own(request, 'context') : undefined;
  const userId = isRecord(context) ? str(own(context, 'userId')) : null;
  const assetId = isRecord(request) ? str(own(request, 'assetId')) : null;
  const action = isRecord(request) ? str(own(request, 'action')) : null;
  const record = (decision: AccessDecision, charged: number, balanceAfter: number | null, user: string | null, tier: string | null): void => {
    tx.insertDecision({
      requestId,
      userId: user,
      assetId,
      action,
      at,
      allowed: decision.allowed,
      reason: decision.reason ?? null,
      policyId: decision.policyId,
      cost: decision.cost === undefined ? null : toMicro(decision.cost),
      charged,
      balanceAfter,
      policyHash: settings.policyHash,
      tier,
    });
  };

  if (!isRecord(request) || !isRecord(context) || userId === null || userId === '') {
    const d = settings.module.decide(request, decideOpts);
    const errors = d.reason === 'invalid_request' ? [...(d.errors ?? [])] : [];
    if (isRecord(request) && isRecord(context)) errors.push(NO_USER);
    const decision: AccessDecision = { allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors };
    record(decision, 0, null, null, null);
    return { decision, userId: null, charged: 0, balanceAfter: null, repeated: false, opened: false, tier: null };
  }

  let account = tx.account(userId);
  let opened = false;
  if (!account) {
    opened = true;
    const cause = `request:${requestId ?? `${assetId ?? ''}@${at}`}`;
    if (settings.mode === 'replay') account = openFromContext(tx, userId, context, at, settings, cause);
    else {
      account = { userId, tier: settings.defaultTier, baseTier: settings.defaultTier, balance: 0, openedBy: 'default', openedAt: at };
      tx.openAccount(account);
    }
  }
  const ents = tx.entitlementsOf(userId);
  // Most users hold no entitlement: the base tier, and nothing granted (what the two calls give for none).
  const ledgerContext = {
    ...context,
    userId,
    tier: ents.length === 0 ? account.baseTier : effectiveTier(account.baseTier, ents, at),
    tokenBalance: fromMicro(account.balance),
    entitlements: ents.length === 0 ? [] : grantedItems(ents, at),
  };
  let decision = settings.module.decide({ ...request, context: ledgerContext }, decideOpts);
  let charged = 0;
  let balance = account.balance;
  const cost = decision.cost === undefined ? 0 : toMicro(decision.cost);
  if (decision.allowed && cost > 0) {
    if (tx.deduct(userId, cost)) {
      charged = cost;
      balance -= cost;
      tx.appendEntry({ userId, kind: 'consume', amount: -cost, balanceAfter: balance, cause: `request:${requestId ?? `${assetId ?? ''}@${at}`}`, paymentKey: null, at });
    } else {
      // Written out, without a temporary object spread into it: this runs for every request a balance cannot cover.
      const policyId = decision.policyId;
      decision = decision.cost === undefined ? { allowed: false, reason: 'insufficient_balance', policyId } : { allowed: false, reason: 'insufficient_balance', policyId, cost: decision.cost };
    }
  }
  record(decision, charged, balance, userId, ledgerContext.tier);
  return { decision, userId, charged: fromMicro(charged), balanceAfter: fromMicro(balance), repeated: false, opened, tier: ledgerContext.tier };
}
