/**
 * The difference between two policies over the same history: `monetize simulate candidate.yaml
 * --against live.yaml`. "Before" is the `--against` policy (what runs today), "after" the policy
 * being simulated. Each policy has its own ledger, so a user's balance under the candidate follows
 * from the candidate's own charges.
 *
 * Built as the replay goes, from records that carry both results: counters, bounded samples, and
 * one small entry per user (tokens charged before and after, whether a decision changed) — memory
 * grows with the number of users, not with the length of the log. Totals that each policy's own
 * report already holds (tokens, revenue, decisions by rule) are taken from the two reports.
 */
import { fromMicro } from '../ledger/model.js';
import { compareText } from './order.js';
import type { ReplayRecord } from './records.js';
import type { ReplayedDecision, SimReport } from './report.js';

/** A decision as the diff shows it. Costs in tokens. */
export interface DiffSide {
  readonly allowed: boolean;
  readonly policyId: string;
  readonly reason?: string;
  readonly cost?: number;
  readonly charged: number;
}

/** One request whose decision changed. */
export interface DiffSample {
  readonly id: string;
  readonly time: number;
  readonly userId?: string;
  readonly assetId?: string;
  readonly before: DiffSide;
  readonly after: DiffSide;
}

/**
 * Decisions that went from one outcome to another: `allow:<policy id>` or `deny:<reason>`. `from`
 * equal to `to`: the same outcome at another cost (or a denial for the same reason by another rule).
 */
export interface DiffTransition {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** The first requests of this transition, in stream order. */
  readonly samples: readonly DiffSample[];
}

/** Net revenue figures of one side, minor units of the report currency. */
export interface DiffRevenue {
  readonly grossMinor: number;
  readonly refundedMinor: number;
  readonly taxMinor: number;
  readonly netMinor: number;
}

/** One user's tokens charged under both policies. */
export interface UserChange {
  readonly userId: string;
  readonly before: number;
  readonly after: number;
  /** `after − before`. */
  readonly change: number;
  /** `change` as a percentage of `before`; null when `before` is 0. */
  readonly percent: number | null;
}

/** A rule (policy id) whose number of decisions changed. */
export interface RuleChange {
  readonly policyId: string;
  readonly before: number;
  readonly after: number;
  readonly change: number;
}

/** The `diff` section of the report. Percentages are rounded to 2 decimals; a zero base gives null. */
export interface SimDiff {
  /** Decisions compared (every replayed access-log line). */
  readonly total: number;
  /** Decisions whose allowed, policy id, reason or cost differ. */
  readonly changed: number;
  /** `changed` as a percentage of `total`; null when there were no decisions. */
  readonly percent: number | null;
  /** Decisions allowed before and denied after, and the other way round. */
  readonly flips: { readonly allowToDeny: number; readonly denyToAllow: number };
  /** Largest first (ties by from, then to). */
  readonly transitions: readonly DiffTransition[];
  /** Tokens charged by allowed decisions; the `…Micro` fields are the same in micro-tokens (integers). */
  readonly tokens: {
    readonly before: number;
    readonly after: number;
    readonly change: number;
    readonly beforeMicro: number;
    readonly afterMicro: number;
    readonly changeMicro: number;
    readonly percent: number | null;
  };
  /** Revenue of each side (each report's `revenue`), the change in net revenue. */
  readonly revenue: { readonly currency: string; readonly before: DiffRevenue; readonly after: DiffRevenue; readonly changeMinor: number; readonly percent: number | null };
  readonly users: {
    /** Users with at least one decision. */
    readonly total: number;
    /** Users with a changed decision or a changed total charge. */
    readonly affected: number;
    readonly chargedMore: number;
    readonly chargedLess: number;
    /** Per affected user, tokens charged after minus before: nearest-rank percentiles; null when no user is affected. */
    readonly chargeChange: { readonly min: number | null; readonly p50: number | null; readonly p95: number | null; readonly max: number | null };
    /** The largest changes (by absolute size, ties by user id). */
    readonly samples: readonly UserChange[];
  };
  /** Rules (policy ids) whose decision count changed: largest change (either way) first, ties by id. */
  readonly rules: readonly RuleChange[];
  /** Webhook deliveries, and those whose outcome differs (an offer one policy has and the other lacks). */
  readonly webhooks: { readonly total: number; readonly changed: number };
}

/** Requests kept per transition. */
export const TRANSITION_SAMPLES = 5;
/** Users listed in `users.samples`. */
export const USER_SAMPLES = 10;

/** A percentage rounded to 2 decimals (halves away from zero); null for a zero base. */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  const x = (part * 10000) / whole;
  return (Math.sign(x) * Math.round(Math.abs(x))) / 100 || 0;
}

/**
 * The nearest-rank percentile of ascending `sorted` values: the value at rank ⌈p/100 · n⌉ (1-based),
 * so every percentile is one of the values; undefined for no values.
 */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** `allow:<policy id>` or `deny:<reason>`. */
export function outcomeLabel(d: ReplayedDecision): string {
  return d.allowed ? `allow:${d.policyId}` : `deny:${d.reason ?? '(none)'}`;
}

/** Whether two decisions on one request differ in what the diff compares. */
function differs(a: ReplayedDecision, b: ReplayedDecision): boolean {
  return a.allowed !== b.allowed || a.policyId !== b.policyId || a.reason !== b.reason || a.costMicro !== b.costMicro;
}

const tokens = fromMicro;

function side(d: ReplayedDecision): DiffSide {
  return {
    allowed: d.allowed,
    policyId: d.policyId,
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    ...(d.costMicro !== undefined ? { cost: tokens(d.costMicro) } : {}),
    charged: tokens(d.chargedMicro),
  };
}

/** Per user: micro-tokens charged before, after, and 1 when a decision changed. */
type UserState = [before: number, after: number, changed: 0 | 1];

interface TransitionState {
  readonly from: string;
  readonly to: string;
  count: number;
  readonly samples: DiffSample[];
}

/** The `DiffSink` of aggregate.ts: takes records carrying both policies' results, in stream order. */
export class DiffBuilder {
  private total = 0;
  private changed = 0;
  private allowToDeny = 0;
  private denyToAllow = 0;
  private readonly transitions = new Map<string, TransitionState>();
  private readonly users = new Map<string, UserState>();
  private webhookTotal = 0;
  private webhookChanged = 0;

  add(r: ReplayRecord): void {
    if (r.kind === 'rejected') return;
    if (!r.against) throw new TypeError('a replay record without the --against result reached the diff');
    if (r.kind === 'event') {
      this.webhookTotal++;
      if (r.event.outcome !== r.against.outcome) this.webhookChanged++;
      return;
    }
    this.decision(r.against, r.decision);
  }

  private decision(before: ReplayedDecision, after: ReplayedDecision): void {
    this.total++;
    const changed = differs(before, after);
    const userId = after.userId ?? before.userId;
    if (userId !== undefined) {
      let u = this.users.get(userId);
      if (u === undefined) this.users.set(userId, (u = [0, 0, 0]));
      u[0] += before.chargedMicro;
      u[1] += after.chargedMicro;
      if (changed) u[2] = 1;
    }
    if (!changed) return;
    this.changed++;
    if (before.allowed && !after.allowed) this.allowToDeny++;
    if (!before.allowed && after.allowed) this.denyToAllow++;
    const from = outcomeLabel(before);
    const to = outcomeLabel(after);
    // A NUL cannot occur in a policy id or a reason label used as a key half.
    const key = `${from}\u0000${to}`;
    let t = this.transitions.get(key);
    if (t === undefined) this.transitions.set(key, (t = { from, to, count: 0, samples: [] }));
    t.count++;
    if (t.samples.length < TRANSITION_SAMPLES) {
      t.samples.push({
        id: after.id,
        time: after.time,
        ...(userId !== undefined ? { userId } : {}),
        ...(after.assetId !== undefined ? { assetId: after.assetId } : {}),
        before: side(before),
        after: side(after),
      });
    }
  }

  /** The diff, with tokens, revenue and rules taken from the two policies' own reports. */
  finish(after: SimReport, before: SimReport): SimDiff {
    const transitions = [...this.transitions.values()]
      .sort((a, b) => b.count - a.count || compareText(a.from, b.from) || compareText(a.to, b.to))
      .map(({ from, to, count, samples }) => ({ from, to, count, samples }));
    const changeMicro = after.tokens.chargedMicro - before.tokens.chargedMicro;
    return {
      total: this.total,
      changed: this.changed,
      percent: percentOf(this.changed, this.total),
      flips: { allowToDeny: this.allowToDeny, denyToAllow: this.denyToAllow },
      transitions,
      tokens: {
        before: tokens(before.tokens.chargedMicro),
        after: tokens(after.tokens.chargedMicro),
        change: tokens(changeMicro),
        beforeMicro: before.tokens.chargedMicro,
        afterMicro: after.tokens.chargedMicro,
        changeMicro,
        percent: percentOf(changeMicro, before.tokens.chargedMicro),
      },
      revenue: {
        currency: after.revenue.currency,
        before: revenueOf(before),
        after: revenueOf(after),
        changeMinor: after.revenue.netMinor - before.revenue.netMinor,
        percent: percentOf(after.revenue.netMinor - before.revenue.netMinor, before.revenue.netMinor),
      },
      users: this.usersDiff(),
      rules: ruleChanges(before.decisions.byPolicy, after.decisions.byPolicy),
      webhooks: { total: this.webhookTotal, changed: this.webhookChanged },
    };
  }

  private usersDiff(): SimDiff['users'] {
    const affected: UserChange[] = [];
    for (const [userId, [b, a, changed]] of this.users) {
      if (changed === 0 && a === b) continue;
      affected.push({ userId, before: tokens(b), after: tokens(a), change: tokens(a - b), percent: percentOf(a - b, b) });
    }
    const changes = affected.map((u) => u.change).sort((x, y) => x - y);
    const at = (p: number): number | null => nearestRank(changes, p) ?? null;
    const samples = [...affected].sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || compareText(x.userId, y.userId)).slice(0, USER_SAMPLES);
    return {
      total: this.users.size,
      affected: affected.length,
      chargedMore: changes.filter((c) => c > 0).length,
      chargedLess: changes.filter((c) => c < 0).length,
      chargeChange: { min: changes[0] ?? null, p50: at(50), p95: at(95), max: changes.at(-1) ?? null },
      samples,
    };
  }
}

function revenueOf(r: SimReport): DiffRevenue {
  const { grossMinor, refundedMinor, taxMinor, netMinor } = r.revenue;
  return { grossMinor, refundedMinor, taxMinor, netMinor };
}

function ruleChanges(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): RuleChange[] {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: RuleChange[] = [];
  for (const policyId of ids) {
    // Own properties only: a rule may be called `constructor`.
    const b = Object.hasOwn(before, policyId) ? before[policyId]! : 0;
    const a = Object.hasOwn(after, policyId) ? after[policyId]! : 0;
    if (a !== b) out.push({ policyId, before: b, after: a, change: a - b });
  }
  return out.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || compareText(x.policyId, y.policyId));
}

