/** The public request and decision types (SPEC section 4), shared by the API and compiled modules. */

export type Tier = 'free' | 'pro' | 'enterprise';
export type Action = 'read' | 'download' | 'execute' | 'derive';
export type AssetType = 'content' | 'code' | 'data' | 'model';

/** The user part of a request. Declared `schema.user` fields appear here in camelCase. */
export interface UserContext {
  readonly userId: string;
  /** Built-in values; a policy may declare others under `schema.user.tier`. */
  readonly tier: Tier | (string & {});
  readonly tokenBalance: number;
  readonly entitlements: readonly string[];
  readonly country?: string;
  readonly vatId?: string;
  readonly [field: string]: unknown;
}

/** Inline asset data, overlaying the policy's asset registry field by field. */
export interface AssetData {
  readonly type?: AssetType | (string & {});
  readonly tags?: readonly string[];
  readonly matrixId?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** An access request: the brief's `AccessRequest`, plus optional inline asset data and params. */
export interface AccessRequest {
  readonly assetId: string;
  readonly action: Action | (string & {});
  readonly context: UserContext;
  /** Milliseconds since the epoch, UTC. */
  readonly timestamp?: number;
  readonly asset?: AssetData;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly [field: string]: unknown;
}

/** Options of one decision. */
export interface DecideOptions {
  /** Override the policy's `params` defaults for this decision. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export type { AccessDecision } from '../ir/decision.js';
