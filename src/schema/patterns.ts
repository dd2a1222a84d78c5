/** The string patterns of the policy format, each with the words diagnostics use to explain it. */

/** Rule ids: `[a-z0-9_:.-]+`. */
export const RULE_ID = '^[a-z0-9_:.-]+$';
/** Names usable after `params.` and in `schema` field declarations. */
export const IDENTIFIER = '^[a-zA-Z_][a-zA-Z0-9_]*$';
/** ISO 4217 currency codes. */
export const CURRENCY = '^[A-Z]{3}$';
/** Non-negative decimal amounts written as strings ("19.99"). */
export const DECIMAL = '^[0-9]+(\\.[0-9]+)?$';
/** ISO 3166-1 alpha-2 country codes, and `EU`. */
export const REGION = '^[A-Z]{2}$';

/** What each pattern means, in the words of an error message ("must be …"). */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [RULE_ID]: 'made of lowercase letters, digits and the characters _ : . - only',
  [IDENTIFIER]: 'an identifier (letters, digits and _, not starting with a digit)',
  [CURRENCY]: 'a 3-letter uppercase ISO 4217 currency code such as USD or EUR',
  [DECIMAL]: 'a non-negative decimal number such as "19.99"',
  [REGION]: 'a 2-letter uppercase country code such as DE, or EU',
};
