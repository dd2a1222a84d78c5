/**
 * Checks of the money in a policy that a JSON Schema cannot make: the currency against the ISO 4217
 * table, tax regions against the ISO 3166-1 country codes, `rate: vat` only where the VAT table
 * has a rate, and every price and bundle within what integer minor units count exactly.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { didYouMean } from '../diag/suggest.js';
import { CODES_WITHOUT_MINOR_UNIT, CURRENCY_CODES, currencyExponent } from '../money/currencies.js';
import { EU_MEMBER_STATES, isCountryCode, COUNTRY_CODES } from '../money/countries.js';
import { addDecimals, MAX_SCALE, mulDecimals, parseDecimal, toMinorUnits, type Decimal } from '../money/decimal.js';
import { vatStandardRate } from '../money/vat.js';
import type { Span } from '../diag/source.js';
import type { Policy } from './model.js';

const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);
/** ISO 3166-1 has no EL or UK: the codes people write for Greece and the United Kingdom. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = { EL: 'GR', UK: 'GB' };

export function checkMoney(policy: Policy): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = policy.file;
  const exponent = currencyExponent(policy.currency);
  // A code of another shape was reported by the shape check already.
  if (exponent === undefined && /^[A-Z]{3}$/.test(policy.currency)) {
    const span = policy.currencySpan ?? { start: 0, end: 0 };
    const noMinor = CODES_WITHOUT_MINOR_UNIT.includes(policy.currency);
    const message = noMinor
      ? `currency '${policy.currency}' is an ISO 4217 code without a minor unit (a metal or unit of account): prices cannot be counted in it`
      : `currency '${policy.currency}' is not an ISO 4217 currency code`;
    // A metal or unit-of-account code is no typo: a look-alike currency (XAU → XAF) would mislead.
    const hint = noMinor ? 'price in a currency such as USD or EUR' : (didYouMean(policy.currency, CURRENCY_CODES) ?? 'use a code such as USD, EUR or JPY');
    out.push(diag('M117', file, span, message, { hint }));
  }

  for (const rule of policy.tax?.rules ?? []) {
    for (const [i, code] of rule.region.entries()) {
      if (code === 'EU' || isCountryCode(code) || !/^[A-Z]{2}$/.test(code)) continue;
      const alias = COUNTRY_ALIASES[code.toUpperCase()];
      const hint = alias ? `ISO 3166-1 writes it '${alias}'` : (didYouMean(code.toUpperCase(), [...COUNTRY_CODES, 'EU']) ?? 'use an uppercase ISO 3166-1 alpha-2 code such as DE, or EU');
      out.push(diag('M118', file, rule.regionSpans[i] ?? rule.regionSpan, `tax region '${code}' is not an ISO 3166-1 alpha-2 country code or EU`, { hint }));
    }
    if (rule.rate === 'vat') {
      const outside = rule.region.filter((c) => c !== 'EU' && isCountryCode(c) && vatStandardRate(c) === undefined);
      if (outside.length > 0) {
        out.push(diag('M119', file, rule.regionSpan, `rate: vat has no rate for ${outside.map((c) => `'${c}'`).join(', ')}: the built-in VAT table holds the ${EU_MEMBER_STATES.length} EU member states`, { hint: 'give these countries a rule with a numeric rate, e.g. rate: 0.2' }));
      }
    }
  }

  if (exponent !== undefined) {
    const tooLarge = (d: Decimal | undefined): boolean => d !== undefined && toMinorUnits(d, exponent) > MAX_MINOR;
    const inexact = (text: string | undefined, span: Span, what: string): void => {
      if (text !== undefined && parseDecimal(text) === undefined) out.push(diag('M120', file, span, `${what} ${text} has more than ${MAX_SCALE} decimal places`, { hint: 'round it to the precision you mean' }));
    };
    inexact(policy.defaultPrice, policy.defaultPriceSpan ?? { start: 0, end: 0 }, 'default_price');
    for (const a of policy.assets) inexact(a.price, a.priceSpan ?? a.span, 'price');
    for (const b of policy.bundles) inexact(b.multiplierText, b.multiplierSpan, 'price_multiplier');
    for (const r of policy.tax?.rules ?? []) inexact(r.rateText, r.span, 'rate');
    const prices = new Map<string, Decimal>();
    const defaultPrice = policy.defaultPrice === undefined ? undefined : parseDecimal(policy.defaultPrice);
    if (tooLarge(defaultPrice)) out.push(diag('M120', file, policy.defaultPriceSpan!, `default_price ${policy.defaultPrice} ${policy.currency} is too large to count exactly in minor units`));
    for (const a of policy.assets) {
      const price = a.price === undefined ? defaultPrice : parseDecimal(a.price);
      if (price !== undefined) prices.set(a.id, price);
      if (a.price !== undefined && tooLarge(price)) out.push(diag('M120', file, a.priceSpan ?? a.span, `price ${a.price} ${policy.currency} of asset '${a.id}' is too large to count exactly in minor units`));
    }
    for (const b of policy.bundles) {
      const parts = b.assets.map((id) => prices.get(id) ?? (policy.assets.length === 0 ? (defaultPrice ?? { units: 1n, scale: 0 }) : undefined));
      if (parts.some((p) => p === undefined)) continue;
      const sum = (parts as Decimal[]).reduce(addDecimals, { units: 0n, scale: 0 });
      const mult = parseDecimal(b.multiplierText);
      if (tooLarge(sum) || (mult !== undefined && tooLarge(mulDecimals(sum, mult)))) {
        out.push(diag('M120', file, b.span, `bundle '${b.id}' adds up to more than can be counted exactly in minor units of ${policy.currency}`));
      }
    }
  }
  return out;
}
