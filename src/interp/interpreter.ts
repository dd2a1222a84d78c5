/**
 * The reference interpreter: decides requests straight from the IR and explains each decision.
 * It is the oracle the compiled module is tested against and the engine of `monetize explain`.
 */
import type { IrAsset, IrPolicy, IrRule, Node } from '../ir/ir.js';
import { printNode } from '../ir/print.js';
import { defaultDeny, invalidRequest, roundTo, unreadableRequest } from '../runtime/runtime.js';
import type { AccessDecision } from '../ir/decision.js';
import { evaluate, type FieldReader } from '../ir/eval.js';
import { blame, type RuleFailure } from './blame.js';
import { fieldValue, readRequest, validate, type ReadRequest, type Value } from './request.js';
import { record, sealIr } from '../ir/seal.js';

export type { RuleFailure };

export interface TraceEntry {
  readonly ruleId: string;
  readonly priority: number;
  readonly matched: boolean;
  readonly failed?: RuleFailure;
  /** Set when the condition held but the rule still did not decide (its cost failed), or it was not reached. */
  readonly skipped?: string;
}

export interface CostTrace {
  readonly ruleId: string;
  readonly base: number | null;
  readonly multipliers: readonly { readonly if: string; readonly applied: boolean | null; readonly value: number | null }[];
  /** Before rounding. */
  readonly raw: number | null;
  readonly result: number | null;
  readonly rounding: { readonly decimals: number; readonly mode: string };
  readonly error?: string;
}

export interface Explanation {
  readonly decision: AccessDecision;
  readonly trace: readonly TraceEntry[];
  readonly cost?: CostTrace;
  readonly errors?: readonly string[];
}

/** A decider built from IR: `decide` for speed-insensitive callers, `explain` for traces. */
export interface Interpreter {
  decide(request: unknown, options?: unknown): AccessDecision;
  explain(request: unknown, options?: unknown): Explanation;
  /** The decision and the deciding rule's cost breakdown, without the per-rule trace (cheaper than explain). */
  decideWithCost(request: unknown, options?: unknown): Pick<Explanation, 'decision' | 'cost'>;
}

/**
 * The decision a rule gives, with its cost when declared. Built as a literal, as compiled modules
 * build theirs: its keys are defined, never assigned, so a setter on Object.prototype cannot take one.
 */
function decisionOf(rule: IrRule, cost: number | undefined): AccessDecision {
  return {
    allowed: rule.allow,
    policyId: rule.id,
    ...(rule.reason !== undefined ? { reason: rule.reason } : {}),
    ...(cost !== undefined ? { cost } : {}),
    ...(rule.redirect !== undefined ? { redirect: rule.redirect } : {}),
  };
}

/**
 * Build the interpreter for a lowered policy. It works on the sealed IR (lowering's own, or a
 * sealed copy of one built elsewhere), and what it hands out — explanations, traces, cost
 * breakdowns — inherits nothing from Object.prototype either, so an optional key that is not
 * there reads as undefined whatever the prototype holds.
 */
export function createInterpreter(policy: IrPolicy): Interpreter {
  const ir = sealIr(policy);
  const assets = new Map<string, IrAsset>(ir.assets.map((a) => [a.id, a]));

  function run(request: unknown, options: unknown, tracing: boolean): Explanation {
    let r: string[] | ReadRequest;
    try {
      r = readRequest(ir, assets, request, options);
    } catch (e) {
      return record({ decision: unreadableRequest(e), trace: [] });
    }
    if (Array.isArray(r)) return record({ decision: invalidRequest([...r]), trace: [], errors: r });
    // Every field is read once, up front and in field order — a list's elements right after the
    // list — exactly as the compiled module does; values are validated where they are used.
    const values: unknown[] = [];
    try {
      for (const f of ir.fields) values.push(fieldValue(r, f, ir.params));
    } catch (e) {
      return record({ decision: unreadableRequest(e), trace: [] });
    }
    const cache = new Map<number, Value>();
    const read: FieldReader = (i) => {
      let v = cache.get(i);
      if (v === undefined) {
        v = validate(ir.fields[i]!, values[i]);
        cache.set(i, v);
      }
      return v;
    };
    const trace: TraceEntry[] = [];
    let failedCost: CostTrace | undefined;
    try {
      for (let ri = 0; ri < ir.rules.length; ri++) {
        const rule = ir.rules[ri]!;
        const c = rule.cond ? evaluate(rule.cond, read) : true;
        if (c !== true) {
          if (tracing) trace.push(record({ ruleId: rule.id, priority: rule.priority, matched: false, failed: blame(rule.cond!, read, ir.fields) }));
          continue;
        }
        if (!rule.cost) {
          if (tracing) pushRest(trace, ir.rules, ri);
          return record({ decision: decisionOf(rule, undefined), trace });
        }
        const cost = evalCost(rule, read);
        if (cost.result === null) {
          if (tracing) trace.push(record({ ruleId: rule.id, priority: rule.priority, matched: false, skipped: `condition held but the cost could not be computed: ${cost.error}` }));
          failedCost ??= cost;
          continue;
        }
        if (tracing) pushRest(trace, ir.rules, ri);
        return record({ decision: decisionOf(rule, cost.result), trace, cost });
      }
    } catch (e) {
      return record({ decision: unreadableRequest(e), trace });
    }
    return record({ decision: defaultDeny(), trace, ...(tracing && failedCost ? { cost: failedCost } : {}) });
  }

  function pushRest(trace: TraceEntry[], rules: readonly IrRule[], decided: number): void {
    const rule = rules[decided]!;
    trace.push(record({ ruleId: rule.id, priority: rule.priority, matched: true }));
    for (let i = decided + 1; i < rules.length; i++) trace.push(record({ ruleId: rules[i]!.id, priority: rules[i]!.priority, matched: false, skipped: 'not reached: an earlier rule decided' }));
  }

  function evalCost(rule: IrRule, read: FieldReader): CostTrace {
    const cost = rule.cost!;
    const multipliers: { if: string; applied: boolean | null; value: number | null }[] = [];
    const fail = (error: string, base: number | null, raw: number | null = null): CostTrace => record({ ruleId: rule.id, base, multipliers, raw, result: null, rounding: ir.rounding, error });
    const base = evaluate(cost.base, read);
    if (typeof base !== 'number') return fail(`the base ${describeMissing(cost.base)} has no value`, null);
    let x = base;
    for (const m of cost.multipliers) {
      const c = evaluate(m.cond, read);
      if (typeof c !== 'boolean') {
        multipliers.push(record({ if: m.text, applied: null, value: null }));
        return fail(`the multiplier condition '${m.text}' reads a field that is absent or of the wrong type`, base);
      }
      if (!c) {
        multipliers.push(record({ if: m.text, applied: false, value: null }));
        continue;
      }
      const v = evaluate(m.value, read);
      if (typeof v !== 'number') {
        multipliers.push(record({ if: m.text, applied: true, value: null }));
        return fail(`the value of multiplier '${m.text}' has no value`, base);
      }
      multipliers.push(record({ if: m.text, applied: true, value: v }));
      x *= v;
    }
    if (!Number.isFinite(x)) return fail(`the cost is not a finite number (${x})`, base, x);
    if (x < 0) return fail(`the cost is negative (${x})`, base, x);
    return record({ ruleId: rule.id, base, multipliers, raw: x, result: roundTo(x, ir.rounding.decimals, ir.rounding.mode), rounding: ir.rounding });
  }

  function describeMissing(n: Node): string {
    return `'${printNode(n, ir.fields)}'`;
  }

  return {
    decide: (request, options) => run(request, options, false).decision,
    explain: (request, options) => run(request, options, true),
    decideWithCost: (request, options) => run(request, options, false),
  };
}
