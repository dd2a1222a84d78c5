/** `monetize quote <policy> --assets a,b,… [--user <json|@file>]`: bundle and tax pricing of a basket. */
import { Chalk, type ChalkInstance } from 'chalk';
import { oneLine as safe } from '../../diag/escape.js';
import { closest, didYouMean } from '../../diag/suggest.js';
import { isCountryCode } from '../../money/countries.js';
import { createQuoter, MAX_QUOTE_ASSETS, type Quote, type QuoteError, type QuoteTable } from '../../money/engine.js';
import { formatMinor, formatRate } from '../../money/format.js';
import { EXIT, UsageError } from '../exit.js';
import { useColor, type Io } from '../io.js';
import { readJsonArg } from '../json-arg.js';
import { loadChecked } from '../load-checked.js';

interface QuoteFlags {
  assets: string;
  user?: string;
  format: 'pretty' | 'json';
}

/** The keys of the buyer's context that pricing reads. */
const READ_KEYS = ['country', 'vatId'] as const;

/** Codes people write for a country that ISO 3166-1 spells otherwise. */
const COUNTRY_ALIASES: Readonly<Record<string, { iso: string; why: string }>> = {
  EL: { iso: 'GR', why: "EL is the EU's own code for Greece" },
  UK: { iso: 'GB', why: 'UK is not an ISO 3166-1 code' },
};

/** Run the quote command. */
export function quoteCommand([policyPath, flags]: [string, QuoteFlags], io: Io): number {
  const assetIds = parseAssets(flags.assets);
  const user = flags.user === undefined ? undefined : parseUser(flags.user);
  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  const table = checked.ir.quote;
  const q = createQuoter(table)(assetIds, user === undefined ? undefined : { context: user });
  if ('error' in q) {
    const hint = errorHint(q, table, user);
    io.err(`monetize: error: ${safe(q.message)}\n${hint === undefined ? '' : `  = help: ${hint}\n`}`);
    return EXIT.usage;
  }
  if (flags.format === 'json') io.out(`${JSON.stringify(q, null, 2)}\n`);
  else io.out(quotePretty(q, table.exponent, useColor(io, 'pretty')));
  return EXIT.ok;
}

/** `a,b,c` → ids; an empty list or an empty item is a usage error (it is a typo, not an asset). */
function parseAssets(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim());
  if (ids.length === 1 && ids[0] === '') throw new UsageError('--assets is empty: name at least one asset id', 'for example --assets model:llm-base,dataset:training-corpus');
  const empty = ids.findIndex((s) => s === '');
  if (empty >= 0) throw new UsageError(`--assets: item ${empty + 1} of ${ids.length} is empty`, 'separate asset ids with single commas, without a trailing comma: --assets a,b,c');
  return ids;
}

/** The buyer's context: a JSON object, without a misspelt key that pricing would silently ignore. */
function parseUser(value: string): Record<string, unknown> {
  const user = readJsonArg('--user', value);
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new UsageError('--user must be a JSON object, the buyer\'s context', `for example --user '{"country": "DE", "vatId": "DE123456789"}'`);
  }
  for (const key of Object.keys(user)) {
    if ((READ_KEYS as readonly string[]).includes(key)) continue;
    const meant = closest(key, READ_KEYS);
    if (meant !== undefined) throw new UsageError(`--user: '${safe(key)}' is not a key pricing reads, so it would be ignored`, `did you mean '${meant}'?`);
  }
  return user as Record<string, unknown>;
}

/** The `= help:` line for a quote that cannot be given: what to change. */
function errorHint(e: QuoteError, table: QuoteTable, user: Record<string, unknown> | undefined): string | undefined {
  const id = e.assetId === undefined ? '' : safe(e.assetId);
  switch (e.error) {
    case 'unknown_asset':
      return didYouMean(e.assetId ?? '', table.assets.map((a) => a.id)) ?? `add '${id}' to the policy's assets registry, or check the id`;
    case 'no_price':
      return `give '${id}' a price in the policy's assets registry, or set default_price`;
    case 'duplicate_asset':
      return `name '${id}' once in --assets`;
    case 'unknown_country':
      return countryHint(user?.country);
    case 'too_many_assets':
      return `split the basket into quotes of at most ${MAX_QUOTE_ASSETS} assets`;
    case 'too_complex':
      return 'split the basket into smaller quotes';
    case 'amount_too_large':
      return 'quote fewer assets at once, or check the prices in the policy';
    case 'invalid_request':
      return `--user must be a JSON object such as '{"country": "DE"}'`;
    case 'invalid_assets':
      return 'name asset ids separated by commas: --assets a,b,c';
  }
}

function countryHint(country: unknown): string {
  const example = 'use the two-letter ISO 3166-1 code: DE for Germany, GR for Greece, GB for the United Kingdom';
  if (typeof country !== 'string') return `give "country" as a string; ${example}`;
  const alias = COUNTRY_ALIASES[country.toUpperCase()];
  if (alias !== undefined) return `${alias.why}; the ISO code is ${alias.iso} (${safe(country)} → ${alias.iso})`;
  if (isCountryCode(country.toUpperCase())) return `country codes are upper case: '${country.toUpperCase()}'`;
  return example;
}

/**
 * An invoice-like table: one row per line (bundle or "—", its assets, amount), then subtotal, one
 * row per tax line, total, and a footer saying where the tax comes from. Ids come from the policy
 * and the command line, so they pass through `safe`.
 */
export function quotePretty(q: Quote, exponent: number, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const money = (minor: number) => formatMinor(minor, exponent, q.currency);
  const rows: { label: string; assets: string; amount: string; style?: ChalkInstance }[] = q.lines.map((l) => ({
    label: l.bundleId === undefined ? '—' : safe(l.bundleId),
    assets: l.assets.map(safe).join(', '),
    amount: money(l.amountMinor),
  }));
  const labelWidth = Math.max('bundle'.length, ...rows.map((r) => r.label.length));
  const assetWidth = Math.max('assets'.length, ...rows.map((r) => r.assets.length));
  const sums: { label: string; amount: string; bold?: boolean }[] = [
    { label: 'subtotal', amount: money(q.subtotalMinor) },
    ...q.tax.map((t) => ({
      label: `${q.inclusive ? 'incl. tax' : 'tax'} ${safe(t.code)} ${formatRate(t.rate)}${t.reverseCharge ? ' (reverse charge)' : ''}`,
      amount: money(t.amountMinor),
    })),
    { label: 'total', amount: money(q.totalMinor), bold: true },
  ];
  const left = Math.max(labelWidth + 2 + assetWidth, ...sums.map((s) => s.label.length));
  const amountWidth = Math.max('amount'.length, ...rows.map((r) => r.amount.length), ...sums.map((s) => s.amount.length));
  const out: string[] = [];
  out.push(c.bold(`${'bundle'.padEnd(labelWidth)}  ${'assets'.padEnd(left - labelWidth - 2)}  ${'amount'.padStart(amountWidth)}`));
  for (const r of rows) {
    const label = r.label === '—' ? c.dim(r.label.padEnd(labelWidth)) : r.label.padEnd(labelWidth);
    out.push(`${label}  ${r.assets.padEnd(left - labelWidth - 2)}  ${r.amount.padStart(amountWidth)}`);
  }
  out.push(c.dim('─'.repeat(left + 2 + amountWidth)));
  for (const s of sums) {
    const line = `${s.label.padEnd(left)}  ${s.amount.padStart(amountWidth)}`;
    out.push(s.bold ? c.bold(line) : line);
  }
  const where = q.country === undefined ? 'no country given: no tax rule applies' : `country ${safe(q.country)}`;
  const footer = [where, `VAT rates as of ${q.vatRatesAsOf}`, ...(q.inclusive ? ['prices include tax'] : [])].join(' · ');
  out.push('', c.dim(footer));
  return `${out.join('\n')}\n`;
}
