/**
 * The CI gates of `monetize simulate --against`: thresholds on the diff that make the command exit
 * 1 — too many decisions changed, tokens charged or revenue moved too far, a decision flipped. A
 * gate compares the figure the report shows (percentages rounded to 2 decimals), so the report and
 * the verdict never disagree.
 */
import type { SimDiff } from './diff.js';

/** A direction a decision can flip in. */
export type Flip = 'allow→deny' | 'deny→allow';

/** The gates asked for; an absent threshold is not checked. */
export interface Gates {
  /** `--fail-on-change`: percent of decisions changed. */
  readonly change?: number;
  /** `--fail-on-charge-change`: percent change of tokens charged, either way. */
  readonly chargeChange?: number;
  /** `--fail-on-revenue-change`: percent change of net revenue, either way. */
  readonly revenueChange?: number;
  /** `--fail-on-flip`: directions in which a single flipped decision fails. */
  readonly flips: readonly Flip[];
}

/** A gate that failed: the option as written and what was measured against it. */
export interface GateFailure {
  readonly option: string;
  readonly message: string;
}

/** A gate option value that cannot be used: a usage error, with a hint. */
export interface GateOptionError {
  readonly message: string;
  readonly hint: string;
}

/** Whether any gate is asked for. */
export function hasGates(g: Gates): boolean {
  return g.change !== undefined || g.chargeChange !== undefined || g.revenueChange !== undefined || g.flips.length > 0;
}

/** A threshold percentage: a non-negative decimal number (`5`, `0.5`, `100`). */
export function parseThreshold(option: string, value: string): { readonly value: number } | { readonly error: GateOptionError } {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n)) {
    return { error: { message: `${option} takes a percentage (a number, 0 or more), got '${value}'`, hint: `e.g. ${option} 5 fails above 5 %; ${option} 0 fails on any change` } };
  }
  return { value: n };
}

const FLIP_NAMES: Readonly<Record<string, readonly Flip[]>> = {
  'allow→deny': ['allow→deny'],
  'allow->deny': ['allow→deny'],
  'deny→allow': ['deny→allow'],
  'deny->allow': ['deny→allow'],
  any: ['allow→deny', 'deny→allow'],
};

/** The `--fail-on-flip` values (repeatable), as a set of directions in a fixed order. */
export function parseFlips(values: readonly string[]): { readonly value: readonly Flip[] } | { readonly error: GateOptionError } {
  const wanted = new Set<Flip>();
  for (const v of values) {
    const key = v.trim().toLowerCase();
    const dirs = Object.hasOwn(FLIP_NAMES, key) ? FLIP_NAMES[key] : undefined;
    if (dirs === undefined) return { error: { message: `--fail-on-flip takes allow→deny, deny→allow or any, got '${v}'`, hint: 'allow->deny and deny->allow are accepted too; repeat the option for both directions, or give any' } };
    for (const d of dirs) wanted.add(d);
  }
  return { value: (['allow→deny', 'deny→allow'] as const).filter((d) => wanted.has(d)) };
}

const signed = (n: number): string => (n > 0 ? `+${n}` : `${n}`);
const int = (n: number): string => n.toLocaleString('en-US');
const tok = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/**
 * Whether a relative change is above a threshold. From a zero base any change is (it is not a
 * percentage of anything), no change is not.
 */
function above(percent: number | null, change: number, threshold: number): boolean {
  return percent === null ? change !== 0 : Math.abs(percent) > threshold;
}

/** The gates that failed, in the order of the options' documentation. */
export function checkGates(diff: SimDiff, g: Gates, format: { readonly money: (minor: number) => string }): GateFailure[] {
  const out: GateFailure[] = [];
  if (g.change !== undefined && diff.percent !== null && diff.percent > g.change) {
    out.push({ option: `--fail-on-change ${g.change}`, message: `${diff.percent}% of decisions changed (${int(diff.changed)} of ${int(diff.total)}), above ${g.change}%` });
  }
  const t = diff.tokens;
  if (g.chargeChange !== undefined && above(t.percent, t.changeMicro, g.chargeChange)) {
    const by = t.percent === null ? 'from nothing' : `by ${signed(t.percent)}%`;
    out.push({ option: `--fail-on-charge-change ${g.chargeChange}`, message: `tokens charged changed ${by} (${tok(t.before)} → ${tok(t.after)}), above ${g.chargeChange}%` });
  }
  const r = diff.revenue;
  if (g.revenueChange !== undefined && above(r.percent, r.changeMinor, g.revenueChange)) {
    const by = r.percent === null ? 'from nothing' : `by ${signed(r.percent)}%`;
    out.push({ option: `--fail-on-revenue-change ${g.revenueChange}`, message: `net revenue changed ${by} (${format.money(r.before.netMinor)} → ${format.money(r.after.netMinor)}), above ${g.revenueChange}%` });
  }
  for (const flip of g.flips) {
    const n = flip === 'allow→deny' ? diff.flips.allowToDeny : diff.flips.denyToAllow;
    if (n > 0) out.push({ option: `--fail-on-flip ${flip}`, message: `${int(n)} decision${n === 1 ? '' : 's'} went from ${flip.replace('→', ' to ')}` });
  }
  return out;
}
