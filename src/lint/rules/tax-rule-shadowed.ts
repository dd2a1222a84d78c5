/**
 * M410 tax-rule-shadowed: the first tax rule whose region holds the buyer's country decides, so a
 * country of a rule's region that an earlier rule already holds never reaches it. Reported once per
 * rule, at the first region element holding such a country (at the whole region when the rule never
 * applies at all), with a note at each earlier rule that takes them.
 */
import { diag, type Diagnostic, type Label } from '../../diag/diagnostic.js';
import type { Span } from '../../diag/source.js';
import { EU_MEMBER_STATES, isCountryCode } from '../../money/countries.js';
import type { TaxRule } from '../../policy/model.js';
import type { LintRule } from '../rule.js';

/** The countries behind one region element: itself, or the member states behind `EU`; none for an unknown code (M118). */
function countriesOf(code: string): readonly string[] {
  return code === 'EU' ? EU_MEMBER_STATES : isCountryCode(code) ? [code] : [];
}

/** Countries in words, the 27 member states named as such when all of them are there: `the 27 EU member states, CH`. */
function countryList(countries: readonly string[]): string {
  const set = new Set(countries);
  if (!EU_MEMBER_STATES.every((c) => set.has(c))) return countries.join(', ');
  return [`the ${EU_MEMBER_STATES.length} EU member states`, ...countries.filter((c) => !EU_MEMBER_STATES.includes(c))].join(', ');
}

/** Where a country of a rule comes from: the rule's position (0-based) and the span of the element holding it. */
interface Holder {
  readonly rule: number;
  readonly span: Span;
}

export const taxRuleShadowed: LintRule = {
  code: 'M410',
  run: (policy) => {
    const out: Diagnostic[] = [];
    const rules = policy.tax?.rules ?? [];
    const name = (i: number): string => `tax rule ${i + 1} (code '${rules[i]!.code}')`;
    /** Country → the first rule holding it, and where. */
    const first = new Map<string, Holder>();
    rules.forEach((rule: TaxRule, i) => {
      // Each country of this rule once, with the element that names it first.
      const mine = new Map<string, Span>();
      rule.region.forEach((code, k) => {
        for (const c of countriesOf(code)) if (!mine.has(c)) mine.set(c, rule.regionSpans[k] ?? rule.regionSpan);
      });
      const shadowed = [...mine].filter(([c]) => first.has(c));
      if (shadowed.length > 0) {
        // Group the shadowed countries by the earlier rule that takes them, in rule order.
        const byRule = new Map<number, string[]>();
        for (const [c] of shadowed) {
          const h = first.get(c)!;
          byRule.set(h.rule, [...(byRule.get(h.rule) ?? []), c]);
        }
        const earlier = [...byRule].sort(([a], [b]) => a - b);
        const takers = earlier.map(([j, cs]) => (earlier.length === 1 ? name(j) : `${name(j)} takes ${countryList(cs)}`));
        const all = shadowed.length === mine.size;
        const message = all
          ? `${name(i)} never applies: ${earlier.length === 1 ? `${takers[0]!} comes first and holds every country of its region (${countryList(shadowed.map(([c]) => c))})` : `earlier rules hold every country of its region: ${takers.join('; ')}`}`
          : `${name(i)} never applies to ${countryList(shadowed.map(([c]) => c))}: ${earlier.length === 1 ? `${takers[0]!} comes first and holds ${shadowed.length === 1 ? 'it' : 'them'}` : `earlier rules hold them: ${takers.join('; ')}`}`;
        const labels: Label[] = earlier.map(([j, cs]) => ({ file: policy.file, span: first.get(cs[0]!)!.span, message: `${name(j)} holds ${countryList(cs)} first` }));
        const span = all ? rule.regionSpan : shadowed[0]![1];
        const hint = all
          ? `the first rule whose region holds the buyer's country decides: remove this rule, or move it before ${name(earlier[0]![0])}`
          : `the first rule whose region holds the buyer's country decides: take these countries out of one of the regions, or move this rule before ${name(earlier[0]![0])}`;
        out.push(diag('M410', policy.file, span, message, { hint, labels }));
      }
      for (const [c, span] of mine) if (!first.has(c)) first.set(c, { rule: i, span });
    });
    return out;
  },
};
