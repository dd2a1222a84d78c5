/** Money for people: integer minor units shown in major units, e.g. `1,234.56 USD`, `1,235 JPY`. */

/**
 * `amount` minor units of a currency with `exponent` decimals, grouped in thousands with `,` and
 * the decimal point `.` whatever the locale, so reports and golden files read the same everywhere.
 */
export function formatMinor(amount: number | bigint, exponent: number, currency?: string): string {
  const neg = amount < 0;
  const digits = (neg ? -BigInt(amount) : BigInt(amount)).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const frac = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${neg ? '-' : ''}${grouped}${frac}`;
  return currency === undefined ? text : `${text} ${currency}`;
}

/** A rate as a percentage: 0.19 → `19%`, 0.255 → `25.5%`. */
export function formatRate(rate: number): string {
  // Rates come from decimal ratios; rounding to 10 places drops float noise such as 25.500000000000004.
  return `${Number((rate * 100).toFixed(10))}%`;
}
