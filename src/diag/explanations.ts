/**
 * Longer explanations of the diagnostic codes, for docs/diagnostics.md. The registry in codes.ts
 * holds the one-line summary and fix; this adds the why and the common causes, one paragraph each.
 */
import type { Code } from './codes.js';

/** A paragraph per code: why the problem matters and how it usually comes about. */
export const EXPLANATIONS: Readonly<Partial<Record<Code, string>>> = {
  M100:
    'monetize reports this when a path given on the command line does not exist, is a directory, or cannot be read; ' +
    'when a file is not valid UTF-8 (monetize never guesses an encoding, so a price or reason cannot be silently ' +
    'corrupted); and when a folder holds a broken symbolic link or a link loop. A leading byte-order mark is fine. ' +
    'Paths are relative to the current directory. Because nothing could be checked, `monetize lint` exits with code 2 ' +
    '(unreadable input), not 1, so CI can tell a broken invocation from a broken policy.',
  M101:
    'The YAML parser stopped at the position shown. The most common cause in policy files is an expression written ' +
    'without quotes: a value that starts with `>`, `|`, `[`, `{`, `*`, `&` or `!`, or that contains `: ` or ` #`, ' +
    'means something else to YAML. Quote every expression and every operator constraint such as `"> 0"`. Mixed ' +
    'indentation and tabs are the other usual suspects. A quoted string may span lines, so a missing closing quote ' +
    'makes YAML read on into the next lines; monetize then reports the opening quote that is never closed, with a ' +
    'note where YAML gave up.',
  M102:
    'YAML itself allows a repeated key and keeps the last value, which silently drops the first one — often a whole ' +
    'condition or a price. monetize rejects the file instead; the note points at the first occurrence.',
  M103:
    'A policy file holds exactly one YAML document. An empty file has no policy at all, and a file with `---` ' +
    'separators holds several; monetize would have to guess which one you mean, so it refuses both.',
  M104:
    'Policy files use plain YAML: mappings with string keys, lists and scalars. Custom tags (`!money 5`) and complex ' +
    'keys (`? [a, b]`) have no meaning in a policy and other tools read them differently, so they are rejected. ' +
    'Anchors and aliases are allowed, but every later stage sees an alias as a copy, so aliases may expand to at most ' +
    '100,000 nodes and 1,000,000 characters of keys and values in all: a small file of nested aliases, or a long ' +
    'string aliased many times, cannot make checking or the generated module explode. The error points at the alias ' +
    'that passes the limit and notes its anchor; alias smaller parts, or write the repeated text out.',
  M110:
    'Every key in a policy file is checked against the policy format (`monetize schema` prints it). A misspelt key ' +
    'would otherwise be ignored and its rule would behave as if the key were absent — a misspelt `condition` makes a ' +
    'rule match every request. The hint suggests the closest allowed key, or says where the key belongs.',
  M111:
    'A required key is missing: `version` and `rules` at the top level, `id` and `action` on a rule, `allow` on ' +
    'an action, `base` on a cost mapping, `if` and `value` on a multiplier, and the required keys of assets, bundles, tax rules and offers.',
  M112:
    'A value has the wrong shape, for example a mapping where a list is expected, a number where a string is ' +
    'expected, or an unquoted `1.0` version that YAML reads as a number.',
  M113:
    'A value has the right type but is outside what the format allows: a rounding mode that does not exist, ' +
    '`decimals` above 6, a rule id with upper-case letters or spaces, a bundle with fewer than two assets, a negative ' +
    'price, or a rule id that is reserved (`default_deny` and `invalid_request` are the ids of decisions no rule ' +
    'makes). The hint suggests the nearest allowed value when there is one.',
  M114:
    'Rule ids appear on every decision as `policyId`, in explain traces and in simulation reports; asset, bundle and ' +
    'offer ids are looked up by id. Two entries with one id make those reports ambiguous, so ids must be unique ' +
    'within each list.',
  M115:
    'The `version` key names the policy format. Only `"1.0"` exists today. Write it in quotes: unquoted, YAML reads ' +
    '`1.0` as the number 1.',
  M116:
    'Fields declared under `schema` must be a type name (`string`, `number`, `boolean`, `list<string>`, ' +
    '`list<number>`) or a mapping `{type, enum, optional, description}`. A declaration may narrow or extend a ' +
    'built-in enum such as `user.tier` (or change `optional`), but cannot change the type of any other built-in ' +
    'field. Two fields may not read the same request key (`user.foo_bar` and `user.fooBar` both read ' +
    '`context.fooBar`; `user.user_id` would read the built-in `user.id`), and `request.context`, `request.asset` and ' +
    '`request.params` name the request\'s structure, not fields.',
  M117:
    'Prices, bundle amounts and tax are counted in integer minor units of the policy `currency`, whose size comes ' +
    'from the ISO 4217 table shipped with monetize (USD and EUR have 2 decimals, JPY 0, KWD 3). A code that is not in ' +
    'the table — a typo, a retired currency, or a code without a minor unit such as XAU — cannot be priced in.',
  M118:
    'A tax rule applies to the countries of its `region`: an ISO 3166-1 alpha-2 code (`DE`), a list of them, or `EU` ' +
    'for the 27 member states. A code that is not assigned in ISO 3166-1 (EL and UK are common ones: ISO writes GR ' +
    'and GB) would never match the `user.country` of a quote, so the rule would silently not apply.',
  M119:
    '`rate: vat` reads the country\'s standard rate from the built-in VAT table, which holds the EU member states ' +
    'only. For any other country in the region there is no rate to read; give it a rule with a numeric rate.',
  M120:
    'Quotes are exact: prices are counted in integer minor units and rates are applied as fractions, never as binary ' +
    'floating point. That needs every amount to stay below 2^53 minor units, and every price, multiplier and rate to ' +
    'have at most 18 decimal places.',
  M200:
    'The expression does not follow the grammar of the expression language (docs/language.md). The caret shows ' +
    'where the parser gave up; the help line names what it expected. Habits from other languages are recognised: ' +
    '`=` for `==`, chained comparisons such as `0 < x < 10`.',
  M201:
    'The expression contains a character the lexer does not accept, or a string that is never closed. Typical causes ' +
    'are `&` and `|` instead of `and` and `or`, typographic quotes pasted from a document, and invisible characters ' +
    'such as no-break spaces.',
  M202:
    'Expressions longer than 10,000 characters or nested more than 64 levels deep are rejected before later stages ' +
    'recurse over them; this protects the compiler and the generated code from hostile or machine-generated input. ' +
    'Long chains of `or` count as nesting: use `in [...]` for alternatives.',
  M300:
    'Every path an expression reads must be a built-in field (listed in docs/language.md) or a field declared under `schema`. ' +
    'An unknown path would never be present in a request, so the rule would silently never match; the hint suggests ' +
    'the closest known field.',
  M301:
    'Operators and functions are typed: ordering compares two numbers or two strings, `and`/`or`/`not` take ' +
    'booleans, arithmetic takes numbers, `in` needs a list on the right. A mismatch would make the comparison fail ' +
    'at run time on every request.',
  M302:
    'Enum fields (`user.tier`, `asset.type`, `request.action`, `time.weekday` and your declared enums) have a closed ' +
    'set of values. A string literal outside the set — usually a typo — can never be equal to the field. Extend the ' +
    'enum under `schema` if the value is new.',
  M303:
    'A rule condition and a multiplier `if` decide whether something applies, so they must be true or false. A bare ' +
    'number or string is not a condition: compare it with something.',
  M304:
    'A cost is a number of tokens: a number, an arithmetic expression, or `{base, multipliers}` whose base and ' +
    'values are numbers.',
  M305:
    'Only the built-in functions exist: `exists`, `len`, `min`, `max`, `abs`, `floor`, `ceil`, `round`, `lower`, ' +
    '`upper`. The hint suggests the closest one.',
  M306:
    'A built-in function is called with too few or too many arguments. The message names how many it takes and of ' +
    'what type.',
  M307:
    'Optional fields (`user.country`, `user.vat_id`, `asset.matrix_id`, and declared fields marked `optional: true`) ' +
    'may be absent from a request. A rule that reads an absent field does not match (it fails closed), which is ' +
    'rarely what the author meant. Guard the read with `exists(path) and ...` in the same conjunction to say that ' +
    'absence is expected. This is a warning: re-level it with `--severity M307=error` or `--severity M307=off`.',
  M308:
    '`params.NAME` reads a named parameter, which must be defined under `params` with a default value; the default ' +
    'also fixes the parameter\'s type. Callers may override the value per decision, but not invent new parameters.',
  M309:
    'A path must name a single field. `user` or `asset.metadata` name whole objects, which cannot be compared or ' +
    'used in arithmetic; the hint lists some of their fields. The other way round, `user.tier.name` reads into a ' +
    'field that is a value, not an object, and has no fields of its own.',
  M400:
    'Rules are evaluated by priority, highest first, and the first one that matches decides. A rule with no condition ' +
    '(or `condition: true`) and a cost that cannot fail matches every request, so every rule after it is dead code. ' +
    'The note points at the rule that pre-empts it.',
  M401:
    'Costs are only charged when access is allowed. A cost on a denying rule is never charged, which usually means ' +
    '`allow` was meant to be `true`.',
  M402:
    'A condition (or multiplier `if`) that reads no request field and no parameter always has the same value. If it ' +
    'is always true, the condition is noise; if it is always false, the rule or multiplier never applies. ' +
    '`condition: true` is the accepted way to write "always" and is not reported.',
  M403:
    'When a policy has an `assets` registry, bundles are checked against it: a bundle that names an asset the ' +
    'registry does not list can never be fully present in a quote, so it never applies. Without a registry, asset ids ' +
    'are only known to the caller and bundles are not checked.',
  M404:
    'A bundle is a discount: its `price_multiplier` multiplies the sum of its assets\' prices. A multiplier of 1 or ' +
    'more makes buying the bundle cost at least as much as buying the assets one by one.',
  M405:
    'Two rules with the same condition: the second only decides when the first one\'s cost cannot be computed (for ' +
    'example because a field the cost reads is absent). That is rarely intended; usually one rule is a leftover copy.',
  M406:
    'A redirect tells a client where to send a user, and clients usually follow it only when access is denied (to a ' +
    'pricing page, for example). On an allowing rule it is probably a mistake. This is an info, not a warning.',
  M407:
    'A parameter is defined under `params` but no condition or cost reads it. Remove it, or use it as `params.NAME`. ' +
    'This is an info, not a warning.',
  M408:
    'When a quote names every asset of two bundles that share an asset, it cannot use both: an asset is bought once. ' +
    'The quote takes the set of non-overlapping bundles with the largest total saving, so of the two it uses the one ' +
    'that saves more (the saving is the sum of the assets\' single prices minus the bundle price, both in minor units ' +
    'of the currency), the earlier one when both save the same, and neither when both cost more than their parts. ' +
    'The message names the shared assets and which bundle wins. Overlaps are often deliberate (a small and a large ' +
    'bundle around the same flagship asset), so this is an info, not a warning. Bundles that can never be quoted ' +
    '(M403, M409) are not compared.',
  M409:
    'A bundle\'s price is the sum of its assets\' prices times its multiplier. A registry asset without a `price` is ' +
    'priced at `default_price` when the policy sets one, which may not be what the bundle was designed around; the ' +
    'message says which price it gets. Without a `default_price` such an asset cannot be quoted at all: quoting it ' +
    'fails with `no_price`, so a bundle that names it never applies. Policies without an `assets` registry price every ' +
    'asset at `default_price` (1 when unset) and are not checked.',
  M410:
    'Tax rules are tried in order, and the first one whose `region` holds the buyer\'s country gives the tax code ' +
    'and rate. A country that an earlier rule already holds (listed by its code, or as one of the 27 member states ' +
    'behind `EU`) never reaches a later rule, so that rule\'s rate and code never apply to it. A common cause is a ' +
    'country-specific rule placed after an `EU` rule: move it before the `EU` rule. The message names the countries ' +
    'and the earlier rules that take them, and says when the rule never applies at all.',
  M500:
    'Reported by `monetize test` when a test file does not match the test file format ' +
    '(`{policy?, cases: [{name, request, params?, expect}]}`).',
  M501:
    'Reported by `monetize test` when a test case has an empty `expect`: it can never fail, so it tests nothing. ' +
    'It is reported together with every other problem in the file, the format errors (M500) of other cases included.',
  M502:
    'At decision time an override of the wrong type counts as absent: the rule reading the param does not match, and ' +
    'the decision quietly becomes another rule or `default_deny`, so a case with `params: {surge: "2"}` would test ' +
    'something other than what its author meant. An override of a param the policy does not define is never read at ' +
    'all, usually because of a typo. Both are reported against the policy the case runs with, at the key (unknown ' +
    'name) or the value (wrong type). `monetize explain --params` makes the same check and exits 2. A request\'s own ' +
    '`params` are part of the request under test and are decided as `decide` would, so they are not checked.',
  M503:
    'A decision\'s `policyId` is the id of the rule that decided, `default_deny` when no rule did, or ' +
    '`invalid_request` for a malformed request. A case expecting any other id can never pass; usually the id is ' +
    'misspelt or the rule was renamed. Reported by `monetize test` against the policy the case runs with, before ' +
    'anything runs.',
};
