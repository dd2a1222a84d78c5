/**
 * src/lint/rules/tax-rule-shadowed.ts: M410 tax-rule-shadowed, countries of a tax rule that an
 * earlier rule already holds (the first rule whose region holds the country decides).
 */
import { describe, expect, it } from 'vitest';
import { taxRuleShadowed } from '../../../src/lint/rules/tax-rule-shadowed.js';
import { createQuoter } from '../../../src/money/engine.js';
import { irOfText } from '../../helpers/front-end.js';
import { runRule } from '../../helpers/lint-rule.js';

const RULES = 'rules:\n  - id: everyone\n    action: {allow: true}\n';

/** A policy whose tax rules are `[region YAML, code, rate]`. */
function withTax(...rules: readonly (readonly [string, string, string])[]): string {
  const lines = rules.map(([region, code, rate]) => `    - region: ${region}\n      code: ${code}\n      rate: ${rate}\n`).join('');
  return `version: "1.0"\n${RULES}tax:\n  rules:\n${lines}`;
}

const EU27 = 'AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK';

describe('M410: a tax rule holds countries an earlier rule already holds', () => {
  it('names the shadowed countries and the earlier rule, at the first element holding one, with a note at the earlier rule', () => {
    const yaml = withTax(['EU', 'vat_eu', 'vat'], ['[CH, DE]', 'dach', '0.19']);
    expect(runRule(taxRuleShadowed, yaml)).toEqual([
      {
        code: 'M410',
        severity: 'warning',
        message: "tax rule 2 (code 'dach') never applies to DE: tax rule 1 (code 'vat_eu') comes first and holds it",
        at: 'DE',
        hint: "the first rule whose region holds the buyer's country decides: take these countries out of one of the regions, or move this rule before tax rule 1 (code 'vat_eu')",
        labels: [{ at: 'EU', message: "tax rule 1 (code 'vat_eu') holds DE first" }],
      },
    ]);
    // A German buyer gets the EU rule's code and Germany's VAT, never 0.19 under 'dach'.
    const quote = createQuoter(irOfText(`version: "1.0"\nassets:\n  - {id: a, price: 100}\n${yaml.slice('version: "1.0"\n'.length)}`).quote)(['a'], { context: { country: 'DE' } });
    expect(quote).toMatchObject({ tax: [{ code: 'vat_eu', amountMinor: 1900 }] });
  });

  it('says the rule never applies when every country is held earlier, pointing at the whole region', () => {
    const found = runRule(taxRuleShadowed, withTax(['EU', 'vat_eu', 'vat'], ['[AT, BE]', 'benelux', '0.2']));
    expect(found.map((d) => [d.message, d.at, d.hint])).toEqual([
      [
        "tax rule 2 (code 'benelux') never applies: tax rule 1 (code 'vat_eu') comes first and holds every country of its region (AT, BE)",
        '[AT, BE]',
        "the first rule whose region holds the buyer's country decides: remove this rule, or move it before tax rule 1 (code 'vat_eu')",
      ],
    ]);
  });

  it('groups the countries by the earlier rule that takes them, in rule order, with a note at each', () => {
    const found = runRule(taxRuleShadowed, withTax(['FR', 'fr', '0.2'], ['[DE, AT]', 'de', '0.19'], ['[AT, FR, DE]', 'rest', '0.1']));
    expect(found.map((d) => [d.message, d.at, d.labels])).toEqual([
      [
        "tax rule 3 (code 'rest') never applies: earlier rules hold every country of its region: tax rule 1 (code 'fr') takes FR; tax rule 2 (code 'de') takes AT, DE",
        '[AT, FR, DE]',
        [
          { at: 'FR', message: "tax rule 1 (code 'fr') holds FR first" },
          { at: 'AT', message: "tax rule 2 (code 'de') holds AT, DE first" },
        ],
      ],
    ]);
  });

  it('sees the member states behind EU, in either rule, and names all 27 as such', () => {
    const later = runRule(taxRuleShadowed, withTax(['[DE, NO]', 'de_no', '0.2'], ['EU', 'vat_eu', 'vat']));
    expect(later.map((d) => [d.message, d.at])).toEqual([["tax rule 2 (code 'vat_eu') never applies to DE: tax rule 1 (code 'de_no') comes first and holds it", 'EU']]);
    const twice = runRule(taxRuleShadowed, withTax(['EU', 'a', 'vat'], ['[NO, EU, GB]', 'b', '0.2']));
    expect(twice.map((d) => [d.message, d.at, d.labels.map((l) => l.message)])).toEqual([
      ["tax rule 2 (code 'b') never applies to the 27 EU member states: tax rule 1 (code 'a') comes first and holds them", 'EU', ["tax rule 1 (code 'a') holds the 27 EU member states first"]],
    ]);
    const listed = runRule(taxRuleShadowed, withTax([`[${EU27}]`, 'listed', '0.2'], ['EU', 'eu', 'vat']));
    expect(listed.map((d) => d.message)).toEqual(["tax rule 2 (code 'eu') never applies: tax rule 1 (code 'listed') comes first and holds every country of its region (the 27 EU member states)"]);
  });

  it('reports a rule written as a single code, and each shadowed rule once', () => {
    const found = runRule(taxRuleShadowed, withTax(['DE', 'a', '0.19'], ['DE', 'b', '0.07'], ['[DE, FR]', 'c', '0.2']));
    expect(found.map((d) => [d.message, d.at])).toEqual([
      ["tax rule 2 (code 'b') never applies: tax rule 1 (code 'a') comes first and holds every country of its region (DE)", 'DE'],
      ["tax rule 3 (code 'c') never applies to DE: tax rule 1 (code 'a') comes first and holds it", 'DE'],
    ]);
  });
});

describe('M410 near misses: nothing is reported', () => {
  it('for disjoint regions, and a country-specific rule placed before EU rules that do not hold it', () => {
    expect(runRule(taxRuleShadowed, withTax(['CH', 'ch', '0.081'], ['EU', 'eu', 'vat'], ['[NO, GB]', 'rest', '0.2']))).toEqual([]);
  });

  it('for a country named twice within one rule (no earlier rule holds it)', () => {
    expect(runRule(taxRuleShadowed, withTax(['[DE, EU, DE]', 'eu', 'vat']))).toEqual([]);
  });

  it('for codes that are not countries (reported as errors elsewhere)', () => {
    expect(runRule(taxRuleShadowed, withTax(['[EL, UK]', 'a', '0.2'], ['[EL, UK]', 'b', '0.2']), { errors: true })).toEqual([]);
  });

  it('without tax rules', () => {
    expect(runRule(taxRuleShadowed, `version: "1.0"\n${RULES}`)).toEqual([]);
  });
});
