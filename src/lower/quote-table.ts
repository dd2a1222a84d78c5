/**
 * Lowering the asset matrix and tax of a policy into the quote engine's table: every price in
 * integer minor units of the currency, every bundle's line amount and saving computed exactly
 * (decimal × decimal, rounded half-even once), tax rates as integer ratios. The engine then only
 * adds and applies rates; nothing it ships has to parse a decimal.
 */
import type { Policy } from '../policy/model.js';
import { currencyExponent } from '../money/currencies.js';
import { COUNTRY_CODES, EU_MEMBER_STATES } from '../money/countries.js';
import { addDecimals, mulDecimals, parseDecimal, ratioOf, rescale, toMinorUnits, type Decimal } from '../money/decimal.js';
import type { QuoteAsset, QuoteBundle, QuoteTable, QuoteTaxRule, Ratio } from '../money/engine.js';
import { VAT_RATES_AS_OF, VAT_STANDARD_RATES } from '../money/vat.js';

/** The price of an asset without its own when the policy has no registry and no `default_price`. */
const UNIT_PRICE = '1';

/** Exact price of each priceable asset id, for bundles; the quote table. */
export function quoteTable(policy: Policy): QuoteTable {
  const exponent = currencyExponent(policy.currency);
  if (exponent === undefined) throw new Error(`internal: currency '${policy.currency}' reached lowering unchecked`);
  const registry = policy.assets.length > 0;
  const minor = (d: Decimal): number => safe(toMinorUnits(d, exponent), 'a price');
  // Without a registry every asset is priced at default_price (1 when unset); with one, only
  // registry assets are known and an unpriced one needs an explicit default_price.
  const defaultText = policy.defaultPrice ?? (registry ? undefined : UNIT_PRICE);
  const defaultPrice = defaultText === undefined ? undefined : decimal(defaultText);

  const exact = new Map<string, Decimal>();
  const taxCodes = new Map<string, string | null>();
  const assets: QuoteAsset[] = policy.assets.map((a) => {
    const price = a.price === undefined ? defaultPrice : decimal(a.price);
    if (price !== undefined) exact.set(a.id, price);
    taxCodes.set(a.id, a.taxCode ?? null);
    return { id: a.id, minor: a.price === undefined ? null : minor(price!), taxCode: a.taxCode ?? null };
  });
  const priceOf = (id: string): Decimal | undefined => exact.get(id) ?? (registry ? undefined : defaultPrice);

  const bundles: QuoteBundle[] = [];
  for (const b of policy.bundles) {
    const prices = b.assets.map(priceOf);
    // A bundle naming an asset that cannot be priced can never apply: quoting that asset fails.
    if (prices.some((p) => p === undefined) || new Set(b.assets).size !== b.assets.length) continue;
    const sum = (prices as Decimal[]).reduce(addDecimals, { units: 0n, scale: 0 });
    const amount = minor(mulDecimals(sum, decimal(b.multiplierText)));
    const singles = (prices as Decimal[]).reduce((s, p) => s + minor(p), 0);
    const parts = apportion(
      amount,
      b.assets.map((id, i) => [taxCodes.get(id) ?? null, prices[i]!] as const),
    );
    bundles.push({ id: b.id, assets: b.assets, minor: amount, saving: safe(BigInt(singles) - BigInt(amount), 'a bundle saving'), parts });
  }

  const usesVat = policy.tax?.rules.some((r) => r.rate === 'vat') ?? false;
  const vat: Record<string, Ratio> = {};
  if (usesVat) for (const c of EU_MEMBER_STATES) vat[c] = ratio(decimal(VAT_STANDARD_RATES[c]!));
  const tax = policy.tax
    ? {
        inclusive: policy.tax.inclusive,
        defaultCode: policy.tax.defaultCode ?? null,
        rules: policy.tax.rules.map(
          (r): QuoteTaxRule => ({
            countries: [...new Set(r.region.flatMap((code) => (code === 'EU' ? EU_MEMBER_STATES : [code])))],
            code: r.code,
            rate: r.rate === 'vat' ? null : ratio(decimal(r.rateText ?? String(r.rate))),
            reverseCharge: r.reverseCharge,
          }),
        ),
      }
    : null;

  return {
    currency: policy.currency,
    exponent,
    registry,
    assets,
    defaultMinor: defaultPrice === undefined ? null : minor(defaultPrice),
    bundles,
    tax,
    vat,
    vatRatesAsOf: VAT_RATES_AS_OF,
    countries: COUNTRY_CODES.join(''),
  };
}

function decimal(text: string): Decimal {
  const d = parseDecimal(text);
  if (d === undefined) throw new Error(`internal: '${text}' reached lowering without being checked as a decimal`);
  return d;
}

function safe(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`internal: ${what} reached lowering beyond the exact range`);
  return Number(n);
}

function ratio(d: Decimal): Ratio {
  const [n, den] = ratioOf(d);
  return [safe(n, 'a rate'), safe(den, 'a rate')];
}

/**
 * A bundle's amount split among its assets' tax codes in proportion to their exact prices: each
 * code gets the floor of its share, and the minor units left go one each to the largest
 * remainders (earlier code first on equal remainders). One code: the whole amount.
 */
function apportion(amount: number, assets: readonly (readonly [string | null, Decimal])[]): [string | null, number][] {
  const groups = new Map<string | null, Decimal>();
  for (const [code, price] of assets) groups.set(code, addDecimals(groups.get(code) ?? { units: 0n, scale: 0 }, price));
  if (groups.size === 1) return [[[...groups.keys()][0]!, amount]];
  const scale = Math.max(...[...groups.values()].map((d) => d.scale));
  const weights = [...groups].map(([code, d]) => [code, rescale(d, scale)] as const);
  const total = weights.reduce((s, [, w]) => s + w, 0n);
  if (total === 0n) return weights.map(([code]) => [code, 0]);
  const A = BigInt(amount);
  const shares = weights.map(([code, w], i) => ({ code, i, floor: (A * w) / total, rem: (A * w) % total }));
  let left = A - shares.reduce((s, x) => s + x.floor, 0n);
  const order = [...shares].sort((x, y) => (x.rem === y.rem ? x.i - y.i : x.rem > y.rem ? -1 : 1));
  for (const x of order) {
    if (left === 0n) break;
    x.floor += 1n;
    left -= 1n;
  }
  return shares.map((x) => [x.code, Number(x.floor)]);
}


