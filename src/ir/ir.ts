/**
 * The IR: a checked policy lowered to a closed set of typed nodes. The interpreter and the code
 * generator both consume exactly this, and nothing else of the policy.
 */
import type { Span } from '../diag/source.js';
import type { FieldSource } from '../lang/fields.js';

export type { FieldSource };
/** How costs are rounded to the policy's decimals. */
export type RoundingMode = 'ceil' | 'floor' | 'half_even' | 'half_up';

export type ScalarKind = 'string' | 'number' | 'boolean';
export type Scalar = string | number | boolean;

/** A field the policy reads, with the run-time type its value must have. */
export interface IrField {
  readonly index: number;
  readonly path: string;
  readonly source: FieldSource;
  readonly kind: ScalarKind | 'list';
  /** For lists: the kind every element must have. */
  readonly element?: ScalarKind;
  /** For enums (or lists of enums): the allowed values; anything else counts as absent. */
  readonly enumValues?: readonly string[];
  /** Value when the request does not carry the field (asset.tags → []). */
  readonly fallback?: readonly string[];
}

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type OrderOp = '<' | '<=' | '>' | '>=';
export type StrOp = 'contains' | 'starts_with' | 'ends_with';
export type FnName = 'len' | 'min' | 'max' | 'abs' | 'floor' | 'ceil' | 'round' | 'lower' | 'upper';

interface At {
  /** Where the node comes from in the policy file. */
  readonly span: Span;
}

export type Node =
  | (At & { readonly k: 'lit'; readonly value: Scalar })
  | (At & { readonly k: 'list'; readonly items: readonly Node[] })
  | (At & { readonly k: 'field'; readonly field: number })
  | (At & { readonly k: 'exists'; readonly field: number })
  | (At & { readonly k: 'not'; readonly x: Node })
  | (At & { readonly k: 'and' | 'or'; readonly a: Node; readonly b: Node })
  /** Equality of two scalars of the same kind; `negate` for `!=`. */
  | (At & { readonly k: 'eq'; readonly a: Node; readonly b: Node; readonly negate: boolean })
  | (At & { readonly k: 'order'; readonly op: OrderOp; readonly a: Node; readonly b: Node })
  /** `x in list` / `x not in list`. */
  | (At & { readonly k: 'in'; readonly x: Node; readonly list: Node; readonly negate: boolean })
  /** `list contains x`. */
  | (At & { readonly k: 'has'; readonly list: Node; readonly x: Node })
  | (At & { readonly k: 'str'; readonly op: StrOp; readonly a: Node; readonly b: Node })
  /** Numeric arithmetic; a non-finite result counts as absent. */
  | (At & { readonly k: 'arith'; readonly op: ArithOp; readonly a: Node; readonly b: Node })
  | (At & { readonly k: 'concat'; readonly a: Node; readonly b: Node })
  | (At & { readonly k: 'neg'; readonly x: Node })
  | (At & { readonly k: 'call'; readonly fn: FnName; readonly args: readonly Node[] });

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
  readonly params: readonly IrParam[];
  readonly assets: readonly IrAsset[];
  readonly rules: readonly IrRule[];
}
