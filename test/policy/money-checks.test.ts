/**
 * src/policy/money-checks.ts: M117 unknown-currency, M118 unknown-region, M119 no-vat-rate and
 * M120 amount-out-of-range; and the ISO tables in src/money they check against.
 */
import { describe, expect, it } from 'vitest';
import { CODES_WITHOUT_MINOR_UNIT, CURRENCY_CODES, currencyExponent } from '../../src/money/currencies.js';
import { COUNTRY_CODES, EU_MEMBER_STATES, isCountryCode } from '../../src/money/countries.js';
import { VAT_STANDARD_RATES } from '../../src/money/vat.js';
import { frontEnd } from '../helpers/front-end.js';

const RULES = 'rules:\n  - id: everyone\n    action: {allow: true}\n';

/** Every diagnostic of the front end as `[code, message, underlined text, hint]`. */
function found(yaml: string): (readonly [string, string, string, string | undefined])[] {
  return frontEnd(yaml).diagnostics.map((d) => [d.code, d.message, yaml.slice(d.span.start, d.span.end), d.hint] as const);
}

const withCurrency = (currency: string) => `version: "1.0"\ncurrency: ${currency}\n${RULES}`;
const withTax = (region: string, rate: string) => `version: "1.0"\n${RULES}tax:\n  rules:\n    - region: ${region}\n      code: t\n      rate: ${rate}\n`;

describe('M117: the currency', () => {
  it('an uppercase code that is not ISO 4217 is M117, with a did-you-mean', () => {
    expect(found(withCurrency('EUX'))).toEqual([['M117', "currency 'EUX' is not an ISO 4217 currency code", 'EUX', "did you mean 'EUR'?"]]);
  });

  it('a code without a minor unit (gold) is M117, saying why', () => {
    const [d] = found(withCurrency('XAU'));
    expect(d?.slice(0, 3)).toEqual(['M117', "currency 'XAU' is an ISO 4217 code without a minor unit (a metal or unit of account): prices cannot be counted in it", 'XAU']);
    for (const code of ['XAG', 'XDR', 'XXX', 'XTS']) expect(found(withCurrency(code)).map((x) => x[0]), code).toEqual(['M117']);
  });

  it('a lowercase code is a shape error (M113) with the uppercase suggestion, reported once, not also M117', () => {
    expect(found(withCurrency('usd'))).toEqual([['M113', "currency must be a 3-letter uppercase ISO 4217 currency code such as USD or EUR, found 'usd'", 'usd', "did you mean 'USD'?"]]);
  });

  it('real currencies pass, including those with 0, 3 and 4 digits', () => {
    for (const code of ['USD', 'EUR', 'JPY', 'KWD', 'CLF', 'XCG', 'ZWG']) expect(found(withCurrency(code)), code).toEqual([]);
  });
});

describe('M118: tax regions', () => {
  it('hints the ISO spelling of EL (Greece) and UK (United Kingdom), and a did-you-mean otherwise', () => {
    expect(found(withTax('[EL, UK, DX, DE, EU]', '0.2'))).toEqual([
      ['M118', "tax region 'EL' is not an ISO 3166-1 alpha-2 country code or EU", 'EL', "ISO 3166-1 writes it 'GR'"],
      ['M118', "tax region 'UK' is not an ISO 3166-1 alpha-2 country code or EU", 'UK', "ISO 3166-1 writes it 'GB'"],
      ['M118', "tax region 'DX' is not an ISO 3166-1 alpha-2 country code or EU", 'DX', "did you mean 'AX'?"],
    ]);
  });

  it('a single code and every real code pass', () => {
    expect(found(withTax('GR', '0.24'))).toEqual([]);
    expect(found(withTax('[GB, NO, CH, US, AQ]', '0.2'))).toEqual([]);
  });
});

describe('M119: rate vat outside the EU', () => {
  it('names the countries the VAT table has no rate for, at the region', () => {
    expect(found(withTax('[DE, NO, EU, CH]', 'vat'))).toEqual([
      ['M119', "rate: vat has no rate for 'NO', 'CH': the built-in VAT table holds the 27 EU member states", '[DE, NO, EU, CH]', 'give these countries a rule with a numeric rate, e.g. rate: 0.2'],
    ]);
  });

  it('EU and member states pass; a numeric rate for Norway passes', () => {
    expect(found(withTax('[EU, DE, GR]', 'vat'))).toEqual([]);
    expect(found(withTax('NO', '0.25'))).toEqual([]);
  });
});

describe('M120: amounts out of range', () => {
  const assets = (...lines: string[]) => `version: "1.0"\nassets:\n${lines.map((l) => `  - ${l}\n`).join('')}${RULES}`;

  it('a price too large to count in minor units (1e20 USD)', () => {
    expect(found(assets('{id: a, price: 1e20}'))).toEqual([['M120', "price 1e20 USD of asset 'a' is too large to count exactly in minor units", '1e20', undefined]]);
  });

  it('the limit is 2^53 − 1 minor units, so it depends on the currency\'s digits', () => {
    expect(found(assets('{id: a, price: 90071992547409.91}'))).toEqual([]);
    expect(found(assets('{id: a, price: 90071992547409.92}')).map((d) => d[0])).toEqual(['M120']);
    expect(found(`version: "1.0"\ncurrency: JPY\nassets:\n  - {id: a, price: 9007199254740991}\n${RULES}`)).toEqual([]);
    expect(found(`version: "1.0"\ncurrency: KWD\nassets:\n  - {id: a, price: 9007199254740.992}\n${RULES}`).map((d) => d[0])).toEqual(['M120']);
  });

  it('a price with 19 decimal places', () => {
    expect(found(assets('{id: a, price: "0.1234567890123456789"}'))).toEqual([['M120', 'price 0.1234567890123456789 has more than 18 decimal places', '"0.1234567890123456789"', 'round it to the precision you mean']]);
    // 18 places, or 19 written with a trailing zero, are fine.
    expect(found(assets('{id: a, price: "0.123456789012345678"}', '{id: b, price: "0.1234567890123456780"}'))).toEqual([]);
  });

  it('a bundle whose prices add up past the limit, though each price fits', () => {
    const yaml = `${assets('{id: a, price: 50000000000000}', '{id: b, price: 50000000000000}')}bundles:\n  - id: huge\n    assets: [a, b]\n    price_multiplier: 0.5\n`;
    const out = found(yaml);
    expect(out.map(([code, message]) => [code, message])).toEqual([['M120', "bundle 'huge' adds up to more than can be counted exactly in minor units of USD"]]);
    expect(out[0]![2].startsWith('id: huge')).toBe(true);
  });

  it('a default_price too large, or too precise', () => {
    expect(found(`version: "1.0"\ndefault_price: 1e16\n${RULES}`).map((d) => [d[0], d[1], d[2]])).toEqual([['M120', 'default_price 1e16 USD is too large to count exactly in minor units', '1e16']]);
    expect(found(`version: "1.0"\ndefault_price: 1e-19\n${RULES}`).map((d) => [d[0], d[1]])).toEqual([['M120', 'default_price 1e-19 has more than 18 decimal places']]);
  });
});

describe('the ISO tables the checks use', () => {
  it('ISO 4217: 165 currencies with a minor unit, sorted, with the right exponents', () => {
    expect(CURRENCY_CODES).toHaveLength(165);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
    expect(CURRENCY_CODES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
    const withDigits = (n: number) => CURRENCY_CODES.filter((c) => currencyExponent(c) === n);
    expect(withDigits(0)).toEqual(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
    expect(withDigits(3)).toEqual(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
    expect(withDigits(4)).toEqual(['CLF', 'UYW']);
    expect(withDigits(2)).toHaveLength(165 - 17 - 7 - 2);
    for (const [code, digits] of [['USD', 2], ['EUR', 2], ['GBP', 2], ['CHF', 2], ['XCG', 2], ['ZWG', 2], ['SLE', 2], ['VES', 2], ['VED', 2]] as const) expect(currencyExponent(code), code).toBe(digits);
  });

  it('ISO 4217: withdrawn codes and codes without a minor unit are not currencies', () => {
    for (const code of ['HRK', 'DEM', 'FRF', 'LTL', 'LVL', 'EEK', 'VEF', 'MRO', 'STD', 'BYR', 'usd', 'US', '']) expect(currencyExponent(code), code).toBeUndefined();
    expect(CODES_WITHOUT_MINOR_UNIT).toEqual(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);
    for (const code of CODES_WITHOUT_MINOR_UNIT) expect(currencyExponent(code), code).toBeUndefined();
    // Lookups are own entries only.
    expect(currencyExponent('constructor')).toBeUndefined();
  });

  it('ISO 3166-1: 249 officially assigned alpha-2 codes, sorted and distinct', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    expect([...COUNTRY_CODES].sort()).toEqual(COUNTRY_CODES);
    expect(COUNTRY_CODES.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    for (const code of ['DE', 'GR', 'GB', 'US', 'AX', 'AQ', 'BQ', 'CW', 'SX', 'SS', 'PS', 'TW', 'EH']) expect(isCountryCode(code), code).toBe(true);
    // Not ISO codes: Greece's VAT prefix, the UK, Kosovo (user-assigned), exceptionally reserved and withdrawn codes, the EU.
    for (const code of ['EL', 'UK', 'XK', 'EU', 'AN', 'CS', 'YU', 'de', 'constructor']) expect(isCountryCode(code), code).toBe(false);
  });

  it('the EU: 27 member states, every one a country with a standard VAT rate, and no other country has one', () => {
    expect(EU_MEMBER_STATES).toEqual(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);
    for (const c of EU_MEMBER_STATES) expect(isCountryCode(c), c).toBe(true);
    expect(Object.keys(VAT_STANDARD_RATES).sort()).toEqual([...EU_MEMBER_STATES]);
  });
});
