/**
 * The difference between two policies over the same history: `monetize simulate candidate.yaml
 * --against live.yaml`. "Before" is the `--against` policy (what runs today), "after" the policy
 * being simulated. Each policy has its own ledger, so a user's balance under the candidate follows
 * from the candidate's own charges.
 */

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

/** Decisions that went from one outcome to another: `allow:<policy id>` or `deny:<reason>`. */
export interface DiffTransition {
  readonly from: string;
  readonly to: string;
  readonly count: number;
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
  readonly change: number;
}

/** The `diff` section of the report. */
export interface SimDiff {
  /** Decisions compared (every replayed access-log line). */
  readonly total: number;
  /** Decisions whose allowed, policy id, reason or cost differ. */
  readonly changed: number;
  /** `changed` as a percentage of `total` (0 when there were none), rounded to 2 decimals. */
  readonly percent: number;
  /** Largest first (ties by from, then to). */
  readonly transitions: readonly DiffTransition[];
  readonly flips: { readonly allowToDeny: number; readonly denyToAllow: number };
  readonly tokens: { readonly before: number; readonly after: number; readonly change: number; readonly percent: number | null };
  readonly revenue: { readonly currency: string; readonly before: DiffRevenue; readonly after: DiffRevenue; readonly changeMinor: number; readonly percent: number | null };
  readonly users: {
    /** Users with at least one decision. */
    readonly total: number;
    /** Users with a changed decision or a changed total charge. */
    readonly affected: number;
    readonly chargedMore: number;
    readonly chargedLess: number;
    /** Per affected user, tokens charged after minus before (nearest-rank percentiles). */
    readonly chargeChange: { readonly p50: number; readonly p95: number; readonly max: number; readonly min: number };
    /** The largest changes (by absolute size, ties by user id). */
    readonly samples: readonly UserChange[];
  };
  /** Rules (policy ids) whose decision count changed, largest change first. */
  readonly rules: readonly { readonly policyId: string; readonly before: number; readonly after: number; readonly change: number }[];
}
