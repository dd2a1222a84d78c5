/**
 * The access service: a compiled policy, a ledger and a clock. `checkAccess` decides with the
 * ledger's tier, balance and entitlements, deducts atomically and records the decision;
 * `applyEvent` applies a payment event idempotently; `handleWebhook` verifies and parses a
 * delivery first. Production and the replay run this same code; the mode changes only how a
 * user's account is opened.
 */
import type { DecisionModule } from '../codegen/compile.js';
import { instantiate } from '../codegen/compile.js';
import type { AccessDecision } from '../ir/decision.js';
import { applyEventTx, type EventResult } from '../ledger/flow.js';
import type { MachineOptions } from '../ledger/machine.js';
import type { OfferGrant } from '../ledger/model.js';
import type { LedgerStore, LedgerTx } from '../ledger/store.js';
import type { PaymentEvent } from '../payments/event.js';
import { isFailure } from '../payments/event.js';
import { parseDelivery, type WebhookSecrets } from '../payments/gateway.js';
import type { CheckedPolicy } from '../pipeline/pipeline.js';
import { accessTx, type AccessRecord, type CheckOptions } from './access.js';

export type { AccessRecord, CheckOptions } from './access.js';
export type { EventResult } from '../ledger/flow.js';

/**
 * `production`: the ledger is the only source of a user's tier, balance and entitlements; a user
 * the ledger does not know gets an account with a zero balance and the default tier.
 * `replay`: a user's first request opens the account from its `context` (tier, token balance,
 * entitlements); from then on the ledger wins, as in production.
 */
export type ServiceMode = 'production' | 'replay';

/** What the service is built from. Give `policy`, or `module` (with `offers` and `policyHash` as needed). */
export interface AccessServiceOptions {
  readonly store: LedgerStore;
  /** A checked policy: its compiled module, its offers and its hash are taken from it. */
  readonly policy?: CheckedPolicy;
  /** A compiled decision module (when no `policy` is given). */
  readonly module?: Pick<DecisionModule, 'decide' | 'policyInfo'>;
  /** What payments grant (default: the policy's `offers`, else none). */
  readonly offers?: readonly OfferGrant[];
  /** Recorded with every decision (default: the module's `policyInfo.hash`). */
  readonly policyHash?: string;
  /** The time of a decision when the caller gives none, ms since the epoch. Required in replay mode (no wall clock there); production defaults to `Date.now`. */
  readonly clock?: () => number;
  readonly mode?: ServiceMode;
  /** The tier of an account opened without one (default `free`). */
  readonly defaultTier?: string;
}

/** What became of a webhook delivery: an event outcome, or why the delivery was refused. */
export interface WebhookResult extends Partial<EventResult> {
  readonly outcome: EventResult['outcome'];
  readonly detail?: string;
  readonly event?: PaymentEvent;
}

/** A webhook as an HTTP server receives it. `body` must be the raw bytes (signatures cover them). */
export interface WebhookDelivery {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
}

/** Options of `handleWebhook`. */
export interface WebhookOptions {
  /** Accept deliveries for a provider with no configured secret (default false: they are `invalid_signature`). */
  readonly allowUnsigned?: boolean;
  /** Signature tolerance against the event's own time, seconds (default 300). */
  readonly toleranceSeconds?: number;
}

/** One item of a batch: an access request or a payment event. */
export type BatchItem = ({ readonly kind: 'access'; readonly request: unknown } & CheckOptions) | { readonly kind: 'event'; readonly event: PaymentEvent; readonly delivery?: string };

/** The result of one batch item, in item order. */
export type BatchResult = ({ readonly kind: 'access' } & AccessRecord) | ({ readonly kind: 'event' } & EventResult);

/** The access service. None of its methods throws on request or event data. */
export interface AccessService {
  /** Decide with the ledger's view of the user, deduct the cost atomically, record the decision. */
  checkAccess(request: unknown, options?: CheckOptions): AccessDecision;
  /** `checkAccess` with what it charged and the balance after. */
  checkAccessRecord(request: unknown, options?: CheckOptions): AccessRecord;
  /** Apply a normalised payment event once: a repeated (provider, event id) is a `duplicate` and changes nothing. */
  applyEvent(event: PaymentEvent): EventResult;
  /** Verify and parse a delivery, then apply it. A bad signature or body is an outcome, never a throw. */
  handleWebhook(delivery: WebhookDelivery, secrets: WebhookSecrets, options?: WebhookOptions): WebhookResult;
  /** Run many requests and events in one transaction (all or nothing), in order. */
  runBatch(items: readonly BatchItem[]): BatchResult[];
  readonly mode: ServiceMode;
  readonly policyHash: string;
}

/** An access record as a batch result, written out: copying it with a spread costs more than some of the statements behind it. */
function accessResult(r: AccessRecord): BatchResult {
  return { kind: 'access', decision: r.decision, userId: r.userId, charged: r.charged, balanceAfter: r.balanceAfter, repeated: r.repeated, opened: r.opened, tier: r.tier };
}

/** Build an access service over a compiled policy and a ledger store. */
export function createAccessService(options: AccessServiceOptions): AccessService {
  const mode = options.mode ?? 'production';
  const module = options.module ?? (options.policy ? instantiate(options.policy.ir) : undefined);
  if (!module) throw new TypeError('createAccessService needs a policy or a compiled module');
  if (mode === 'replay' && !options.clock) throw new TypeError('createAccessService in replay mode needs a clock (the replay never reads the wall clock)');
  const clock = options.clock ?? Date.now;
  const offers: readonly OfferGrant[] = options.offers ?? options.policy?.policy.offers ?? [];
  const policyHash = options.policyHash ?? module.policyInfo.hash;
  const defaultTier = options.defaultTier ?? 'free';
  const machine: MachineOptions = { offers, defaultTier };
  const access = { module, mode, clock, policyHash, defaultTier };
  const store = options.store;

  const check = (tx: LedgerTx, request: unknown, opts: CheckOptions): AccessRecord => accessTx(tx, access, request, opts);

  return {
    mode,
    policyHash,
    checkAccess: (request, opts = {}) => store.transaction((tx) => check(tx, request, opts)).decision,
    checkAccessRecord: (request, opts = {}) => store.transaction((tx) => check(tx, request, opts)),
    applyEvent: (event) => store.transaction((tx) => applyEventTx(tx, event, machine)),
    handleWebhook(delivery, secrets, opts = {}) {
      const body = typeof delivery.body === 'string' ? delivery.body : Buffer.from(delivery.body).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(delivery.headers ?? {})) if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(',');
      const parsed = parseDelivery({ headers, body }, secrets, opts.toleranceSeconds !== undefined ? { toleranceSeconds: opts.toleranceSeconds } : undefined);
      if (isFailure(parsed)) return { outcome: parsed.outcome, detail: parsed.message };
      if (parsed.signature !== 'verified' && !opts.allowUnsigned) {
        return { outcome: 'invalid_signature', detail: `no signing secret is configured for ${parsed.event.provider}, and unsigned deliveries are not accepted`, event: parsed.event };
      }
      const result = store.transaction((tx) => applyEventTx(tx, parsed.event, machine));
      return { ...result, event: parsed.event };
    },
    runBatch: (items) =>
      store.transaction((tx) =>
        items.map((item): BatchResult => (item.kind === 'access' ? accessResult(check(tx, item.request, item)) : { kind: 'event', ...applyEventTx(tx, item.event, machine, item.delivery) })),
      ),
  };
}
