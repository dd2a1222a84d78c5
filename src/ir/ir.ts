/**
 * The IR: a checked policy lowered to a closed set of typed nodes. The interpreter and the code
 * generator both consume exactly this, and nothing else of the policy.
 */
import type { Span } from '../diag/source.js';
import type { FieldSource } from '../lang/fields.js';
import type { Scalar, VariantId } from '../lang/operators.js';
import type { QuoteTable } from '../money/engine.js';

export type { FieldSource };
/** How costs are rounded to the policy's decimals. */
export type RoundingMode = 'ceil' | 'floor' | 'half_even' | 'half_up';

export type ScalarKind = 'string' | 'number' | 'boolean';
export type { Scalar, VariantId };

/** The run-time type a field's value must have. */
export interface IrValueType {
  readonly kind: ScalarKind | 'list';
  /** For lists: the kind every element must have. */
  readonly element?: ScalarKind;
  /** For enums (or lists of enums): the allowed values; anything else counts as absent. */
  readonly enumValues?: readonly string[];
}

/** A field the policy reads, with the run-time type its value must have. */
export interface IrField extends IrValueType {
  readonly index: number;
  readonly path: string;
  readonly source: FieldSource;
  /** Value when the request does not carry the field (asset.tags → []). */
  readonly fallback?: readonly string[];
}

/**
 * A field a request may carry for this policy — built in or declared under `schema:`, read by a
 * rule or not — with where the request carries it and whether the policy expects it there.
 */
export interface IrRequestField extends IrValueType {
  readonly path: string;
  readonly source: Extract<FieldSource, { readonly from: 'request' | 'context' | 'asset' | 'metadata' }>;
  readonly optional: boolean;
  /** What the policy's declaration says of `optional`, when it declares the field and says so. */
  readonly declaredOptional?: boolean;
}

interface At {
  /** Where the node comes from in the policy file. */
  readonly span: Span;
}

/**
 * Lowered expressions. Logic is structural (`not`, `and`, `or` short-circuit and are compiled to
 * jumps); every other operator is an `op` naming a variant of the operator table, and every
 * function an entry of the function table.
 */
export type Node =
  | (At & { readonly k: 'lit'; readonly value: Scalar })
  | (At & { readonly k: 'list'; readonly items: readonly Node[] })
  | (At & { readonly k: 'field'; readonly field: number })
  | (At & { readonly k: 'exists'; readonly field: number })
  | (At & { readonly k: 'not'; readonly x: Node })
  | (At & { readonly k: 'and' | 'or'; readonly a: Node; readonly b: Node })
  /** An operator variant applied to its operands, in source order. */
  | (At & { readonly k: 'op'; readonly op: VariantId; readonly args: readonly Node[] })
  /** A built-in function call. */
  | (At & { readonly k: 'call'; readonly fn: string; readonly args: readonly Node[] });

export type NodeKind = Node['k'];

export interface IrMultiplier {
  readonly cond: Node;
  readonly value: Node;
  /** Source text of the `if`, for explain. */
  readonly text: string;
}

export interface IrCost {
  readonly base: Node;
  readonly multipliers: readonly IrMultiplier[];
}

export interface IrRule {
  readonly id: string;
  readonly priority: number;
  /** Absent: always matches. */
  readonly cond?: Node;
  readonly cost?: IrCost;
  readonly allow: boolean;
  readonly reason?: string;
  readonly redirect?: string;
}

/** A registry asset with the fields decisions read (prices live in the money model). */
export interface IrAsset {
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface IrParam {
  readonly name: string;
  readonly kind: ScalarKind;
  readonly value: Scalar;
}

/** The whole lowered policy. Rules are in evaluation order. */
export interface IrPolicy {
  readonly version: string;
  readonly currency: string;
  /** sha256 of the policy source text. */
  readonly hash: string;
  readonly rounding: { readonly decimals: number; readonly mode: RoundingMode };
  readonly actions: readonly string[];
  readonly fields: readonly IrField[];
  /**
   * Every field a request may carry, in declaration order (built-in fields first). Decisions never
   * use it: it is the request shape the `.d.ts` of a compiled module types.
   */
  readonly requestFields: readonly IrRequestField[];
  readonly params: readonly IrParam[];
  readonly assets: readonly IrAsset[];
  readonly rules: readonly IrRule[];
  /** Prices, bundles and tax in minor units: what `quote` reads. */
  readonly quote: QuoteTable;
}
