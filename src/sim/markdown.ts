/**
 * `monetize simulate --format markdown`: a report fit for a pull-request comment and a GitHub
 * Actions job summary. With `--against` it leads with the verdict and what changes; long parts
 * fold into `<details>`. Every id that came from a log or a policy (requests, users, assets,
 * rules, reasons, file names) goes through the one Markdown escaper.
 */
import { markdownCode, markdownText } from '../diag/escape.js';
import { formatMinor } from '../money/format.js';
import type { DiffSample, DiffSide, SimDiff } from './diff.js';
import type { GateFailure } from './gates.js';
import type { SimReport } from './report.js';

export interface MarkdownOptions {
  /** Minor-unit digits of the report currency (EUR 2). */
  readonly exponent: number;
  /** The policy simulated, as given on the command line. */
  readonly policyFile: string;
  /** With `--against`: the other policy's file, its report and the diff. */
  readonly against?: { readonly file: string; readonly report: SimReport; readonly diff: SimDiff };
  /** Whether any `--fail-on-…` gate was given, and those that failed. */
  readonly gates?: { readonly asked: boolean; readonly failed: readonly GateFailure[] };
}

/** Transitions shown in the first table; the rest fold away. */
const TRANSITIONS_SHOWN = 10;
/** Transitions listed at all; the JSON report has every one. */
const TRANSITIONS_LISTED = 50;
/** Transitions whose samples are listed: with ids clipped, the report stays far below a comment's 65,536 characters. */
const TRANSITIONS_SAMPLED = 20;
/** Longest id shown, in code points; longer ones are clipped with `…`. */
const ID_LENGTH = 80;

const int = (n: number): string => n.toLocaleString('en-US');
const tok = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 6 });
const signed = (n: number, show: (x: number) => string): string => (n > 0 ? `+${show(n)}` : n < 0 ? `-${show(-n)}` : '±0');
const signedPct = (p: number | null): string => (p === null ? 'from 0' : `${p > 0 ? '+' : ''}${p}%`);
const pct = (part: number, whole: number): string => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);
const cell = (s: string): string => markdownCode(s, true);
/** An id from the log in a table cell, clipped: a log may hold ids of any length. */
function idCell(s: string): string {
  const cps = Array.from(s);
  return cell(cps.length > ID_LENGTH ? `${cps.slice(0, ID_LENGTH - 1).join('')}…` : s);
}

/** A folded section: GitHub renders the Markdown inside once a blank line follows the summary. */
function details(summary: string, body: readonly string[]): string[] {
  let end = body.length;
  while (end > 0 && body[end - 1] === '') end--;
  return ['<details>', `<summary>${summary}</summary>`, '', ...body.slice(0, end), '', '</details>', ''];
}

/** Render the report (and, with `--against`, the diff) as Markdown. */
export function renderSimMarkdown(report: SimReport, opts: MarkdownOptions): string {
  // A summary is HTML, where Markdown escapes do not apply: it names nothing from the inputs.
  const out = opts.against ? [...diffSection(report, opts.against, opts), ...details('The full report of the simulated policy (after)', reportBody(report, opts))] : [`### monetize simulate: ${markdownCode(opts.policyFile, false)}`, '', ...reportBody(report, opts)];
  return `${out.join('\n').trimEnd()}\n`;
}

function gateLines(failed: readonly GateFailure[]): string[] {
  return ['**Gates failed:**', '', ...failed.map((f) => `- ${markdownCode(f.option, false)}: ${markdownText(f.message)}`), ''];
}

function verdict(d: SimDiff, opts: MarkdownOptions): string {
  const share = `${int(d.changed)} of ${int(d.total)} decisions change${d.percent === null ? '' : ` (${d.percent}%)`}`;
  if (opts.gates && opts.gates.failed.length > 0) return `### ❌ monetize simulate: ${share}: ${opts.gates.failed.length === 1 ? 'a gate failed' : `${opts.gates.failed.length} gates failed`}`;
  if (d.changed === 0) return `### ✅ monetize simulate: no decision changes${opts.gates?.asked ? ' (the gates pass)' : ''}`;
  return opts.gates?.asked ? `### ✅ monetize simulate: ${share}, within the gates` : `### ⚠️ monetize simulate: ${share}`;
}

function diffSection(after: SimReport, against: NonNullable<MarkdownOptions['against']>, opts: MarkdownOptions): string[] {
  const d = against.diff;
  const before = against.report;
  const money = (minor: number): string => formatMinor(minor, opts.exponent, d.revenue.currency);
  const out: string[] = [verdict(d, opts), ''];
  out.push(`${markdownCode(opts.policyFile, false)} (after) against ${markdownCode(against.file, false)} (before), over the same ${int(d.total)} requests and ${int(d.webhooks.total)} webhook deliveries.`, '');
  if (opts.gates && opts.gates.failed.length > 0) out.push(...gateLines(opts.gates.failed));
  out.push(`**Decisions changed:** ${int(d.changed)} of ${int(d.total)}${d.percent === null ? '' : ` (${d.percent}%)`} · allow → deny: ${int(d.flips.allowToDeny)} · deny → allow: ${int(d.flips.denyToAllow)}`, '');

  const row = (what: string, b: string, a: string, change: string): string => `| ${what} | ${b} | ${a} | ${change} |`;
  out.push('| | before | after | change |', '|---|---:|---:|---:|');
  out.push(row('allowed', int(before.decisions.allowed), int(after.decisions.allowed), signed(after.decisions.allowed - before.decisions.allowed, int)));
  out.push(row('denied', int(before.decisions.denied), int(after.decisions.denied), signed(after.decisions.denied - before.decisions.denied, int)));
  out.push(row('tokens charged', tok(d.tokens.before), tok(d.tokens.after), `${signed(d.tokens.change, tok)} (${signedPct(d.tokens.percent)})`));
  out.push(row('revenue, net', money(d.revenue.before.netMinor), money(d.revenue.after.netMinor), `${signed(d.revenue.changeMinor, money)} (${signedPct(d.revenue.percent)})`));
  out.push(row('revenue, gross', money(d.revenue.before.grossMinor), money(d.revenue.after.grossMinor), signed(d.revenue.after.grossMinor - d.revenue.before.grossMinor, money)));
  out.push(row('refunded', money(d.revenue.before.refundedMinor), money(d.revenue.after.refundedMinor), signed(d.revenue.after.refundedMinor - d.revenue.before.refundedMinor, money)));
  if (d.webhooks.changed > 0) out.push(row('webhooks with another outcome', '', '', `${int(d.webhooks.changed)} of ${int(d.webhooks.total)}`));
  out.push('');

  if (d.transitions.length > 0) {
    out.push('#### Changed decisions', '');
    out.push(...transitionTable(d.transitions.slice(0, TRANSITIONS_SHOWN), d.changed));
    if (d.transitions.length > TRANSITIONS_SHOWN) out.push(...details(`${d.transitions.length - TRANSITIONS_SHOWN} more transitions`, transitionTable(d.transitions.slice(TRANSITIONS_SHOWN, TRANSITIONS_LISTED), d.changed)));
    out.push(...details('Sample requests', sampleTable(d.transitions.slice(0, TRANSITIONS_SAMPLED))));
    if (d.transitions.length > TRANSITIONS_LISTED) out.push(`${d.transitions.length - TRANSITIONS_LISTED} more transitions are in the JSON report.`, '');
  }

  out.push('#### Bill shock', '');
  const u = d.users;
  if (u.affected === 0) out.push(`No user is charged differently (${int(u.total)} users).`, '');
  else {
    const c = u.chargeChange;
    out.push(`${int(u.affected)} of ${int(u.total)} users are affected: ${int(u.chargedMore)} charged more, ${int(u.chargedLess)} charged less. Change in tokens charged per affected user (nearest rank):`, '');
    out.push('| p50 | p95 | max | min |', '|---:|---:|---:|---:|', `| ${signed(c.p50!, tok)} | ${signed(c.p95!, tok)} | ${signed(c.max!, tok)} | ${signed(c.min!, tok)} |`, '');
    const users = ['| user | before | after | change |', '|---|---:|---:|---:|', ...u.samples.map((x) => `| ${idCell(x.userId)} | ${tok(x.before)} | ${tok(x.after)} | ${signed(x.change, tok)}${x.percent === null ? '' : ` (${signedPct(x.percent)})`} |`)];
    out.push(...details(`The ${u.samples.length} largest changes`, users));
  }

  if (d.rules.length > 0) {
    out.push('#### Rules gaining or losing traffic', '');
    const rules = ['| rule | before | after | change |', '|---|---:|---:|---:|', ...d.rules.map((r) => `| ${cell(r.policyId)} | ${int(r.before)} | ${int(r.after)} | ${signed(r.change, int)} |`)];
    out.push(...(d.rules.length > TRANSITIONS_SHOWN ? details(`${d.rules.length} rules`, rules) : [...rules, '']));
  }
  return out;
}

function transitionTable(ts: SimDiff['transitions'], changed: number): string[] {
  return [
    '| from | to | decisions | share | e.g. |',
    '|---|---|---:|---:|---|',
    ...ts.map((t) => `| ${cell(t.from)} | ${cell(t.to)} | ${int(t.count)} | ${pct(t.count, changed)} | ${t.samples.slice(0, 3).map((x) => idCell(x.id)).join(', ')} |`),
    '',
  ];
}

const sideText = (s: DiffSide): string => (s.allowed ? `allow ${s.policyId}` : `deny ${s.reason ?? '(none)'} (${s.policyId})`) + (s.cost !== undefined ? `, cost ${tok(s.cost)}` : '');

function sampleTable(ts: SimDiff['transitions']): string[] {
  const rows = ts.flatMap((t) => t.samples.map((x: DiffSample) => `| ${idCell(x.id)} | ${x.userId === undefined ? '' : idCell(x.userId)} | ${x.assetId === undefined ? '' : idCell(x.assetId)} | ${cell(sideText(x.before))} | ${cell(sideText(x.after))} |`));
  return ['| request | user | asset | before | after |', '|---|---|---|---|---|', ...rows];
}

/** The report of one policy: totals first, long lists folded. */
function reportBody(r: SimReport, opts: MarkdownOptions): string[] {
  const money = (minor: number): string => formatMinor(minor, opts.exponent, r.revenue.currency);
  const d = r.decisions;
  const w = r.webhooks;
  const out: string[] = [];
  out.push('| decisions | allowed | denied | tokens charged | revenue, net | gross | refunded | of which tax |', '|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${int(d.total)} | ${int(d.allowed)} (${pct(d.allowed, d.total)}) | ${int(d.denied)} (${pct(d.denied, d.total)}) | ${tok(r.tokens.charged)} | ${money(r.revenue.netMinor)} | ${money(r.revenue.grossMinor)} | ${money(r.revenue.refundedMinor)} | ${money(r.revenue.taxMinor)} |`, '');
  if (r.revenue.otherCurrencies.length > 0) out.push(`Payments in ${r.revenue.otherCurrencies.map((c) => markdownCode(c, false)).join(', ')} are not in these sums.`, '');
  const counts = (title: string, m: Readonly<Record<string, number>>, whole: number): string[] => [`| ${title} | decisions | share |`, '|---|---:|---:|', ...Object.entries(m).map(([k, n]) => `| ${cell(k)} | ${int(n)} | ${pct(n, whole)} |`), ''];
  if (d.denied > 0) out.push(...counts('denied by reason', d.byReason, d.denied));
  if (d.total > 0) out.push(...details('Decisions by rule', counts('rule', d.byPolicy, d.total)));
  const webhookTotal = w.applied + w.duplicate + w.ignored + w.unresolved + w.invalidSignature + w.outOfOrder + w.malformed;
  out.push(
    `**Webhooks:** ${int(webhookTotal)} (applied ${int(w.applied)}, duplicate ${int(w.duplicate)}, ignored ${int(w.ignored)}, unresolved ${int(w.unresolved)}, out of order ${int(w.outOfOrder)}, invalid signature ${int(w.invalidSignature)}, malformed ${int(w.malformed)}) · ` +
      `**revocations:** ${int(r.revocations.count)} · **insufficient balance:** ${int(r.insufficientBalance.users)} users, ${int(r.insufficientBalance.decisions)} denials`,
    '',
  );
  const f = r.funnel;
  out.push(`**Paywall funnel:** ${int(f.paywalled)} hit the paywall → ${int(f.paidAfter)} paid (${pct(f.paidAfter, f.paywalled)}) → ${int(f.accessedAfter)} used what they bought (${pct(f.accessedAfter, f.paywalled)})`, '');
  if (r.rejected.count > 0) {
    const rows = ['| input | what is wrong |', '|---|---|', ...r.rejected.samples.map((x) => `| ${cell(`${x.file}:${x.line}`)} | ${markdownText(x.message)} |`)];
    out.push(...details(`${int(r.rejected.count)} rejected input${r.rejected.count === 1 ? '' : 's'}${r.rejected.count > r.rejected.samples.length ? ` (the first ${r.rejected.samples.length})` : ''}`, rows));
  }
  return out;
}
