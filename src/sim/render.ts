/** The simulation report for a terminal: what a person takes in within ten seconds. */
import { oneLine } from '../diag/escape.js';
import { formatMinor } from '../money/format.js';
import type { SimDiff } from './diff.js';
import type { SimReport } from './report.js';

export interface RenderOptions {
  /** Minor-unit digits of the report currency (USD 2). */
  readonly exponent: number;
  /** Wrap headings and key figures in these (colour), or leave them plain. */
  readonly strong?: (s: string) => string;
}

const pct = (part: number, whole: number): string => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);
const int = (n: number): string => n.toLocaleString('en-US');
const tok = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });
/** A change with its sign: `+15`, `-2`, `±0`. */
const signed = (n: number, show: (x: number) => string): string => (n > 0 ? `+${show(n)}` : n < 0 ? `-${show(-n)}` : '±0');
const signedPct = (p: number | null): string => (p === null ? 'from 0' : `${p > 0 ? '+' : ''}${p}%`);

/** A count map as `name n (p%)` items, largest first, at most `limit` of them. */
function counts(m: Readonly<Record<string, number>>, whole: number, limit = 6): string[] {
  const entries = Object.entries(m);
  const shown = entries.slice(0, limit).map(([k, n]) => `    ${oneLine(k).padEnd(28)} ${int(n).padStart(10)}  ${pct(n, whole).padStart(6)}`);
  if (entries.length > limit) shown.push(`    … ${entries.length - limit} more`);
  return shown;
}

/** Render the report of the simulated policy. */
export function renderReportPretty(r: SimReport, opts: RenderOptions): string {
  const s = opts.strong ?? ((x: string) => x);
  const money = (minor: number): string => formatMinor(minor, opts.exponent, r.revenue.currency);
  const d = r.decisions;
  const w = r.webhooks;
  const out: string[] = [];
  out.push(s(`Decisions  ${int(d.total)}`) + `   allowed ${int(d.allowed)} (${pct(d.allowed, d.total)})   denied ${int(d.denied)} (${pct(d.denied, d.total)})`);
  if (d.denied > 0) out.push('  denied by reason', ...counts(d.byReason, d.denied));
  if (d.total > 0) out.push('  by rule', ...counts(d.byPolicy, d.total));
  out.push('');
  out.push(s(`Tokens charged  ${r.tokens.charged.toLocaleString('en-US', { maximumFractionDigits: 6 })}`));
  out.push(
    s(`Revenue  ${money(r.revenue.netMinor)} net`) +
      `   gross ${money(r.revenue.grossMinor)}, refunded ${money(r.revenue.refundedMinor)}, of which tax ${money(r.revenue.taxMinor)}`,
  );
  if (r.revenue.otherCurrencies.length > 0) out.push(`  payments in ${r.revenue.otherCurrencies.join(', ')} are not in these sums`);
  out.push('');
  const webhookTotal = w.applied + w.duplicate + w.ignored + w.unresolved + w.invalidSignature + w.outOfOrder + w.malformed;
  out.push(
    s(`Webhooks  ${int(webhookTotal)}`) +
      `   applied ${int(w.applied)}, duplicate ${int(w.duplicate)}, ignored ${int(w.ignored)}, unresolved ${int(w.unresolved)}, out of order ${int(w.outOfOrder)}, invalid signature ${int(w.invalidSignature)}, malformed ${int(w.malformed)}`,
  );
  out.push(`Revocations  ${int(r.revocations.count)}` + (r.revocations.samples.length ? `   e.g. ${r.revocations.samples.slice(0, 3).map((x) => `${oneLine(x.userId)}: ${oneLine(x.entitlement)} (${x.kind})`).join('; ')}` : ''));
  out.push(
    `Insufficient balance  ${int(r.insufficientBalance.users)} users, ${int(r.insufficientBalance.decisions)} denials` +
      (r.insufficientBalance.samples.length ? `   e.g. ${r.insufficientBalance.samples.slice(0, 5).map(oneLine).join(', ')}` : ''),
  );
  const f = r.funnel;
  out.push(`Paywall funnel  ${int(f.paywalled)} hit the paywall → ${int(f.paidAfter)} paid (${pct(f.paidAfter, f.paywalled)}) → ${int(f.accessedAfter)} used what they bought (${pct(f.accessedAfter, f.paywalled)})`);
  if (r.rejected.count > 0) {
    out.push('');
    out.push(s(`Rejected inputs  ${int(r.rejected.count)}`));
    for (const x of r.rejected.samples.slice(0, 5)) out.push(`    ${oneLine(x.file)}:${x.line}: ${oneLine(x.message)}`);
    if (r.rejected.count > 5) out.push(`    … ${int(r.rejected.count - 5)} more (all counted; the JSON report lists ${r.rejected.samples.length})`);
  }
  return `${out.join('\n')}\n`;
}

/** Transitions and rules the diff section lists; the JSON report has them all. */
const DIFF_LIST = 6;

/** The `--against` section of the pretty report: what changes from the other policy to this one. */
export function renderDiffPretty(d: SimDiff, againstFile: string, opts: RenderOptions): string {
  const s = opts.strong ?? ((x: string) => x);
  const money = (minor: number): string => formatMinor(minor, opts.exponent, d.revenue.currency);
  const out: string[] = [];
  out.push(s(`Against ${oneLine(againstFile)}`));
  out.push(
    s(`  Decisions changed  ${int(d.changed)} of ${int(d.total)}`) +
      (d.percent === null ? '' : ` (${d.percent}%)`) +
      `   allow→deny ${int(d.flips.allowToDeny)}, deny→allow ${int(d.flips.denyToAllow)}`,
  );
  const shown = d.transitions.slice(0, DIFF_LIST).map((t) => ({ label: `${oneLine(t.from)} → ${oneLine(t.to)}`, t }));
  const width = Math.min(64, Math.max(0, ...shown.map((x) => x.label.length)));
  for (const { label, t } of shown) out.push(`    ${label.padEnd(width)} ${int(t.count).padStart(8)}   e.g. ${t.samples.slice(0, 2).map((x) => oneLine(x.id)).join(', ')}`);
  if (d.transitions.length > DIFF_LIST) out.push(`    … ${d.transitions.length - DIFF_LIST} more`);
  out.push(`  Tokens charged  ${tok(d.tokens.before)} → ${tok(d.tokens.after)}   ${signed(d.tokens.change, tok)} (${signedPct(d.tokens.percent)})`);
  out.push(`  Revenue net  ${money(d.revenue.before.netMinor)} → ${money(d.revenue.after.netMinor)}   ${signed(d.revenue.changeMinor, money)} (${signedPct(d.revenue.percent)})`);
  const u = d.users;
  const c = u.chargeChange;
  out.push(
    `  Users affected  ${int(u.affected)} of ${int(u.total)}` +
      (u.affected === 0 ? '' : `   charged more ${int(u.chargedMore)}, less ${int(u.chargedLess)}   per-user change p50 ${signed(c.p50!, tok)}, p95 ${signed(c.p95!, tok)}, max ${signed(c.max!, tok)}, min ${signed(c.min!, tok)}`),
  );
  if (d.rules.length > 0) {
    const shown = d.rules.slice(0, DIFF_LIST).map((r) => `${oneLine(r.policyId)} ${int(r.before)} → ${int(r.after)}`);
    out.push(`  Rules  ${shown.join(', ')}${d.rules.length > DIFF_LIST ? `, … ${d.rules.length - DIFF_LIST} more` : ''}`);
  }
  if (d.webhooks.changed > 0) out.push(`  Webhooks  ${int(d.webhooks.changed)} of ${int(d.webhooks.total)} with another outcome`);
  return `${out.join('\n')}\n`;
}
