/**
 * The programmatic API, for services that compile a policy at start-up:
 * `const decider = createDecider(loadPolicy('policy.yaml')); decider.decide(request)`.
 */
import { renderPretty } from '../diag/render/pretty.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { loadPolicyFile, loadPolicyText, toChecked, type CheckedPolicy } from '../pipeline/pipeline.js';
import { compileIr, instantiate, type CompileOptions, type CompiledModule, type DecisionModule } from '../codegen/compile.js';
import { createInterpreter, type Explanation, type Interpreter } from '../interp/interpreter.js';
import type { Quote, QuoteError, QuoteErrorCode, QuoteLine, QuoteTaxLine } from '../money/engine.js';
import type { AccessDecision, AccessRequest, DecideOptions } from './types.js';

/** Thrown by loadPolicy when the policy has errors; `message` is the rendered diagnostics. */
export class PolicyError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Load, check and lower a policy file (or `text`, named `path` in diagnostics). Throws PolicyError on errors. */
export function loadPolicy(path: string, opts: { text?: string } = {}): CheckedPolicy {
  const r = opts.text === undefined ? loadPolicyFile(path) : loadPolicyText(path, opts.text);
  const checked = toChecked(r);
  if (!checked) {
    const files = new Map(r.source ? [[path, r.source]] : []);
    throw new PolicyError(r.diagnostics, renderPretty(r.diagnostics.filter((d) => d.severity === 'error'), files, { color: false }));
  }
  return checked;
}

/** Compile to a self-contained module file's contents (code, optional source map, .d.ts). */
export function compilePolicy(policy: CheckedPolicy, opts: CompileOptions = {}): Promise<CompiledModule> {
  return compileIr(policy.ir, opts);
}

/** Who is buying, for a quote: only the country (ISO 3166-1 alpha-2) and the VAT id are read. An AccessRequest will do. */
export interface QuoteRequest {
  readonly context?: { readonly country?: string; readonly vatId?: string };
}

/** A typed decider running the compiled code in this process. */
export interface Decider {
  decide(request: AccessRequest | unknown, options?: DecideOptions): AccessDecision;
  /** Price a set of assets for one purchase: best bundles, then tax. Never throws: a quote that cannot be given is a QuoteError. */
  quote(assetIds: readonly string[], request?: QuoteRequest): Quote | QuoteError;
  /** The decision with its trace, from the reference interpreter. */
  explain(request: AccessRequest | unknown, options?: DecideOptions): Explanation;
  readonly policyInfo: DecisionModule['policyInfo'];
}

/** Build a decider: compiled `decide` for speed, the interpreter for `explain`. */
export function createDecider(policy: CheckedPolicy): Decider {
  const mod = instantiate(policy.ir);
  let interp: Interpreter | undefined;
  return {
    decide: (request, options) => mod.decide(request, options),
    quote: (assetIds, request) => mod.quote(assetIds, request),
    explain: (request, options) => (interp ??= createInterpreter(policy.ir)).explain(request, options),
    policyInfo: mod.policyInfo,
  };
}

export { createInterpreter, toChecked };
export type { CheckedPolicy };
export type { AccessDecision, AccessRequest, DecideOptions, Explanation, CompiledModule, CompileOptions };
export type { Quote, QuoteError, QuoteErrorCode, QuoteLine, QuoteTaxLine };
