/**
 * `monetize simulate --format html`: the report as one self-contained HTML file a product manager
 * can open anywhere. Charts are inline SVG drawn here (svg.ts), styles are inline, and there is no
 * script and no reference to anything outside the file; a Content-Security-Policy forbids any
 * request, so even a file edited by hand cannot fetch or run anything. Same inputs, same bytes.
 */
import { escapeHtml } from '../diag/escape.js';
import { fromMicro, toMicro } from '../ledger/model.js';
import { currencyExponent } from '../money/currencies.js';
import type { SimOutcome } from './aggregate.js';
import { diffSection } from './html-diff.js';
import { card, code, COLORS, count, countOf, entries, figure, microTokens, moneyFormat, pct, reasonColors, section, table, type Money } from './html-parts.js';
import type { SimReport } from './report.js';
import { barChart, legend, timeChart, utcLabel, type BarRow, type Series } from './svg.js';
import { OTHER_REASONS, type Timeline, type TimelineBucket } from './timeline.js';

/** What the report says about the run besides its figures. */
export interface HtmlReportInfo {
  /** The policy simulated, as given on the command line, its content hash and currency. */
  readonly file: string;
  readonly hash: string;
  readonly currency: string;
  /** With `--against`: the other policy's file as given. */
  readonly againstFile?: string;
}

/** The Content-Security-Policy of the report: nothing may be fetched, nothing may run. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** How many rows a bar chart of reasons, rules or assets shows. */
const MAX_ROWS = 12;

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1a202c; background: #f7fafc; margin: 0; }
main, header { max-width: 980px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 10px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.meta { color: #4a5568; margin: 0 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.card { border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 12px; }
.card .name { color: #4a5568; font-size: 13px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .detail { color: #4a5568; font-size: 13px; }
figure { margin: 8px 0 16px; }
figcaption { color: #4a5568; font-size: 13px; margin-top: 4px; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg .tick, svg .unit { fill: #4a5568; }
svg .label { fill: #1a202c; }
.legend { list-style: none; padding: 0; margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.swatch.dashed { height: 0; border-top: 2px dashed; border-radius: 0; vertical-align: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 4px 0 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
th { color: #4a5568; font-weight: 600; }
.nowrap { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: #2b6cb0; }
tr.samples > td { padding: 0 8px 10px 24px; }
tr.samples table { font-size: 13px; }
.up { color: #2f855a; } .down { color: #c53030; }
.note { color: #4a5568; font-size: 13px; }
`;

/** The whole report as one HTML document. */
export function renderReportHtml(outcome: SimOutcome, info: HtmlReportInfo): string {
  const r = outcome.report;
  const money = moneyFormat(currencyExponent(info.currency) ?? 2, info.currency);
  const before = outcome.diff ? outcome.against : undefined;
  const title = `Simulation report: ${info.file}`;
  const body = [
    header(r, info),
    '<main>',
    headline(outcome, money),
    decisionsOverTime(r, before),
    tokensAndRevenue(r, before, money),
    denials(r, before),
    funnel(r, before),
    assetsAndTiers(r, before),
    rules(r, before),
    webhooks(r),
    samples(r),
    ...(outcome.diff ? [diffSection(outcome.diff, info.againstFile, money)] : []),
    '</main>',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // An icon of its own, so a browser does not ask a server for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(r: SimReport, info: HtmlReportInfo): string {
  const b = r.timeline.buckets;
  const period =
    b.length === 0 ? 'no decisions or payments' : `${utcLabel(b[0]!.start, r.timeline.bucketMs < 86_400_000)} to ${utcLabel(b[b.length - 1]!.start + r.timeline.bucketMs, r.timeline.bucketMs < 86_400_000)} (UTC)`;
  const against = info.againstFile === undefined ? '' : `<p class="meta">Compared with ${code(info.againstFile)} (“before”): the same inputs replayed on a ledger of its own.</p>`;
  return [
    '<header>',
    `<h1>Simulation report</h1>`,
    `<p class="meta">Policy ${code(info.file)}, hash ${code(info.hash)}, amounts in ${escapeHtml(info.currency)}. Period: ${escapeHtml(period)}; charts in buckets of ${escapeHtml(widthWords(r.timeline.bucket))}.</p>`,
    against,
    '</header>',
  ].join('\n');
}

/** `3h` → `3 hours`. */
function widthWords(label: string): string {
  const m = /^(\d+)([mhdw])$/.exec(label);
  if (!m) return label;
  const unit = { m: 'minute', h: 'hour', d: 'day', w: 'week' }[m[2] as 'm' | 'h' | 'd' | 'w'];
  return m[1] === '1' ? `1 ${unit}` : `${m[1]} ${unit}s`;
}

function headline(o: SimOutcome, money: Money): string {
  const r = o.report;
  const d = r.decisions;
  const w = r.webhooks;
  const hooks = w.applied + w.duplicate + w.ignored + w.unresolved + w.outOfOrder + w.invalidSignature + w.malformed;
  const cards = [
    card('Decisions', count(d.total), `allowed ${count(d.allowed)} (${pct(d.allowed, d.total)}) · denied ${count(d.denied)} (${pct(d.denied, d.total)})`),
    card('Tokens charged', escapeHtml(microTokens(r.tokens.chargedMicro)), 'deducted by allowed requests'),
    card('Net revenue', escapeHtml(money(r.revenue.netMinor)), `gross ${escapeHtml(money(r.revenue.grossMinor))} · refunded ${escapeHtml(money(r.revenue.refundedMinor))} · tax inside ${escapeHtml(money(r.revenue.taxMinor))}`),
    card('Paywall conversion', pct(r.funnel.paidAfter, r.funnel.paywalled), `${count(r.funnel.paywalled)} hit the paywall → ${count(r.funnel.paidAfter)} paid → ${count(r.funnel.accessedAfter)} used it`),
    card('Webhooks', count(hooks), `applied ${count(w.applied)} · duplicate ${count(w.duplicate)} · unresolved ${count(w.unresolved)}`),
    card('Rejected inputs', count(r.rejected.count), r.rejected.count === 0 ? 'every input was used' : 'left out: see the list below'),
  ];
  if (o.diff) {
    const x = o.diff;
    cards.unshift(card('Decisions changed', `${count(x.changed)} <small>(${escapeHtml(`${x.percent}%`)})</small>`, `of ${count(x.total)} · allow→deny ${count(x.flips.allowToDeny)} · deny→allow ${count(x.flips.denyToAllow)}`));
  }
  const other = r.revenue.otherCurrencies.length > 0 ? `<p class="note">Payments in ${r.revenue.otherCurrencies.map(code).join(', ')} are not in the revenue figures (amounts are not converted).</p>` : '';
  return section('headline', 'At a glance', [`<div class="cards">${cards.join('\n')}</div>`, other]);
}

/** Values of the `--against` timeline aligned on these buckets (0 where it has none), or undefined when the buckets differ. */
function aligned(before: Timeline | undefined, after: Timeline, pick: (b: TimelineBucket) => number): number[] | undefined {
  if (before === undefined || before.bucketMs !== after.bucketMs) return undefined;
  const at = new Map(before.buckets.map((b) => [b.start, b]));
  return after.buckets.map((b) => {
    const x = at.get(b.start);
    return x === undefined ? 0 : pick(x);
  });
}

/** The colour of a denial reason: as the timeline's reasons have it, grey for the rest. */
function reasonColor(t: Timeline, reason: string): string {
  return reasonColors(t.reasons, OTHER_REASONS).get(reason) ?? COLORS.other;
}

function decisionsOverTime(r: SimReport, before: SimReport | undefined): string {
  const t = r.timeline;
  const stacks: Series[] = [
    { label: 'allowed', color: COLORS.allowed, values: t.buckets.map((b) => b.allowed) },
    ...t.reasons.map((reason) => ({ label: `denied: ${reason}`, color: reasonColor(t, reason), values: t.buckets.map((b) => countOf(b.deniedBy, reason)) })),
  ];
  const allowedBefore = aligned(before?.timeline, t, (b) => b.allowed);
  const lines = allowedBefore ? [{ label: 'allowed before', color: COLORS.before, values: allowedBefore }] : [];
  const svg = timeChart({ label: `Decisions per ${widthWords(t.bucket)}, allowed and denied by reason`, unit: 'decisions', starts: t.buckets.map((b) => b.start), bucketMs: t.bucketMs, stacks, lines, format: count, minStep: 1 });
  const items = [...stacks.map((s) => ({ label: s.label, color: s.color })), ...lines.map((l) => ({ label: l.label, color: l.color, dashed: true }))];
  const caption = `Every access-log request, in buckets of ${escapeHtml(widthWords(t.bucket))} (UTC): allowed at the bottom, denials stacked above by reason.` + (lines.length ? ' The dashed line is how many the “before” policy allowed.' : '') + ' Hover a bar for its figures.';
  return section('decisions-over-time', 'Decisions over time', [figure(svg, caption, legend(items))]);
}

function tokensAndRevenue(r: SimReport, before: SimReport | undefined, money: Money): string {
  const t = r.timeline;
  const starts = t.buckets.map((b) => b.start);
  const tokensBefore = aligned(before?.timeline, t, (b) => fromMicro(b.chargedMicro));
  const tokenLines = tokensBefore ? [{ label: 'tokens before', color: COLORS.before, values: tokensBefore }] : [];
  const tokenSvg = timeChart({
    label: `Tokens charged per ${widthWords(t.bucket)}`,
    unit: 'tokens',
    starts,
    bucketMs: t.bucketMs,
    stacks: [{ label: 'tokens charged', color: COLORS.tokens, values: t.buckets.map((b) => fromMicro(b.chargedMicro)) }],
    lines: tokenLines,
    format: (v) => microTokens(toMicro(v)),
  });
  const paidBefore = aligned(before?.timeline, t, (b) => b.paidMinor);
  const refundedBefore = aligned(before?.timeline, t, (b) => -b.refundedMinor);
  const moneyLines =
    paidBefore && refundedBefore
      ? [
          { label: 'paid before', color: COLORS.before, values: paidBefore },
          { label: 'refunded before', color: '#718096', values: refundedBefore },
        ]
      : [];
  const revenueSvg = timeChart({
    label: `Money paid and refunded per ${widthWords(t.bucket)}, ${r.revenue.currency}`,
    unit: r.revenue.currency,
    starts,
    bucketMs: t.bucketMs,
    stacks: [
      { label: 'paid', color: COLORS.paid, values: t.buckets.map((b) => b.paidMinor) },
      { label: 'refunded', color: COLORS.refunded, values: t.buckets.map((b) => -b.refundedMinor) },
    ],
    lines: moneyLines,
    format: (v) => money(v, false),
    minStep: 1,
  });
  const rev = r.revenue;
  const revTable = table(
    ['', escapeHtml(rev.currency)],
    [
      ['Paid (gross, tax included)', escapeHtml(money(rev.grossMinor, false))],
      ['Refunded and charged back', escapeHtml(money(rev.refundedMinor, false))],
      ['<strong>Net</strong>', `<strong>${escapeHtml(money(rev.netMinor, false))}</strong>`],
      ['Tax inside the gross', escapeHtml(money(rev.taxMinor, false))],
    ],
    [1],
  );
  return section('tokens-and-revenue', 'Tokens consumed and revenue over time', [
    '<h3>Tokens charged</h3>',
    figure(tokenSvg, `Tokens deducted from balances by allowed requests, ${escapeHtml(microTokens(r.tokens.chargedMicro))} in all.` + (tokenLines.length ? ' Dashed: the “before” policy.' : ''), legend([{ label: 'tokens charged', color: COLORS.tokens }, ...tokenLines.map((l) => ({ label: l.label, color: l.color, dashed: true }))])),
    '<h3>Revenue</h3>',
    figure(
      revenueSvg,
      `Money paid (tax included) above the line, refunds and lost disputes below, when the payment provider reported them. Net ${escapeHtml(money(rev.netMinor))}.` + (moneyLines.length ? ' Dashed: the “before” policy.' : ''),
      legend([{ label: 'paid', color: COLORS.paid }, { label: 'refunded', color: COLORS.refunded }, ...moneyLines.map((l) => ({ label: l.label, color: l.color, dashed: true }))]),
    ),
    revTable,
  ]);
}

/** Rows for a count map, largest first, with the `--against` count to compare; at most `MAX_ROWS`. */
function countRows(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>> | undefined, color: (key: string) => string, whole: number): BarRow[] {
  const keys = entries(after).map(([k]) => k);
  for (const [k] of before ? entries(before) : []) if (!Object.hasOwn(after, k)) keys.push(k);
  return keys.slice(0, MAX_ROWS).map((k) => {
    const v = countOf(after, k);
    return { label: k, segments: [{ name: 'count', value: v, color: color(k) }], note: `${count(v)} (${pct(v, whole)})`, ...(before ? { compare: countOf(before, k) } : {}) };
  });
}

function more(total: number): string {
  return total > MAX_ROWS ? ` The ${MAX_ROWS} largest of ${count(total)} are shown; the JSON report has them all.` : '';
}

function denials(r: SimReport, before: SimReport | undefined): string {
  const d = r.decisions;
  const rows = countRows(d.byReason, before?.decisions.byReason, (k) => reasonColor(r.timeline, k), d.denied);
  const svg = barChart({ label: 'Denied requests by reason', rows, format: count, compareName: 'before' });
  const caption =
    `${count(d.denied)} requests were denied (${pct(d.denied, d.total)} of all). <code>insufficient_balance</code>: a rule allowed the request but the balance could not pay for it; <code>no_matching_policy</code>: no rule matched.` +
    (before ? ' The dashed mark is the “before” count.' : '') +
    more(Object.keys(d.byReason).length);
  return section('denials', 'Denials by reason', [figure(svg, caption)]);
}

function funnel(r: SimReport, before: SimReport | undefined): string {
  const f = r.funnel;
  const b = before?.funnel;
  const row = (label: string, v: number, was: number | undefined): BarRow => ({
    label,
    segments: [{ name: 'users', value: v, color: COLORS.funnel }],
    note: `${count(v)} (${pct(v, f.paywalled)})`,
    ...(was === undefined ? {} : { compare: was }),
  });
  const rows = [row('hit the paywall', f.paywalled, b?.paywalled), row('then paid', f.paidAfter, b?.paidAfter), row('then used what they bought', f.accessedAfter, b?.accessedAfter)];
  const svg = barChart({ label: 'Paywall funnel: users who hit the paywall, then paid, then used what they bought', rows, format: count, compareName: 'before' });
  const caption = 'Users denied with <code>upgrade_required</code> at least once; of them, those whose payment arrived after that denial; of those, the ones allowed afterwards. Percentages are of the users who hit the paywall.' + (b ? ' Dashed: the “before” policy.' : '');
  return section('funnel', 'Paywall → payment → access', [figure(svg, caption)]);
}

function allowDenyRow(label: string, allowed: number, denied: number, allowedBefore: number | undefined): BarRow {
  return {
    label,
    segments: [
      { name: 'allowed', value: allowed, color: COLORS.allowed },
      { name: 'denied', value: denied, color: COLORS.denied },
    ],
    note: `${count(allowed + denied)} (${pct(denied, allowed + denied)} denied)`,
    ...(allowedBefore === undefined ? {} : { compare: allowedBefore }),
  };
}

function assetsAndTiers(r: SimReport, before: SimReport | undefined): string {
  const assetsBefore = new Map(before?.decisions.topAssets.map((a) => [a.assetId, a.allowed]));
  const assetRows = r.decisions.topAssets.map((a) => allowDenyRow(a.assetId, a.allowed, a.denied, before ? (assetsBefore.get(a.assetId) ?? 0) : undefined));
  const tiers = Object.keys(r.decisions.byTier);
  const tierRows = tiers.map((k) => {
    const was = before && Object.hasOwn(before.decisions.byTier, k) ? before.decisions.byTier[k]!.allowed : before ? 0 : undefined;
    return allowDenyRow(k, r.decisions.byTier[k]!.allowed, r.decisions.byTier[k]!.denied, was);
  });
  const items = [{ label: 'allowed', color: COLORS.allowed }, { label: 'denied', color: COLORS.denied }, ...(before ? [{ label: 'allowed before', color: COLORS.before, dashed: true }] : [])];
  return section('assets-and-tiers', 'Top assets and tiers', [
    '<h3>Top assets</h3>',
    figure(barChart({ label: 'Requests for the most requested assets, allowed and denied', rows: assetRows, format: count, compareName: 'allowed before' }), `The ${count(assetRows.length)} assets with the most requests.`, legend(items)),
    '<h3>Tiers</h3>',
    figure(barChart({ label: 'Requests by the user’s tier, allowed and denied', rows: tierRows, format: count, compareName: 'allowed before' }), 'By the user’s tier in the ledger at the time of the request; <code>(none)</code> when the request named no user.', legend(items)),
  ]);
}

function rules(r: SimReport, before: SimReport | undefined): string {
  const d = r.decisions;
  const rows = countRows(d.byPolicy, before?.decisions.byPolicy, () => COLORS.tokens, d.total);
  const svg = barChart({ label: 'Decisions by the rule that made them', rows, format: count, compareName: 'before' });
  const caption = 'Every decision under the id of the rule that made it (an <code>insufficient_balance</code> denial counts under the rule that allowed it).' + (before ? ' Dashed: the “before” count.' : '') + more(Object.keys(d.byPolicy).length);
  return section('rules', 'Decisions by rule', [figure(svg, caption)]);
}

function webhooks(r: SimReport): string {
  const w = r.webhooks;
  const outcomes: [string, number, string, string][] = [
    ['applied', w.applied, COLORS.allowed, 'changed the ledger'],
    ['duplicate', w.duplicate, '#718096', 'already processed: nothing changed'],
    ['ignored', w.ignored, COLORS.other, 'valid, but nothing to change'],
    ['unresolved', w.unresolved, COLORS.denied, 'user or offer not found'],
    ['out of order', w.outOfOrder, '#d69e2e', 'older than what the ledger holds'],
    ['invalid signature', w.invalidSignature, COLORS.refunded, 'refused: signature did not verify'],
    ['malformed', w.malformed, '#742a2a', 'refused: not a valid event'],
  ];
  const total = outcomes.reduce((s, [, v]) => s + v, 0);
  const rows: BarRow[] = outcomes.map(([label, v, color, what]) => ({ label, segments: [{ name: what, value: v, color }], note: `${count(v)} (${pct(v, total)})` }));
  const kinds = table(['Event kind', 'Deliveries'], entries(w.byKind).map(([k, v]) => [code(k), count(v)]), [1]);
  return section('webhooks', 'Webhook outcomes', [
    figure(barChart({ label: 'Webhook deliveries by outcome', rows, format: count }), `${count(total)} deliveries. Hover a bar for what the outcome means.`),
    '<h3>By event kind</h3>',
    Object.keys(w.byKind).length > 0 ? kinds : '<p class="note">No webhook events.</p>',
  ]);
}

/** `1 user`, `3 users`. */
function plural(v: number, noun: string): string {
  return `${count(v)} ${noun}${v === 1 ? '' : 's'}`;
}

function samples(r: SimReport): string {
  const rev = r.revocations;
  const short = r.insufficientBalance;
  const rej = r.rejected;
  const listed = (shown: number, all: number): string => (all > shown ? `<p class="note">The first ${count(shown)} of ${count(all)} are listed.</p>` : '');
  return section('exceptions', 'Revocations, insufficient balance and rejected inputs', [
    `<h3>Revocations: ${count(rev.count)}</h3>`,
    rev.samples.length > 0 ? table(['User', 'Entitlement', 'Event'], rev.samples.map((x) => [code(x.userId), code(x.entitlement), code(x.kind)])) : '<p class="note">No entitlement was revoked.</p>',
    listed(rev.samples.length, rev.count),
    `<h3>Insufficient balance: ${plural(short.users, 'user')}, ${plural(short.decisions, 'denial')}</h3>`,
    short.samples.length > 0 ? `<p>${short.samples.map(code).join(', ')}</p>` : '<p class="note">No request was denied for want of tokens.</p>',
    listed(short.samples.length, short.users),
    `<h3>Rejected inputs: ${count(rej.count)}</h3>`,
    rej.samples.length > 0 ? table(['Where', 'What is wrong'], rej.samples.map((x) => [code(`${x.file}:${x.line}`), escapeHtml(x.message)])) : '<p class="note">Every input was used.</p>',
    listed(rej.samples.length, rej.count),
  ]);
}
