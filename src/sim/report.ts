/**
 * The simulation report, aggregated as the replay goes: counters, sums and bounded samples only,
 * so memory does not grow with the length of the log (per-user state is kept only for users who
 * hit a paywall or ran out of tokens, for the funnel and the insufficient-balance list).
 */
import { fromMicro } from '../ledger/model.js';
import { compareText } from './order.js';
import type { ReplayRecord } from './records.js';
import { TimelineBuilder, type Timeline } from './timeline.js';

/** One replayed access decision, as the access service made it. */
export interface ReplayedDecision {
  readonly id: string;
  readonly time: number;
  readonly userId?: string;
  readonly assetId?: string;
  readonly tier?: string;
  readonly allowed: boolean;
  readonly policyId: string;
  readonly reason?: string;
  /** The decision's cost, in micro-tokens (a denial for insufficient balance keeps the cost it could not pay). */
  readonly costMicro?: number;
  /** Tokens charged, in micro-tokens (millionths). */
  readonly chargedMicro: number;
}

/** Outcomes of a webhook delivery. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored' | 'unresolved' | 'out_of_order' | 'invalid_signature' | 'malformed';

/** One replayed webhook delivery, with what the ledger made of it. */
export interface ReplayedEvent {
  readonly time: number;
  readonly outcome: WebhookOutcome;
  readonly kind?: string;
  readonly userId?: string;
  readonly currency?: string | null;
  /** Paid, tax included (the first report of a payment only). */
  readonly paidMinor?: number;
  readonly taxMinor?: number;
  /** Returned by refunds and lost disputes. */
  readonly refundedMinor?: number;
  /** Entitlements this event revoked (refund, lost dispute). */
  readonly revoked?: readonly string[];
}

export interface Rejected {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The JSON report (its required fields are a stable contract; see docs/simulate.md). */
export interface SimReport {
  readonly decisions: {
    readonly total: number;
    readonly allowed: number;
    readonly denied: number;
    /** Denials by reason. */
    readonly byReason: Readonly<Record<string, number>>;
    /** Every decision by the policy id that made it. */
    readonly byPolicy: Readonly<Record<string, number>>;
    readonly byTier: Readonly<Record<string, { readonly allowed: number; readonly denied: number }>>;
    readonly topAssets: readonly { readonly assetId: string; readonly allowed: number; readonly denied: number }[];
  };
  readonly tokens: { readonly charged: number; readonly chargedMicro: number };
  readonly revenue: { readonly currency: string; readonly grossMinor: number; readonly refundedMinor: number; readonly taxMinor: number; readonly netMinor: number; readonly otherCurrencies: readonly string[] };
  readonly webhooks: { readonly applied: number; readonly duplicate: number; readonly ignored: number; readonly unresolved: number; readonly invalidSignature: number; readonly outOfOrder: number; readonly malformed: number; readonly byKind: Readonly<Record<string, number>> };
  readonly revocations: { readonly count: number; readonly samples: readonly { readonly userId: string; readonly entitlement: string; readonly kind: string }[] };
  readonly insufficientBalance: { readonly users: number; readonly decisions: number; readonly samples: readonly string[] };
  readonly funnel: { readonly paywalled: number; readonly paidAfter: number; readonly accessedAfter: number };
  readonly rejected: { readonly count: number; readonly samples: readonly Rejected[] };
  /** Decisions, tokens and money per time bucket (see timeline.ts). */
  readonly timeline: Timeline;
}

/** How many rejected inputs, revocations and users the report lists by name. */
export const SAMPLE_LIMIT = 20;
/** How many assets `topAssets` lists. */
export const TOP_ASSETS = 10;

const PAYMENT_KINDS = new Set(['payment.succeeded', 'invoice.paid']);

/** Funnel stages of one user who met a paywall. */
const enum Stage {
  Paywalled = 1,
  Paid = 2,
  Accessed = 3,
}

export class ReportBuilder {
  private total = 0;
  private allowed = 0;
  private readonly byReason = new Map<string, number>();
  private readonly byPolicy = new Map<string, number>();
  private readonly byTier = new Map<string, { allowed: number; denied: number }>();
  private readonly byAsset = new Map<string, { allowed: number; denied: number }>();
  private chargedMicro = 0;
  private gross = 0;
  private refunded = 0;
  private tax = 0;
  private readonly otherCurrencies = new Set<string>();
  private readonly outcomes = new Map<WebhookOutcome, number>();
  private readonly byKind = new Map<string, number>();
  private revocationCount = 0;
  private readonly revocationSamples: { userId: string; entitlement: string; kind: string }[] = [];
  private readonly shortUsers = new Set<string>();
  private shortDecisions = 0;
  private readonly funnel = new Map<string, Stage>();
  private rejectedCount = 0;
  private readonly rejectedSamples: Rejected[] = [];
  private readonly timeline = new TimelineBuilder();

  constructor(private readonly currency: string) {}

  /** Take one replay record (the policy simulated; an `against` result is the diff's business). */
  add(r: ReplayRecord): void {
    if (r.kind === 'decision') this.decision(r.decision);
    else if (r.kind === 'event') this.event(r.event);
    else {
      this.rejected(r.rejected);
      if (r.outcome) this.event({ time: 0, outcome: r.outcome });
    }
  }

  decision(d: ReplayedDecision): void {
    this.total++;
    this.timeline.decision(d);
    const tier = d.tier ?? '(none)';
    const t = this.byTier.get(tier) ?? this.byTier.set(tier, { allowed: 0, denied: 0 }).get(tier)!;
    const asset = d.assetId === undefined ? undefined : (this.byAsset.get(d.assetId) ?? this.byAsset.set(d.assetId, { allowed: 0, denied: 0 }).get(d.assetId)!);
    bump(this.byPolicy, d.policyId);
    if (d.allowed) {
      this.allowed++;
      t.allowed++;
      if (asset) asset.allowed++;
      this.chargedMicro += d.chargedMicro;
      if (d.userId !== undefined && this.funnel.get(d.userId) === Stage.Paid) this.funnel.set(d.userId, Stage.Accessed);
      return;
    }
    t.denied++;
    if (asset) asset.denied++;
    const reason = d.reason ?? '(none)';
    bump(this.byReason, reason);
    if (d.userId === undefined) return;
    if (reason === 'upgrade_required' && !this.funnel.has(d.userId)) this.funnel.set(d.userId, Stage.Paywalled);
    if (reason === 'insufficient_balance') {
      this.shortDecisions++;
      this.shortUsers.add(d.userId);
    }
  }

  event(e: ReplayedEvent): void {
    bump(this.outcomes, e.outcome);
    if (e.kind !== undefined) bump(this.byKind, e.kind);
    // Money counts whatever the outcome: a second report of a payment is `ignored` (it grants nothing)
    // but may bring the tax the first report lacked. Duplicates and refused deliveries carry none.
    const paid = e.paidMinor ?? 0;
    const back = e.refundedMinor ?? 0;
    if (paid !== 0 || back !== 0 || (e.taxMinor ?? 0) !== 0) {
      if (e.currency !== undefined && e.currency !== null && e.currency !== this.currency) this.otherCurrencies.add(e.currency);
      else {
        this.gross += paid;
        this.tax += e.taxMinor ?? 0;
        this.refunded += back;
        this.timeline.event(e);
      }
    }
    if (e.outcome !== 'applied') return;
    if (e.kind !== undefined && PAYMENT_KINDS.has(e.kind) && e.userId !== undefined && this.funnel.get(e.userId) === Stage.Paywalled) this.funnel.set(e.userId, Stage.Paid);
    for (const entitlement of e.revoked ?? []) {
      this.revocationCount++;
      if (this.revocationSamples.length < SAMPLE_LIMIT) this.revocationSamples.push({ userId: e.userId ?? '', entitlement, kind: e.kind ?? '' });
    }
  }

  rejected(r: Rejected): void {
    this.rejectedCount++;
    if (this.rejectedSamples.length < SAMPLE_LIMIT) this.rejectedSamples.push(r);
  }

  finish(): SimReport {
    const count = (o: WebhookOutcome): number => this.outcomes.get(o) ?? 0;
    const stages = [...this.funnel.values()];
    const topAssets = [...this.byAsset]
      .map(([assetId, c]) => ({ assetId, ...c }))
      .sort((a, b) => b.allowed + b.denied - (a.allowed + a.denied) || (a.assetId < b.assetId ? -1 : 1))
      .slice(0, TOP_ASSETS);
    return {
      decisions: {
        total: this.total,
        allowed: this.allowed,
        denied: this.total - this.allowed,
        byReason: sorted(this.byReason),
        byPolicy: sorted(this.byPolicy),
        byTier: Object.fromEntries([...this.byTier].sort(([a], [b]) => compareText(a, b))),
        topAssets,
      },
      tokens: { charged: fromMicro(this.chargedMicro), chargedMicro: this.chargedMicro },
      revenue: {
        currency: this.currency,
        grossMinor: this.gross,
        refundedMinor: this.refunded,
        taxMinor: this.tax,
        netMinor: this.gross - this.refunded,
        otherCurrencies: [...this.otherCurrencies].sort(),
      },
      webhooks: {
        applied: count('applied'),
        duplicate: count('duplicate'),
        ignored: count('ignored'),
        unresolved: count('unresolved'),
        invalidSignature: count('invalid_signature'),
        outOfOrder: count('out_of_order'),
        malformed: count('malformed'),
        byKind: sorted(this.byKind),
      },
      revocations: { count: this.revocationCount, samples: this.revocationSamples },
      insufficientBalance: { users: this.shortUsers.size, decisions: this.shortDecisions, samples: [...this.shortUsers].sort().slice(0, SAMPLE_LIMIT) },
      funnel: {
        paywalled: stages.length,
        paidAfter: stages.filter((s) => s >= Stage.Paid).length,
        accessedAfter: stages.filter((s) => s === Stage.Accessed).length,
      },
      rejected: { count: this.rejectedCount, samples: this.rejectedSamples },
      timeline: this.timeline.finish(),
    };
  }
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** A count map as a plain object, largest first (ties by key), so reports are byte-stable. */
function sorted(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort(([a, x], [b, y]) => y - x || compareText(a, b)));
}
