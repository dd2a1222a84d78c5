/** monetize: the public API. */
export { loadPolicy, compilePolicy, createDecider, createInterpreter, PolicyError, type CheckedPolicy, type Decider, type QuoteRequest } from './api/index.js';
export type { Quote, QuoteLine, QuoteTaxLine, QuoteError, QuoteErrorCode } from './api/index.js';
export type { AccessRequest, AccessDecision, DecideOptions, UserContext, AssetData, Tier, Action, AssetType } from './api/types.js';
export type { Explanation, TraceEntry, CostTrace, RuleFailure } from './interp/interpreter.js';
export type { Diagnostic, Severity } from './diag/diagnostic.js';
export type { CompiledModule, CompileOptions } from './codegen/compile.js';
