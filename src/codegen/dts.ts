/** The `.d.ts` written beside a compiled module. Rule ids appear only as serialized literals. */
import type { IrPolicy } from '../ir/ir.js';
import { js, joinCode } from './code.js';

/** Type declarations for a compiled decision module. */
export function emitDts(ir: IrPolicy, banner: string): string {
  const ids = ir.rules.length ? joinCode(ir.rules.map((r) => js`${r.id}`), js`, `) : js``;
  const actions = ir.actions.length ? joinCode(ir.actions.map((a) => js`${a}`), js` | `) : js`string`;
  return `${banner}
${js`/** A request to access an asset (SPEC section 4). */
export interface AccessRequest {
  readonly assetId: string;
  readonly action: ${actions};
  readonly context: {
    readonly userId?: string;
    readonly tier?: string;
    readonly tokenBalance?: number;
    readonly entitlements?: readonly string[];
    readonly country?: string;
    readonly vatId?: string;
    readonly [field: string]: unknown;
  };
  /** Milliseconds since the epoch, UTC. */
  readonly timestamp?: number;
  /** Inline asset data, overlaying the policy's asset registry field by field. */
  readonly asset?: { readonly type?: string; readonly tags?: readonly string[]; readonly matrixId?: string; readonly metadata?: Readonly<Record<string, unknown>>; readonly [field: string]: unknown };
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly [field: string]: unknown;
}

export interface DecideOptions {
  /** Overrides of the policy's params for this decision. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The deciding rule, or "default_deny" / "invalid_request". */
  readonly policyId: PolicyRuleId | "default_deny" | "invalid_request";
  readonly reason?: string;
  /** Token cost, present when the deciding rule declares one. */
  readonly cost?: number;
  readonly redirect?: string;
  /** Why the request is invalid (only with reason "invalid_request"). */
  readonly errors?: readonly string[];
}

export type PolicyRuleId = ${ir.rules.length ? joinCode(ir.rules.map((r) => js`${r.id}`), js` | `) : js`never`};

/** Decide one access request. Pure: never throws, never mutates the request, deducts nothing. */
export declare function decide(request: AccessRequest, options?: DecideOptions): AccessDecision;

/** Not available in this release: returns { available: false, error }. */
export declare function quote(assetIds: readonly string[], request?: AccessRequest): { readonly available: false; readonly error: string };

/** What this module was compiled from. */
export declare const policyInfo: {
  readonly version: string;
  readonly currency: string;
  readonly ruleIds: readonly [${ids}];
  /** sha256 of the policy source text. */
  readonly hash: string;
  readonly generator: string;
};
`.text}`;
}
