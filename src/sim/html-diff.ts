/**
 * The `--against` part of the HTML report: what changes between the policy running today
 * ("before") and the one simulated ("after") — the transition table with sample requests, tokens
 * and revenue on both sides, the per-user charge change, and the rules that gain or lose traffic.
 */
import { escapeHtml } from '../diag/escape.js';
import type { DiffSide, SimDiff } from './diff.js';
import { code, count, pct, section, signed, table, tokens, type Money } from './html-parts.js';

/** A percentage change, or `new` when there was nothing before. */
function change(percent: number | null): string {
  return percent === null ? 'new' : `${percent > 0 ? '+' : ''}${percent}%`;
}

/** A decision in a sample: `allowed by model_inference, 18 tokens` / `denied by paywall: upgrade_required`. */
function side(s: DiffSide): string {
  const charged = s.charged !== 0 ? `, charged ${tokens(s.charged)}` : '';
  const cost = !s.allowed && s.cost !== undefined ? ` (cost ${tokens(s.cost)})` : '';
  return s.allowed ? `allowed by ${code(s.policyId)}${charged}` : `denied by ${code(s.policyId)}: ${code(s.reason ?? '(none)')}${cost}`;
}

/** An ISO time for a sample (a time beyond the Date range as its number). */
function when(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace('T', ' ').replace('.000Z', ' UTC') : String(ms);
}

function transitions(d: SimDiff): string {
  if (d.transitions.length === 0) return '<p class="note">No decision changed.</p>';
  const head = '<thead><tr><th>Before</th><th>After</th><th class="num">Requests</th><th class="num">Of changed</th></tr></thead>';
  const rows = d.transitions.map((t, i) => {
    const row = `<tr><td>${code(t.from)}</td><td>${code(t.to)}</td><td class="num">${count(t.count)}</td><td class="num">${pct(t.count, d.changed)}</td></tr>`;
    if (t.samples.length === 0) return row;
    const sampleRows = t.samples.map((s) => [code(s.id), `<span class="nowrap">${escapeHtml(when(s.time))}</span>`, s.userId === undefined ? '' : code(s.userId), s.assetId === undefined ? '' : code(s.assetId), side(s.before), side(s.after)]);
    // The largest transition shows its samples; the others open on a click (no script: <details>).
    const summary = `<summary>${count(t.samples.length)} sample request${t.samples.length === 1 ? '' : 's'}</summary>`;
    return `${row}\n<tr class="samples"><td colspan="4"><details${i === 0 ? ' open' : ''}>${summary}${table(['Request', 'Time', 'User', 'Asset', 'Before', 'After'], sampleRows)}</details></td></tr>`;
  });
  return `<table class="transitions">${head}\n<tbody>${rows.join('\n')}</tbody></table>`;
}

function users(d: SimDiff): string {
  const u = d.users;
  const c = u.chargeChange;
  const delta = (v: number | null): string => (v === null ? '—' : escapeHtml(signed(tokens(v), v)));
  const spread = c.p50 === null ? '' : ` Change in tokens charged per affected user: median ${delta(c.p50)}, 95th percentile ${delta(c.p95)}, largest increase ${delta(c.max)}, largest decrease ${delta(c.min)}.`;
  const summary = `<p>${count(u.affected)} of ${count(u.total)} users are affected: ${count(u.chargedMore)} would be charged more, ${count(u.chargedLess)} less.${spread}</p>`;
  const rows = u.samples.map((x) => [code(x.userId), escapeHtml(tokens(x.before)), escapeHtml(tokens(x.after)), `<span class="${x.change > 0 ? 'up' : x.change < 0 ? 'down' : ''}">${escapeHtml(signed(tokens(x.change), x.change))}</span>`]);
  return summary + (rows.length > 0 ? table(['User', 'Tokens before', 'Tokens after', 'Change'], rows, [1, 2, 3]) : '');
}

function ruleTable(d: SimDiff): string {
  if (d.rules.length === 0) return '<p class="note">Every rule decides as many requests as before.</p>';
  return table(['Rule', 'Before', 'After', 'Change'], d.rules.map((r) => [code(r.policyId), count(r.before), count(r.after), escapeHtml(signed(count(r.change), r.change))]), [1, 2, 3]);
}

/** The section comparing the two policies. */
export function diffSection(d: SimDiff, againstFile: string | undefined, money: Money): string {
  const rb = d.revenue.before;
  const ra = d.revenue.after;
  const totals = table(
    ['', 'Before', 'After', 'Change'],
    [
      ['Decisions changed', '', `${count(d.changed)} of ${count(d.total)}`, escapeHtml(d.percent === null ? '—' : `${d.percent}%`)],
      ['Allowed before, denied after', '', count(d.flips.allowToDeny), ''],
      ['Denied before, allowed after', '', count(d.flips.denyToAllow), ''],
      ['Tokens charged', escapeHtml(tokens(d.tokens.before)), escapeHtml(tokens(d.tokens.after)), escapeHtml(`${signed(tokens(d.tokens.change), d.tokens.change)} (${change(d.tokens.percent)})`)],
      [`Net revenue, ${escapeHtml(d.revenue.currency)}`, escapeHtml(money(rb.netMinor, false)), escapeHtml(money(ra.netMinor, false)), escapeHtml(`${signed(money(d.revenue.changeMinor, false), d.revenue.changeMinor)} (${change(d.revenue.percent)})`)],
      [`Paid, ${escapeHtml(d.revenue.currency)}`, escapeHtml(money(rb.grossMinor, false)), escapeHtml(money(ra.grossMinor, false)), ''],
      [`Refunded, ${escapeHtml(d.revenue.currency)}`, escapeHtml(money(rb.refundedMinor, false)), escapeHtml(money(ra.refundedMinor, false)), ''],
    ],
    [1, 2, 3],
  );
  const intro = `<p>“Before” is ${againstFile === undefined ? 'the <code>--against</code> policy' : code(againstFile)}, what runs today; “after” is the policy simulated. Each replayed the same inputs on its own ledger, so a user’s balance under one follows from that policy’s own charges.</p>`;
  return section('changes', 'What changes against the policy running today', [
    intro,
    totals,
    '<h3>Transitions</h3>',
    '<p class="note">Requests whose decision changed, by outcome before and after: <code>allow:&lt;rule&gt;</code> or <code>deny:&lt;reason&gt;</code>. Under each, sample requests (click to open).</p>',
    transitions(d),
    '<h3>Charges per user</h3>',
    users(d),
    '<h3>Rules gaining or losing traffic</h3>',
    ruleTable(d),
  ]);
}
