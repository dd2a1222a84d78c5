/**
 * Running test cases: each request is decided by the compiled module (what ships) and explained by
 * the reference interpreter (for traces and coverage); the two must agree.
 */
import type { AccessDecision } from '../ir/decision.js';
import type { CheckedPolicy } from '../pipeline/pipeline.js';
import { instantiate } from '../codegen/compile.js';
import { createInterpreter, type Explanation } from '../interp/interpreter.js';
import { roundTo } from '../runtime/runtime.js';
import type { Quote, QuoteError } from '../money/engine.js';
import { explainQuote, type QuoteExplanation } from '../interp/quote-explain.js';
import { compareQuote } from './compare-quote.js';
import type { DecisionCase, Expectation, QuoteCase, QuoteExpectation, TestCase } from './load.js';

export interface Mismatch {
  readonly key: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

interface ResultCommon {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly passed: boolean;
  readonly mismatches: readonly Mismatch[];
}

/** The result of one request of a decision case. */
export interface DecisionResult extends ResultCommon {
  readonly kind?: 'decision';
  readonly expected: Expectation;
  readonly actual: AccessDecision;
  readonly request: unknown;
  /** The interpreter's trace, kept for failed cases. */
  readonly explanation?: Explanation;
}

/** The result of a quote case. */
export interface QuoteResult extends ResultCommon {
  readonly kind: 'quote';
  readonly expected: QuoteExpectation;
  readonly actual: Quote | QuoteError;
  readonly assets: readonly string[];
  readonly user?: Readonly<Record<string, unknown>>;
  /** The bundle covers considered and the tax rule matched, kept for failed cases. */
  readonly explanation?: QuoteExplanation;
}

export type CaseResult = DecisionResult | QuoteResult;

export interface MultiplierCoverage {
  readonly ruleId: string;
  readonly index: number;
  readonly if: string;
  readonly applied: number;
  readonly notApplied: number;
}

export interface Coverage {
  /** Cases decided by each rule. */
  readonly rules: Readonly<Record<string, number>>;
  /** Rules that decided no case. */
  readonly uncovered: readonly string[];
  /** Rules that no case even reached (an earlier rule always decided first). */
  readonly unreached: readonly string[];
  readonly multipliers: readonly MultiplierCoverage[];
  /** Percentage of rules that decided at least one case. */
  readonly percent: number;
  /** Quote cases whose quote chose each bundle; present when quote cases ran. */
  readonly bundles?: Readonly<Record<string, number>>;
  /** Bundles no quote case's quote chose; present when quote cases ran. */
  readonly unchosenBundles?: readonly string[];
}

export interface TestRun {
  readonly results: readonly CaseResult[];
  readonly coverage: Coverage;
}

/** Compare a decision with a partial expectation; costs compare after rounding. */
export function compare(expect: Expectation, actual: AccessDecision, rounding: { decimals: number; mode: string }): Mismatch[] {
  const out: Mismatch[] = [];
  for (const key of ['allowed', 'policyId', 'reason', 'cost', 'redirect'] as const) {
    if (!(key in expect)) continue;
    const want = expect[key];
    const got = actual[key];
    let same: boolean;
    if (want === null) same = got === undefined;
    else if (key === 'cost' && typeof want === 'number') {
      const unit = 10 ** -rounding.decimals;
      same = typeof got === 'number' && Math.abs(roundTo(want, rounding.decimals, rounding.mode) - got) < unit / 2;
    } else same = want === got;
    if (!same) out.push({ key, expected: want, actual: got ?? null });
  }
  return out;
}

/** Run every case against the policy. */
export function runCases(checked: CheckedPolicy, cases: readonly TestCase[]): TestRun {
  const compiled = instantiate(checked.ir);
  const interp = createInterpreter(checked.ir);
  const ir = checked.ir;
  const hits = new Map<string, number>(ir.rules.map((r) => [r.id, 0]));
  const reached = new Set<string>();
  const mult = new Map<string, { applied: number; notApplied: number }>();
  const results: CaseResult[] = [];
  const chosen = new Map<string, number>(ir.quote.bundles.map((b) => [b.id, 0]));
  let quoteCases = 0;
  const regions = checked.policy.tax?.rules.map((r) => r.region);
  const runQuote = (c: QuoteCase): void => {
    quoteCases++;
    const request = c.user === undefined ? undefined : { context: c.user };
    const actual = compiled.quote(c.assets, request);
    const mismatches = compareQuote(c.expect, actual);
    if (!('error' in actual)) for (const l of actual.lines) if (l.bundleId !== undefined) chosen.set(l.bundleId, (chosen.get(l.bundleId) ?? 0) + 1);
    const passed = mismatches.length === 0;
    results.push({
      kind: 'quote',
      name: c.name,
      file: c.file,
      line: c.line,
      passed,
      expected: c.expect,
      actual,
      mismatches,
      assets: c.assets,
      ...(c.user === undefined ? {} : { user: c.user }),
      ...(passed ? {} : { explanation: explainQuote(ir.quote, c.assets, request, regions === undefined ? {} : { regions }) }),
    });
  };
  const runDecision = (c: DecisionCase): void => {
    c.requests.forEach((request, i) => {
      const options = c.params ? { params: c.params } : undefined;
      const actual = compiled.decide(request, options);
      const explanation = interp.explain(request, options);
      let mismatches = compare(c.expect, actual, ir.rounding);
      if (JSON.stringify(explanation.decision) !== JSON.stringify(actual)) {
        mismatches = [...mismatches, { key: 'engines', expected: explanation.decision, actual }];
      }
      if (hits.has(actual.policyId)) hits.set(actual.policyId, hits.get(actual.policyId)! + 1);
      for (const t of explanation.trace) if (!t.skipped?.startsWith('not reached')) reached.add(t.ruleId);
      if (explanation.cost && explanation.cost.result !== null && explanation.cost.ruleId === actual.policyId) {
        explanation.cost.multipliers.forEach((m, mi) => {
          const key = `${explanation.cost!.ruleId}\u0000${mi}`;
          const e = mult.get(key) ?? { applied: 0, notApplied: 0 };
          if (m.applied) e.applied++;
          else e.notApplied++;
          mult.set(key, e);
        });
      }
      const passed = mismatches.length === 0;
      results.push({
        name: c.requests.length > 1 ? `${c.name} [${i + 1}/${c.requests.length}]` : c.name,
        file: c.file,
        line: c.line,
        passed,
        expected: c.expect,
        actual,
        mismatches,
        request,
        ...(passed ? {} : { explanation }),
      });
    });
  };
  for (const c of cases) {
    if (c.kind === 'quote') runQuote(c);
    else runDecision(c);
  }
  const multipliers: MultiplierCoverage[] = [];
  for (const r of ir.rules) {
    r.cost?.multipliers.forEach((m, i) => {
      const e = mult.get(`${r.id}\u0000${i}`) ?? { applied: 0, notApplied: 0 };
      multipliers.push({ ruleId: r.id, index: i, if: m.text, ...e });
    });
  }
  const uncovered = ir.rules.filter((r) => hits.get(r.id) === 0).map((r) => r.id);
  const covered = ir.rules.length - uncovered.length;
  return {
    results,
    coverage: {
      rules: Object.fromEntries(hits),
      uncovered,
      unreached: ir.rules.filter((r) => !reached.has(r.id)).map((r) => r.id),
      multipliers,
      percent: ir.rules.length === 0 ? 100 : Math.round((covered / ir.rules.length) * 1000) / 10,
      ...(quoteCases > 0 ? { bundles: Object.fromEntries(chosen), unchosenBundles: [...chosen].filter(([, n]) => n === 0).map(([id]) => id) } : {}),
    },
  };
}
