/** The policy model: the YAML file turned into typed data, with expressions parsed and located. */
import type { Span, SourceFile } from '../diag/source.js';
import type { Expr } from '../expr/ast.js';
import type { RoundingMode } from '../ir/ir.js';
import type { FieldDecl, ParamDecl } from './schema.js';

export type { RoundingMode };

export interface Rounding {
  readonly decimals: number;
  readonly mode: RoundingMode;
}

/** A cost multiplier: when `cond` holds, the base is multiplied by `value`. */
export interface Multiplier {
  readonly cond: Expr;
  readonly value: Expr;
  readonly span: Span;
}

/** `cost:` of an action — a plain number or expression is a cost with no multipliers. */
export interface Cost {
  readonly base: Expr;
  readonly multipliers: readonly Multiplier[];
  readonly span: Span;
}

export interface Action {
  readonly allow: boolean;
  readonly cost?: Cost;
  readonly reason?: string;
  readonly redirect?: string;
  readonly redirectSpan?: Span;
  readonly span: Span;
}

export interface Rule {
  readonly id: string;
  readonly idSpan: Span;
  readonly priority: number;
  /** Position in the file, used to keep file order among equal priorities. */
  readonly index: number;
  readonly description?: string;
  /** Absent means the rule always matches. Map conditions are lowered to an `and` of comparisons. */
  readonly condition?: Expr;
  readonly conditionSpan?: Span;
  readonly action: Action;
  /** Part of the rule could not be built (an error was reported): analyses must not trust it. */
  readonly broken?: boolean;
  readonly span: Span;
}

export interface Asset {
  readonly id: string;
  readonly type?: string;
  readonly typeSpan?: Span;
  readonly tags?: readonly string[];
  readonly matrixId?: string;
  /** Price as a decimal string, exactly as written (money is never a float). */
  readonly price?: string;
  readonly priceSpan?: Span;
  readonly taxCode?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly span: Span;
}

export interface Bundle {
  readonly id: string;
  readonly assets: readonly string[];
  readonly priceMultiplier: number;
  /** The multiplier exactly as written (`0.8`), for exact money arithmetic. */
  readonly multiplierText: string;
  readonly multiplierSpan: Span;
  readonly span: Span;
  readonly assetSpans: readonly Span[];
}

export interface TaxRule {
  readonly region: readonly string[];
  readonly code: string;
  /** A number 0..1 or `vat` (the country's standard VAT rate). */
  readonly rate: number | 'vat';
  /** A numeric rate exactly as written (`0.19`). */
  readonly rateText?: string;
  readonly reverseCharge: boolean;
  readonly regionSpan: Span;
  /** Span of each code of `region`, in order. */
  readonly regionSpans: readonly Span[];
  readonly span: Span;
}

export interface Tax {
  readonly defaultCode?: string;
  readonly inclusive: boolean;
  readonly rules: readonly TaxRule[];
}

export interface Offer {
  readonly id: string;
  readonly priceIds: readonly string[];
  readonly grants: { readonly tokens?: number; readonly tier?: string; readonly entitlements?: readonly string[] };
  readonly span: Span;
}

/** A loaded policy. `rules` are in file order; evaluation order is `evaluationOrder(policy)`. */
export interface Policy {
  readonly file: string;
  readonly source: SourceFile;
  readonly version: string;
  readonly currency: string;
  readonly rounding: Rounding;
  /** Fields declared under `schema:`, in file order. */
  readonly schema: readonly FieldDecl[];
  readonly params: readonly ParamDecl[];
  readonly assets: readonly Asset[];
  /** `default_price` exactly as written, when the policy sets it. */
  readonly defaultPrice?: string;
  readonly defaultPriceSpan?: Span;
  readonly currencySpan?: Span;
  readonly rules: readonly Rule[];
  readonly bundles: readonly Bundle[];
  readonly tax?: Tax;
  readonly offers: readonly Offer[];
}

/** Rules by priority descending; equal priorities keep file order. */
export function evaluationOrder(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => b.priority - a.priority || a.index - b.index);
}
