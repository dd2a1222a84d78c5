/**
 * The registry of diagnostic codes. Codes are stable: once released, a code keeps its meaning.
 * Errors can never be downgraded; warnings and infos can be re-levelled by the user.
 */
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  /** Short kebab-case name, used in SARIF rule names and the docs. */
  readonly name: string;
  readonly severity: Severity;
  /** One line: what the diagnostic means. */
  readonly summary: string;
  /** How to fix it, in general terms. */
  readonly fix: string;
}

function code(name: string, severity: Severity, summary: string, fix: string): CodeInfo {
  return { name, severity, summary, fix };
}

/** Every code monetize can report. */
export const CODES = {
  // --- input files (M1xx) -----------------------------------------------------------------
  M100: code('file-unreadable', 'error', 'A file cannot be read: it does not exist, is a folder, is not valid UTF-8, or is a broken link.', 'Check the path and the file permissions; save files as UTF-8.'),
  M101: code('yaml-syntax', 'error', 'The file is not valid YAML.', 'Fix the YAML at the position shown; check indentation and quoting.'),
  M102: code('yaml-duplicate-key', 'error', 'A YAML mapping has the same key twice; the second would silently replace the first.', 'Remove or rename one of the keys.'),
  M103: code('yaml-document', 'error', 'The file is empty or holds more than one YAML document.', 'Put exactly one policy document in the file.'),
  M104: code('yaml-unsupported', 'error', 'The YAML uses a feature policy files do not allow (custom tags, non-string keys) or aliases that expand to too much.', 'Use plain mappings, lists and scalars.'),
  // --- policy file shape (M11x) ----------------------------------------------------------
  M110: code('unknown-key', 'error', 'A key is not part of the policy format at this place.', 'Remove it or fix its spelling (see the did-you-mean hint).'),
  M111: code('missing-key', 'error', 'A required key is missing.', 'Add the key named in the message.'),
  M112: code('wrong-type', 'error', 'A value has the wrong YAML type (for example a list where a mapping is expected).', 'Change the value to the type named in the message.'),
  M113: code('invalid-value', 'error', 'A value has the right type but is not allowed (out of range, bad format, not one of the allowed values, a reserved rule id).', 'Use one of the allowed values named in the message.'),
  M114: code('duplicate-id', 'error', 'Two rules, assets, bundles or offers share an id.', 'Give every entry a unique id.'),
  M115: code('unsupported-version', 'error', 'The policy `version` is not one this monetize understands.', 'Set `version: "1.0"`.'),
  M116: code('invalid-schema-field', 'error', 'A `schema` declaration is malformed, conflicts with a built-in field, or reads the same request key as another field.', 'Declare fields as `name: string|number|boolean|list<T>` or `{type, enum, optional}`, each reading its own key.'),
  M117: code('unknown-currency', 'error', 'The policy `currency` is not an ISO 4217 currency code with a minor unit.', 'Use an ISO 4217 code such as USD, EUR, JPY (see the did-you-mean hint).'),
  M118: code('unknown-region', 'error', 'A tax rule region is not an ISO 3166-1 alpha-2 country code, a list of them, or `EU`.', 'Use uppercase country codes such as DE, or EU for the 27 member states.'),
  M119: code('no-vat-rate', 'error', 'A tax rule with `rate: vat` covers a country outside the EU, which has no rate in the built-in VAT table.', 'Give that country its own rule with a numeric rate, or remove it from the region.'),
  M120: code('amount-out-of-range', 'error', 'A price, multiplier or rate has more than 18 decimal places, or a price (or a bundle made of prices) is too large to be counted exactly in minor units of the currency.', 'Use prices below 9,007,199,254,740,991 minor units (about 90 trillion USD) in total per bundle.'),
  // --- expression syntax (M2xx) ----------------------------------------------------------
  M200: code('expr-syntax', 'error', 'An expression cannot be parsed.', 'Fix the expression at the caret; see docs/language.md for the grammar.'),
  M201: code('expr-token', 'error', 'An expression contains a character or string the lexer does not accept.', 'Remove the character or close the string; strings use single or double quotes.'),
  M202: code('expr-limit', 'error', 'An expression is longer or deeper than the compiler accepts.', 'Split the expression into several rules or simplify it.'),
  // --- types (M3xx) ----------------------------------------------------------------------
  M300: code('unknown-field', 'error', 'A path names a field that is neither built in nor declared in `schema`.', 'Fix the spelling or declare the field under `schema`.'),
  M301: code('type-mismatch', 'error', 'An operator or function is applied to operands of the wrong type.', 'Compare values of the same type; see the have/want detail.'),
  M302: code('unknown-enum-value', 'error', 'A string literal compared with an enum field is not one of its values.', 'Use one of the enum values, or extend the enum under `schema`.'),
  M303: code('condition-not-boolean', 'error', 'A condition (or a multiplier `if`) does not evaluate to a boolean.', 'Write a comparison, e.g. `user.token_balance > 0`.'),
  M304: code('cost-not-number', 'error', 'A cost, base or multiplier value does not evaluate to a number.', 'Write an arithmetic expression over numbers.'),
  M305: code('unknown-function', 'error', 'A call names a function that does not exist.', 'Use one of the built-in functions listed in docs/language.md.'),
  M306: code('function-arity', 'error', 'A function is called with the wrong number of arguments.', 'Pass the number of arguments the message names.'),
  M307: code('optional-unguarded', 'warning', 'An optional field is read without an `exists(...)` guard in the same conjunction; when it is absent the rule silently does not match.', 'Add `exists(path) and ...` before the use, or mark the field as required in `schema`.'),
  M308: code('unknown-param', 'error', 'A `params.NAME` path names a parameter that the policy does not define.', 'Define it under `params` with a default value.'),
  M309: code('invalid-path', 'error', 'A path is malformed: it names a whole object instead of a field, or indexes into a scalar.', 'Name a field, e.g. `user.tier` rather than `user`.'),
  // --- lint rules (M4xx) -----------------------------------------------------------------
  M400: code('unreachable-rule', 'warning', 'A rule can never decide: a rule evaluated before it always matches.', 'Lower the earlier rule’s priority, narrow its condition, or remove the dead rule.'),
  M401: code('cost-on-deny', 'warning', 'A rule that denies access declares a cost, which is never charged.', 'Remove the cost or set `allow: true`.'),
  M402: code('constant-condition', 'warning', 'A condition is always true or always false.', 'Remove the condition (always true) or the rule (always false).'),
  M403: code('unknown-bundle-asset', 'warning', 'A bundle names an asset that is not in the `assets` registry.', 'Add the asset to `assets` or fix the id.'),
  M404: code('bundle-not-discount', 'warning', 'A bundle multiplier of 1 or more makes the bundle cost at least as much as its parts.', 'Use a multiplier below 1, or remove the bundle.'),
  M405: code('duplicate-condition', 'warning', 'Two rules have the same condition; the one evaluated second only decides when the first one’s cost fails.', 'Merge the rules or make their conditions differ.'),
  M406: code('redirect-on-allow', 'info', 'An allowing rule declares a redirect, which clients usually only follow on denial.', 'Remove the redirect or confirm clients use it on allowed decisions.'),
  M407: code('unused-param', 'info', 'A parameter is defined under `params` but never used.', 'Remove it or use it.'),
  M408: code('overlapping-bundles', 'info', 'Two bundles share assets, so a quote holding both uses only one of them: the one that saves more.', 'Make the bundles disjoint if a basket holding both should get both discounts; otherwise nothing needs to change.'),
  M409: code('bundle-asset-unpriced', 'warning', 'A bundle names a registry asset that has no `price`: it is priced at `default_price`, or, without one, cannot be quoted and the bundle never applies.', 'Give the asset a price, or set `default_price`.'),
  M410: code('tax-rule-shadowed', 'warning', 'A country of a tax rule\'s region is already held by an earlier tax rule, so this rule never applies to it.', 'Take the country out of one of the regions, or reorder the rules: the first rule whose region holds the country decides.'),
  // --- tests (M5xx) ----------------------------------------------------------------------
  M500: code('test-schema', 'error', 'A test file does not match the test file format.', 'Fix the test file as the message says; see docs/testing.md.'),
  M501: code('test-vacuous', 'error', 'A test case has an empty `expect`, so it can never fail.', 'Add at least one expected field (allowed, policyId, reason, cost, redirect).'),
  M502: code('test-param', 'error', 'A test case overrides a param the policy does not define, or gives it a value of another type than the policy declares.', 'Use a param the policy defines, with a value of its declared type (a number without quotes for a number param).'),
  M503: code('test-unknown-policy-id', 'error', 'A test case expects a `policyId` that no decision of the policy can have: not a rule id, `default_deny` or `invalid_request`.', 'Use the id of one of the policy’s rules (see the did-you-mean hint), `default_deny` or `invalid_request`.'),
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** Every code, in order. */
export const ALL_CODES = Object.keys(CODES) as Code[];

/** Whether a string is a known code. */
export function isCode(s: string): s is Code {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}
