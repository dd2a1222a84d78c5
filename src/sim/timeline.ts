/**
 * The report's timeline: decisions, tokens and money per time bucket, built as the replay goes in
 * constant memory. At most `TIMELINE_BUCKETS` buckets are ever held: buckets are UTC-aligned and
 * of a "nice" width from a ladder (1 minute … 1 day, 1 week, then doubling weeks) in which every
 * width divides the next, so when the range outgrows the buckets the width steps up and the old
 * buckets merge exactly into the new ones. The width depends only on the earliest and latest time
 * seen, never on the order, so the same records in any order give the same timeline.
 */
import { compareText } from './order.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Buckets are counted from Monday 1970-01-05 00:00 UTC, so weeks start on Monday (and days at midnight UTC). */
const ORIGIN = 4 * DAY;

/** The most buckets a timeline holds (and reports). */
export const TIMELINE_BUCKETS = 120;
/** How many denial reasons the timeline reports by name; the rest are summed under `OTHER_REASONS`. */
export const TIMELINE_REASONS = 6;
/** The name denials beyond the top reasons are reported under. */
export const OTHER_REASONS = '(other)';
/** Distinct reasons counted separately while streaming (a policy has few; this bounds a hostile one). */
const TRACKED_REASONS = 64;

/** The widths up to a week; beyond it, 2, 4, 8 … weeks. Each divides the next. */
const LADDER: readonly { readonly ms: number; readonly label: string }[] = [
  { ms: MINUTE, label: '1m' },
  { ms: 5 * MINUTE, label: '5m' },
  { ms: 15 * MINUTE, label: '15m' },
  { ms: 30 * MINUTE, label: '30m' },
  { ms: HOUR, label: '1h' },
  { ms: 3 * HOUR, label: '3h' },
  { ms: 6 * HOUR, label: '6h' },
  { ms: 12 * HOUR, label: '12h' },
  { ms: DAY, label: '1d' },
  { ms: WEEK, label: '1w' },
];

/** The bucket width at a step of the ladder. */
export function bucketWidth(step: number): { readonly ms: number; readonly label: string } {
  if (step < LADDER.length) return LADDER[step]!;
  const weeks = 2 ** (step - LADDER.length + 1);
  return { ms: weeks * WEEK, label: `${weeks}w` };
}

/** What the timeline takes from a decision. */
export interface TimelineDecision {
  readonly time: number;
  readonly allowed: boolean;
  readonly reason?: string;
  readonly chargedMicro: number;
}

/** What the timeline takes from a webhook delivery: money in the report's currency. */
export interface TimelineEvent {
  readonly time: number;
  readonly paidMinor?: number;
  readonly refundedMinor?: number;
}

/** One bucket of the reported timeline: `[start, start + bucketMs)`. */
export interface TimelineBucket {
  /** Milliseconds since the epoch, UTC. */
  readonly start: number;
  readonly allowed: number;
  readonly denied: number;
  /** Denials by reason, for the timeline's `reasons` (in that order), non-zero counts only. */
  readonly deniedBy: Readonly<Record<string, number>>;
  readonly chargedMicro: number;
  /** Money paid, tax included, minor units of the report currency. */
  readonly paidMinor: number;
  readonly refundedMinor: number;
}

/** The `timeline` field of the JSON report. */
export interface Timeline {
  /** The bucket width as people write it: `15m`, `3h`, `1d`, `1w`, `4w`. */
  readonly bucket: string;
  readonly bucketMs: number;
  /** The denial reasons reported per bucket, most denials first (ties by name); `(other)` last. */
  readonly reasons: readonly string[];
  /** Every bucket from the first with data to the last, empty ones included; empty when nothing was replayed. */
  readonly buckets: readonly TimelineBucket[];
}

interface Bucket {
  allowed: number;
  denied: number;
  chargedMicro: number;
  paidMinor: number;
  refundedMinor: number;
  /** Denials by reason slot (see `TimelineBuilder.slots`); the last slot past the tracked ones is "other". */
  byReason: number[];
}

const emptyBucket = (): Bucket => ({ allowed: 0, denied: 0, chargedMicro: 0, paidMinor: 0, refundedMinor: 0, byReason: [] });

function mergeInto(to: Bucket, from: Bucket): void {
  to.allowed += from.allowed;
  to.denied += from.denied;
  to.chargedMicro += from.chargedMicro;
  to.paidMinor += from.paidMinor;
  to.refundedMinor += from.refundedMinor;
  for (let i = 0; i < from.byReason.length; i++) to.byReason[i] = (to.byReason[i] ?? 0) + (from.byReason[i] ?? 0);
}

export class TimelineBuilder {
  private step = 0;
  private width = LADDER[0]!.ms;
  private min = Infinity;
  private max = -Infinity;
  /** Buckets by index (`floor((time - ORIGIN) / width)`); never more than `TIMELINE_BUCKETS`. */
  private buckets = new Map<number, Bucket>();
  /** Reason → slot in `Bucket.byReason`, in order of first sight; reasons past the limit share the last slot. */
  private readonly slots = new Map<string, number>();
  // The bucket the last input fell in: the merged stream is in time order, so the next one usually does too.
  private last: Bucket | undefined;
  private lastStart = 0;
  private lastEnd = 0;

  /** Count one decision in its bucket. */
  decision(d: TimelineDecision): void {
    const b = this.at(d.time);
    if (d.allowed) {
      b.allowed++;
      b.chargedMicro += d.chargedMicro;
      return;
    }
    b.denied++;
    const slot = this.slot(d.reason ?? '(none)');
    b.byReason[slot] = (b.byReason[slot] ?? 0) + 1;
  }

  /** Add one delivery's money to its bucket; a delivery that moved no money leaves the timeline alone. */
  event(e: TimelineEvent): void {
    const paid = e.paidMinor ?? 0;
    const back = e.refundedMinor ?? 0;
    if (paid === 0 && back === 0) return;
    const b = this.at(e.time);
    b.paidMinor += paid;
    b.refundedMinor += back;
  }

  finish(): Timeline {
    const { ms, label } = bucketWidth(this.step);
    const totals = new Map<string, number>();
    let other = 0;
    const names: string[] = [];
    for (const [reason, slot] of this.slots) names[slot] = reason;
    for (const b of this.buckets.values()) {
      b.byReason.forEach((n, slot) => {
        if (slot === TRACKED_REASONS) other += n;
        else totals.set(names[slot]!, (totals.get(names[slot]!) ?? 0) + n);
      });
    }
    const ranked = [...totals].filter(([, n]) => n > 0).sort(([a, x], [b, y]) => y - x || compareText(a, b));
    const named = ranked.slice(0, TIMELINE_REASONS).map(([r]) => r);
    const folded = other > 0 || ranked.length > TIMELINE_REASONS;
    const reasons = folded ? [...named, OTHER_REASONS] : named;
    const shown = new Set(named);
    const out: TimelineBucket[] = [];
    if (this.buckets.size > 0) {
      const lo = this.index(this.min);
      const hi = this.index(this.max);
      for (let i = lo; i <= hi; i++) out.push(this.report(i, this.buckets.get(i) ?? emptyBucket(), names, named, shown));
    }
    return { bucket: label, bucketMs: ms, reasons, buckets: out };
  }

  private report(i: number, b: Bucket, names: readonly string[], named: readonly string[], shown: ReadonlySet<string>): TimelineBucket {
    const byName = new Map<string, number>();
    let other = 0;
    b.byReason.forEach((n, slot) => {
      const name = slot === TRACKED_REASONS ? undefined : names[slot];
      if (name !== undefined && shown.has(name)) byName.set(name, n);
      else other += n;
    });
    const deniedBy: Record<string, number> = {};
    for (const r of named) if ((byName.get(r) ?? 0) > 0) deniedBy[r] = byName.get(r)!;
    if (other > 0) deniedBy[OTHER_REASONS] = other;
    return { start: i * this.width + ORIGIN, allowed: b.allowed, denied: b.denied, deniedBy, chargedMicro: b.chargedMicro, paidMinor: b.paidMinor, refundedMinor: b.refundedMinor };
  }

  private index(time: number): number {
    return Math.floor((time - ORIGIN) / this.width);
  }

  private slot(reason: string): number {
    const known = this.slots.get(reason);
    if (known !== undefined) return known;
    if (this.slots.size >= TRACKED_REASONS) return TRACKED_REASONS;
    this.slots.set(reason, this.slots.size);
    return this.slots.size - 1;
  }

  /** The bucket `time` falls in, widening the buckets first when `time` extends the range too far. */
  private at(time: number): Bucket {
    if (this.last !== undefined && time >= this.lastStart && time < this.lastEnd) return this.last;
    if (time < this.min) this.min = time;
    if (time > this.max) this.max = time;
    while (this.index(this.max) - this.index(this.min) + 1 > TIMELINE_BUCKETS) this.widen();
    const i = this.index(time);
    let b = this.buckets.get(i);
    if (b === undefined) this.buckets.set(i, (b = emptyBucket()));
    this.last = b;
    this.lastStart = i * this.width + ORIGIN;
    this.lastEnd = this.lastStart + this.width;
    return b;
  }

  /** Step up the ladder and merge every bucket into the wider one that holds it. */
  private widen(): void {
    const old = this.width;
    this.step++;
    this.width = bucketWidth(this.step).ms;
    const merged = new Map<number, Bucket>();
    for (const [i, b] of this.buckets) {
      const j = Math.floor((i * old) / this.width);
      const into = merged.get(j);
      if (into === undefined) merged.set(j, b);
      else mergeInto(into, b);
    }
    this.buckets = merged;
    this.last = undefined;
  }
}
