/** Rendering quote explanations: the stable JSON shape and the terminal form. */
import { Chalk } from 'chalk';
import { oneLine as safe } from '../diag/escape.js';
import type { Quote, QuoteError } from '../money/engine.js';
import { formatMinor, formatRate } from '../money/format.js';
import type { QuoteExplanation, TaxMatch } from './quote-explain.js';

/** The `explain --quote --format json` shape: the engine's quote, the covers, the tax rule. */
export function quoteExplanationJson(e: QuoteExplanation): unknown {
  return {
    quote: e.quote,
    ...(e.covers
      ? {
          covers: e.covers.shown.map((c) => ({ bundles: c.bundles, subtotalMinor: c.subtotalMinor, chosen: c.chosen, ...(c.why === undefined ? {} : { why: c.why }) })),
          coverCount: e.covers.count,
          coversComplete: e.covers.complete,
        }
      : {}),
    ...(e.tax ? { tax: taxJson(e.tax) } : {}),
  };
}

function taxJson(t: TaxMatch): unknown {
  return {
    ...(t.country === undefined ? {} : { country: t.country }),
    rule: t.ruleIndex ?? null,
    ...(t.region === undefined ? {} : { region: t.region }),
    code: t.code,
    rate: t.rate,
    vat: t.vat,
    reverseCharge: t.reverseCharge,
    inclusive: t.inclusive,
    ...(t.noRule === undefined ? {} : { noRule: t.noRule }),
    vatRatesAsOf: t.vatRatesAsOf,
  };
}

/** One line for a quote that could not be given: `unknown_asset: asset 'x' is not …`. */
export function quoteErrorText(q: QuoteError): string {
  return `${q.error}: ${safe(q.message)}`;
}

/** The lines, subtotal, tax and total of a quote, aligned, money in major units. */
export function quoteLinesPretty(q: Quote, exponent: number, color: boolean): string[] {
  const c = new Chalk({ level: color ? 1 : 0 });
  const money = (minor: number): string => formatMinor(minor, exponent, q.currency);
  const rows = q.lines.map((l) => [l.bundleId === undefined ? safe(l.assets[0] ?? '') : `${safe(l.bundleId)} (${l.assets.map(safe).join(', ')})`, money(l.amountMinor), `tax ${money(l.taxMinor)}${l.taxCode === undefined ? '' : ` ${safe(l.taxCode)}`}`] as const);
  const taxDetail = q.tax.map((t) => `${safe(t.code)} ${formatRate(t.rate)}: ${money(t.amountMinor)}${t.reverseCharge ? ', reverse charge' : ''}`).join('; ');
  const totals = [
    ['subtotal', money(q.subtotalMinor), ''],
    ['tax', money(q.taxMinor), taxDetail ? `(${taxDetail})` : ''],
    ['total', money(q.totalMinor), q.inclusive ? '(prices include tax: the total is the subtotal)' : ''],
  ] as const;
  const w0 = Math.max(...rows.map((r) => r[0].length), ...totals.map((t) => t[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length), ...totals.map((t) => t[1].length));
  const out: string[] = [];
  for (const [what, amount, tax] of rows) out.push(`  ${what.padEnd(w0)}  ${amount.padStart(w1)}  ${c.dim(tax)}`);
  for (const [what, amount, note] of totals) out.push(`  ${(what === 'total' ? c.bold(what) : what) + ' '.repeat(w0 - what.length)}  ${what === 'total' ? c.bold(amount.padStart(w1)) : amount.padStart(w1)}${note ? `  ${c.dim(note)}` : ''}`);
  out.push(`  ${c.dim(`${q.country === undefined ? 'no buyer country' : `buyer in ${q.country}`}; VAT rates as of ${q.vatRatesAsOf}`)}`);
  return out;
}

/** The tax rule that matched, in words. */
export function taxMatchText(t: TaxMatch): string {
  const codeWords = (code: string | null): string => (code === null ? 'no tax code' : `code ${safe(code)}`);
  if (t.noRule === 'no_tax') return 'no rule: the policy has no tax section, rate 0';
  if (t.noRule !== undefined) {
    const why = t.noRule === 'no_country' ? 'the request names no country' : `no rule's region holds ${t.country}`;
    return `no rule (${why}): ${t.code === null ? 'no default code' : `default code ${safe(t.code)}`}, rate 0`;
  }
  const rule = `tax.rules[${t.ruleIndex}]${t.region ? ` (region ${t.region.map(safe).join(', ')})` : ''} holds ${t.country}`;
  if (t.reverseCharge) return `${rule}: ${codeWords(t.code)}, reverse charge (the rule allows it and the buyer gave a VAT id): rate 0`;
  const source = t.vat ? ` (the standard VAT rate of ${t.country}, as of ${t.vatRatesAsOf})` : '';
  return `${rule}: ${codeWords(t.code)}, rate ${formatRate(t.rate)}${source}${t.inclusive ? ', prices include tax' : ''}`;
}

/**
 * Human-readable quote explanation: the quote, the bundle covers considered (the chosen one
 * marked, every other with why it lost), the tax rule matched. Asset, bundle and tax-code names
 * come from the policy and the command line and go through `safe`.
 */
export function quoteExplanationPretty(e: QuoteExplanation, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const q = e.quote;
  const lines: string[] = [];
  if ('error' in q) {
    lines.push(`quote: ${c.red.bold('ERROR')} ${quoteErrorText(q)}`);
    return `${lines.join('\n')}\n`;
  }
  const money = (minor: number): string => formatMinor(minor, e.exponent, e.currency);
  lines.push(`quote: ${c.bold(money(q.totalMinor))} for ${e.assetIds.length} asset${e.assetIds.length === 1 ? '' : 's'}`);
  lines.push(...quoteLinesPretty(q, e.exponent, color));
  if (e.covers) {
    const k = e.covers;
    const counted = k.complete ? `${k.count}` : `at least ${k.count}`;
    lines.push('', `Bundle covers considered (${counted}; ${k.applicable} bundle${k.applicable === 1 ? ' applies' : 's apply'}), pre-tax subtotal:`);
    const names = k.shown.map((cv) => (cv.bundles.length === 0 ? '(no bundle: every asset on its own line)' : cv.bundles.map(safe).join(' + ')));
    const w0 = Math.max(...names.map((n) => n.length));
    const amounts = k.shown.map((cv) => money(cv.subtotalMinor));
    const w1 = Math.max(...amounts.map((a) => a.length));
    k.shown.forEach((cv, i) => {
      const mark = cv.chosen ? c.green('✓') : c.dim('·');
      lines.push(`  ${mark} ${names[i]!.padEnd(w0)}  ${amounts[i]!.padStart(w1)}  ${cv.chosen ? c.green('chosen') : c.dim(safe(cv.why ?? ''))}`);
    });
    const hidden = k.count - k.shown.length;
    if (hidden > 0 || !k.complete) lines.push(`  ${c.dim(`… and ${k.complete ? '' : 'at least '}${hidden} more cover${hidden === 1 ? '' : 's'}, none cheaper than the chosen one${k.complete ? '' : ' (the list stopped at the cap; the chosen cover is the quote engine\'s own)'}`)}`);
  }
  if (e.tax) lines.push('', `tax: ${taxMatchText(e.tax)}`);
  return `${lines.join('\n')}\n`;
}
