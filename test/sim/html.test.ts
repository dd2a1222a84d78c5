/** src/sim/html.ts and svg.ts: the self-contained HTML report — escaping, sections, exact figures, byte-stability. */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/diag/escape.js';
import { renderReportHtml, REPORT_CSP } from '../../src/sim/html.js';
import { ReportBuilder } from '../../src/sim/report.js';
import { bucketLabel, labelled, niceStep, utcLabel } from '../../src/sim/svg.js';
import { fixtureOutcome, HOSTILE_ASSET, HOSTILE_FILE, HOSTILE_USER, INFO, T } from './html-fixture.js';

const html = renderReportHtml(fixtureOutcome(true), INFO);
const { againstFile: _, ...plainInfo } = INFO;
const plain = renderReportHtml(fixtureOutcome(false), plainInfo);

/** Every tag (`<name …>`, `</name>` excluded) of a document. */
const tags = (doc: string): string[] => doc.match(/<[a-zA-Z][^>]*>/g) ?? [];
const tagNames = (doc: string): string[] => [...new Set(tags(doc).map((t) => /^<([a-zA-Z0-9]+)/.exec(t)![1]!.toLowerCase()))].sort();

const SECTIONS = ['headline', 'decisions-over-time', 'tokens-and-revenue', 'denials', 'funnel', 'assets-and-tiers', 'rules', 'webhooks', 'exceptions'];

describe('escapeHtml', () => {
  it('escapes the five characters HTML gives a meaning and makes controls visible', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('a\nb\u202ec')).toBe('a␊b\ufffdc');
    expect(escapeHtml('plain_text 1.5')).toBe('plain_text 1.5');
  });
});

describe('the HTML report', () => {
  it('is one document with a strict Content-Security-Policy and nothing that could load or run', () => {
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    for (const doc of [html, plain]) {
      expect(doc).not.toMatch(/<script/i);
      expect(doc).not.toMatch(/https?:/i);
      expect(doc).not.toMatch(/url\(|@import/i);
      expect([...doc.matchAll(/\b(?:href|src|srcset|action|xlink:href)="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,']);
      // No event-handler attribute on any tag (the hostile ids' "onerror=" is text, not a tag).
      expect(tags(doc).filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    }
  });

  it('uses only the tags it means to: an injected id never becomes markup', () => {
    expect(tagNames(html)).toEqual(
      ['body', 'code', 'details', 'div', 'figcaption', 'figure', 'g', 'h1', 'h2', 'h3', 'head', 'header', 'html', 'li', 'link', 'main', 'meta', 'p', 'path', 'rect', 'section', 'small', 'span', 'strong', 'style', 'summary', 'svg', 'table', 'tbody', 'td', 'text', 'th', 'thead', 'title', 'tr', 'ul'],
    );
  });

  it('escapes every string from the inputs through one escaper', () => {
    expect(html).not.toContain(HOSTILE_ASSET);
    expect(html).not.toContain(HOSTILE_USER);
    expect(html).not.toContain('\u202e');
    const asset = escapeHtml(HOSTILE_ASSET);
    expect(asset).toBe('&lt;img src=x onerror=alert(1)&gt;');
    // The top-assets chart (label and tooltip) and the transition's sample.
    expect(html.split(asset).length - 1).toBe(3);
    expect(html).toContain(`<code>${escapeHtml(HOSTILE_USER)}</code>`);
    expect(escapeHtml(HOSTILE_USER)).toBe('carol&quot;&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain(`<code>logs/evil\ufffdgpj.jsonl:3</code>`);
    expect(HOSTILE_FILE).toContain('\u202e');
    expect(html).toContain('<td>timestamp: expected a number, found the string &quot;&lt;script&gt;&quot;</td>');
    expect(html).toContain('Compared with <code>policies/&lt;live&gt;.yaml</code>');
    expect(html).toContain('<title>Simulation report: policies/candidate.yaml</title>');
  });

  it('has every section and chart, and the comparison only with --against', () => {
    for (const id of SECTIONS) {
      expect(html).toContain(`<section id="${id}">`);
      expect(plain).toContain(`<section id="${id}">`);
    }
    expect(html).toContain('<section id="changes">');
    expect(plain).not.toContain('id="changes"');
    const charts = (doc: string): string[] => [...doc.matchAll(/<svg class="chart" role="img" aria-label="([^"]+)"/g)].map((m) => m[1]!);
    expect(charts(plain)).toEqual([
      'Decisions per 5 minutes, allowed and denied by reason',
      'Tokens charged per 5 minutes',
      'Money paid and refunded per 5 minutes, EUR',
      'Denied requests by reason',
      'Paywall funnel: users who hit the paywall, then paid, then used what they bought',
      'Requests for the most requested assets, allowed and denied',
      'Requests by the user’s tier, allowed and denied',
      'Decisions by the rule that made them',
      'Webhook deliveries by outcome',
    ]);
    expect(charts(html)).toEqual(charts(plain));
  });

  it('gives the headline figures, money exact in the policy currency', () => {
    expect(plain).toContain('<div class="name">Decisions</div><div class="value">4</div><div class="detail">allowed 2 (50.0%) · denied 2 (50.0%)</div>');
    expect(plain).toContain('<div class="name">Tokens charged</div><div class="value">3.5</div>');
    expect(plain).toContain('<div class="name">Net revenue</div><div class="value">0.00 EUR</div><div class="detail">gross 11.90 EUR · refunded 11.90 EUR · tax inside 1.90 EUR</div>');
    expect(plain).toContain('<div class="name">Paywall conversion</div><div class="value">100.0%</div><div class="detail">1 hit the paywall → 1 paid → 1 used it</div>');
    expect(plain).toContain('<div class="name">Rejected inputs</div><div class="value">1</div>');
    expect(html).toContain('<div class="name">Decisions changed</div><div class="value">2 <small>(50%)</small></div><div class="detail">of 4 · allow→deny 2 · deny→allow 0</div>');
    expect(plain).not.toContain('Decisions changed');
    expect(plain).toContain('<h3>Insufficient balance: 1 user, 1 denial</h3>');
    expect(plain).toContain('<h3>Revocations: 1</h3>');

    const yen = new ReportBuilder('JPY');
    yen.event({ time: T, outcome: 'applied', kind: 'payment.succeeded', userId: 'u', currency: 'JPY', paidMinor: 1_234_567, taxMinor: 0 });
    const doc = renderReportHtml({ report: yen.finish() }, { file: 'p.yaml', hash: 'h', currency: 'JPY' });
    expect(doc).toContain('<div class="value">1,234,567 JPY</div>');
  });

  it('draws the time charts from the timeline, with the --against policy as dashed step lines', () => {
    expect(plain.split('stroke-dasharray="5 3"').length - 1).toBe(0);
    // decisions: allowed before; tokens: before; revenue: paid and refunded before.
    expect(html.split('stroke-dasharray="5 3"').length - 1).toBe(4);
    // The bucket of request r2 (00:20–00:25): denied at the paywall now, allowed by legacy_free before.
    expect(html).toContain('<g><title>24 Nov 2025 00:20–00:25 UTC\nallowed 0\ndenied: insufficient_balance 0\ndenied: upgrade_required 1\nallowed before 1</title>');
    // r4 (03:00–03:05): 18 tokens before, none now.
    expect(html).toContain('<g><title>24 Nov 2025 03:00–03:05 UTC\ntokens charged 0\ntokens before 18</title>');
    expect(html).toContain('<g><title>24 Nov 2025 01:00–01:05 UTC\npaid 11.90\nrefunded 0.00\npaid before 11.90\nrefunded before 0.00</title>');
    // The first bucket holds r1: an allowed bar of 1 decision, full height (the axis goes 0 … 1).
    expect(plain).toMatch(/<g><title>24 Nov 2025 00:10–00:15 UTC\nallowed 1\n[^<]*<\/title><rect [^>]*fill="transparent"\/><rect x="[\d.]+" y="26" width="[\d.]+" height="184" fill="#2f855a"\/><\/g>/);
  });

  it('lists the transitions with their samples, the per-user change and the rules', () => {
    expect(html).toContain('<tr><td><code>allow:legacy_free</code></td><td><code>deny:upgrade_required</code></td><td class="num">1</td><td class="num">50.0%</td></tr>');
    expect(html).toContain('<tr class="samples"><td colspan="4"><details open><summary>1 sample request</summary>');
    expect(html).toContain(
      `<td><code>r2</code></td><td><span class="nowrap">2025-11-24 00:20:00 UTC</span></td><td><code>bob</code></td><td><code>${escapeHtml(HOSTILE_ASSET)}</code></td><td>allowed by <code>legacy_free</code></td><td>denied by <code>paywall</code>: <code>upgrade_required</code></td>`,
    );
    expect(html).toContain('<td>allowed by <code>model_inference</code>, charged 18</td><td>denied by <code>model_inference</code>: <code>insufficient_balance</code> (cost 18)</td>');
    expect(html).toContain('<details><summary>1 sample request</summary>');
    expect(html).toContain('2 of 3 users are affected: 0 would be charged more, 1 less. Change in tokens charged per affected user: median -18, 95th percentile 0, largest increase 0, largest decrease -18.');
    expect(html).toContain(`<tr><td><code>${escapeHtml(HOSTILE_USER)}</code></td><td class="num">18</td><td class="num">0</td><td class="num"><span class="down">-18</span></td></tr>`);
    expect(html).toContain('<tr><td><code>paywall</code></td><td class="num">0</td><td class="num">1</td><td class="num">+1</td></tr>');
    expect(html).toContain('<tr><td>Tokens charged</td><td class="num">21.5</td><td class="num">3.5</td><td class="num">-18 (-83.72%)</td></tr>');
    expect(html).toContain('<tr><td>Net revenue, EUR</td><td class="num">0.00</td><td class="num">0.00</td><td class="num">0.00 (0%)</td></tr>');
  });

  it('gives the same bytes for the same run', () => {
    expect(renderReportHtml(fixtureOutcome(true), INFO)).toBe(html);
    expect(renderReportHtml(fixtureOutcome(false), plainInfo)).toBe(plain);
  });

  it('renders a run with nothing in it', () => {
    const doc = renderReportHtml({ report: new ReportBuilder('USD').finish() }, { file: 'p.yaml', hash: 'h', currency: 'USD' });
    expect(doc).toContain('Period: no decisions or payments');
    expect(doc.split('nothing to show').length - 1).toBe(3 + 4); // three time charts; reasons, assets, tiers, rules
    expect(doc).toContain('<p class="note">Every input was used.</p>');
  });
});

describe('chart helpers', () => {
  it('pick nice tick steps', () => {
    expect([niceStep(60, 4, 1), niceStep(7, 4, 1), niceStep(1, 4, 1), niceStep(0.3, 4, 0), niceStep(0, 4, 1), niceStep(33_558, 4, 1)]).toEqual([20, 2, 1, 0.1, 1, 10_000]);
  });

  it('label the x axis at round UTC times: midnights for a fortnight of 3-hour buckets', () => {
    const start = T - 6 * 3_600_000; // Sunday 18:00
    const starts = Array.from({ length: 112 }, (_, i) => start + i * 3 * 3_600_000);
    const idx = labelled(starts, 3 * 3_600_000);
    expect(idx.map((i) => utcLabel(starts[i]!, true))).toEqual(['24 Nov 2025 00:00', '26 Nov 2025 00:00', '28 Nov 2025 00:00', '30 Nov 2025 00:00', '2 Dec 2025 00:00', '4 Dec 2025 00:00', '6 Dec 2025 00:00']);
    expect(labelled([], 60_000)).toEqual([]);
    expect(labelled([7 * 60_000 + 1], 7 * 60_000)).toEqual([0]);
  });

  it('write times in UTC, and times beyond the calendar as numbers', () => {
    expect(utcLabel(T + 90 * 60_000, true)).toBe('24 Nov 2025 01:30');
    expect(utcLabel(1e300, true)).toBe('1e+300');
    expect(bucketLabel(T, 3 * 3_600_000)).toBe('24 Nov 2025 00:00–03:00 UTC');
    expect(bucketLabel(T, 86_400_000)).toBe('24 Nov 2025 (UTC)');
    expect(bucketLabel(T, 7 * 86_400_000)).toBe('24 Nov 2025 – 30 Nov 2025 (UTC)');
  });
});
