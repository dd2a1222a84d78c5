/** monetize: the public API. */
export { loadPolicy, compilePolicy, createDecider, createInterpreter, PolicyError, type CheckedPolicy, type Decider, type QuoteRequest } from './api/index.js';
export type { Quote, QuoteLine, QuoteTaxLine, QuoteError, QuoteErrorCode } from './api/index.js';
export type { AccessRequest, AccessDecision, DecideOptions, UserContext, AssetData, Tier, Action, AssetType } from './api/types.js';
export type { Explanation, TraceEntry, CostTrace, RuleFailure } from './interp/interpreter.js';
export type { Diagnostic, Severity } from './diag/diagnostic.js';
export type { CompiledModule, CompileOptions } from './codegen/compile.js';
export { createAccessService } from './service/service.js';
export type { AccessService, AccessServiceOptions, ServiceMode, WebhookDelivery, WebhookOptions, WebhookResult, BatchItem, BatchResult, AccessRecord, CheckOptions, EventResult } from './service/service.js';
export { openSqliteLedger, type SqliteOptions } from './ledger/sqlite.js';
export { LedgerError, type LedgerStore, type LedgerTx } from './ledger/store.js';
export type { AccountRow, EntitlementRow, EntitlementState, EventOutcome, OfferGrant } from './ledger/model.js';
export { parseDelivery, type WebhookSecrets } from './payments/gateway.js';
export type { PaymentEvent, EventKind, Provider } from './payments/event.js';
