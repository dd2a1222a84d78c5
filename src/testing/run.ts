/**
 * Running test cases: each request is decided by the compiled module (what ships) and explained by
 * the reference interpreter (for traces and coverage); the two must agree.
 */
import type { AccessDecision } from '../ir/decision.js';
import type { CheckedPolicy } from '../pipeline/pipeline.js';
import { instantiate } from '../codegen/compile.js';
import { createInterpreter, type Explanation } from '../interp/interpreter.js';
import { roundTo } from '../runtime/runtime.js';
import type { Expectation, TestCase } from './load.js';

export interface Mismatch {
  readonly key: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface CaseResult {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly passed: boolean;
  readonly expected: Expectation;
  readonly actual: AccessDecision;
  readonly mismatches: readonly Mismatch[];
  readonly request: unknown;
  /** The interpreter's trace, kept for failed cases. */
  readonly explanation?: Explanation;
}

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
  for (const c of cases) {
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
    },
  };
}
