/**
 * The standard VAT rate of each EU member state, as a decimal fraction ("0.19" = 19 %). A dated
 * table: `rate: vat` in a tax rule reads it, and every quote reports the date.
 */

export const VAT_TABLE_SOURCE = 'European Commission, "VAT rates applied in the Member States of the European Union"';
/** The day the rates below were in force. */
export const VAT_RATES_AS_OF = '2025-08-01';

/** country → standard rate as a decimal string. */
export const VAT_STANDARD_RATES: Readonly<Record<string, string>> = {
  AT: '0.20',
  BE: '0.21',
  BG: '0.20',
  CY: '0.19',
  CZ: '0.21',
  DE: '0.19',
  DK: '0.25',
  EE: '0.24',
  ES: '0.21',
  FI: '0.255',
  FR: '0.20',
  GR: '0.24',
  HR: '0.25',
  HU: '0.27',
  IE: '0.23',
  IT: '0.22',
  LT: '0.21',
  LU: '0.17',
  LV: '0.21',
  MT: '0.18',
  NL: '0.21',
  PL: '0.23',
  PT: '0.23',
  RO: '0.21',
  SE: '0.25',
  SI: '0.22',
  SK: '0.23',
};

/** The standard VAT rate of a member state, or undefined outside the EU. */
export function vatStandardRate(country: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(VAT_STANDARD_RATES, country) ? VAT_STANDARD_RATES[country] : undefined;
}
