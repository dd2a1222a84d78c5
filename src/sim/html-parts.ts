/**
 * Pieces the HTML report is assembled from: number formats (exact money through `formatMinor`,
 * tokens from micro-tokens), tables, figure cards and the colours every chart shares. Every piece
 * of text from the inputs goes through `escapeHtml` here or in svg.ts, nowhere else.
 */
import { escapeHtml } from '../diag/escape.js';
import { fromMicro, toMicro } from '../ledger/model.js';
import { formatMinor } from '../money/format.js';

/** Colours: one per meaning, the same in every chart. */
export const COLORS = {
  allowed: '#2f855a',
  denied: '#dd6b20',
  tokens: '#2b6cb0',
  paid: '#2f855a',
  refunded: '#c53030',
  before: '#111827',
  funnel: '#2b6cb0',
  other: '#a0aec0',
} as const;

/** The reasons every policy can give keep their colour from report to report. */
const KNOWN_REASONS: Readonly<Record<string, string>> = {
  upgrade_required: '#dd6b20',
  insufficient_balance: '#c53030',
  no_matching_policy: '#805ad5',
  invalid_request: '#742a2a',
};
/** Colours for a policy's own reasons, in the order the timeline ranks them. */
const REASON_PALETTE = ['#d69e2e', '#b83280', '#319795', '#975a16', '#553c9a', '#2c7a7b'] as const;

/** The colour of each denial reason the timeline names, in its order; `other` for the rest. */
export function reasonColors(reasons: readonly string[], other: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  let next = 0;
  for (const r of reasons) {
    if (r === other) out.set(r, COLORS.other);
    else if (Object.hasOwn(KNOWN_REASONS, r)) out.set(r, KNOWN_REASONS[r]!);
    else out.set(r, REASON_PALETTE[next++ % REASON_PALETTE.length]!);
  }
  return out;
}

/** A whole number grouped in thousands: `12,345`. */
export function count(v: number): string {
  return Number.isSafeInteger(v) ? formatMinor(v, 0) : String(v);
}

/** `part` of `whole` as a percentage with one decimal (`0%` of nothing). */
export function pct(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Tokens from micro-tokens, exact, without trailing zeros: `8,313.2`. */
export function microTokens(micro: number): string {
  if (!Number.isSafeInteger(micro)) return String(fromMicro(micro));
  const text = formatMinor(micro, 6);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Tokens given as a number of tokens (the diff's figures), shown as `microTokens` does. */
export function tokens(v: number): string {
  return microTokens(toMicro(v));
}

/** A signed change: `+12`, `-3`, `0`. */
export function signed(text: string, v: number): string {
  return v > 0 ? `+${text}` : text;
}

/** Money in minor units of the report's currency, with the currency code or without (axes, tables with a unit). */
export type Money = (minor: number, withCurrency?: boolean) => string;

/** The money formatter for a currency with `exponent` decimals. */
export function moneyFormat(exponent: number, currency: string): Money {
  return (minor, withCurrency = true) => (Number.isSafeInteger(minor) ? formatMinor(minor, exponent, withCurrency ? currency : undefined) : String(minor));
}

/** A table: header cells and rows of cells, both already HTML (escape untrusted text first). */
export function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const cell = (tag: string, c: string, i: number): string => `<${tag}${numeric.includes(i) ? ' class="num"' : ''}>${c}</${tag}>`;
  const thead = `<thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n')}</tbody>`;
  return `<table>${thead}\n${tbody}</table>`;
}

/** Untrusted text as code: `<code>…</code>`, escaped. */
export function code(s: string): string {
  return `<code>${escapeHtml(s)}</code>`;
}

/** One headline figure: a big value, its name and a line of detail (all HTML). */
export function card(name: string, value: string, detail: string): string {
  return `<div class="card"><div class="name">${name}</div><div class="value">${value}</div><div class="detail">${detail}</div></div>`;
}

/** A section with a heading and an id to link to. */
export function section(id: string, title: string, body: readonly string[]): string {
  return `<section id="${id}">\n<h2>${title}</h2>\n${body.join('\n')}\n</section>`;
}

/** A chart in a figure, with its legend and a caption saying how to read it. */
export function figure(svg: string, caption: string, legendHtml = ''): string {
  return `<figure>\n${legendHtml}${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

/** Object entries in their (already sorted) order, own properties only. */
export function entries(o: Readonly<Record<string, number>>): [string, number][] {
  return Object.keys(o).map((k) => [k, o[k]!]);
}

/** A count from an object by key, 0 when the key is not its own. */
export function countOf(o: Readonly<Record<string, number>> | undefined, key: string): number {
  return o !== undefined && Object.hasOwn(o, key) ? o[key]! : 0;
}
