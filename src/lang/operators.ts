/**
 * The operator table: every operator of the expression language in one entry — its spelling and
 * precedence (the parser's levels, the printers), its type rule (the checker), the variant that
 * runs for the checked operand types (lowering), and per variant its evaluator (the interpreter,
 * constant folding) and how generated code computes it (the code generator). Adding an operator is
 * one entry here, its tokens and grammar level, and its tests.
 *
 * Evaluators see operands that already passed their `operands` check and return `undefined` when
 * the operation has no value; the engines turn that, and any non-finite number, into "absent".
 */
import { BOOLEAN, NUMBER, STRING, UNKNOWN, comparable, isStringLike, type Type } from './types.js';

export type Scalar = string | number | boolean;
/** A run-time value an evaluator may see: a scalar or a list of scalars. */
export type RtValue = Scalar | readonly Scalar[];

/** What a run-time operand must be; anything else makes the whole expression absent. */
export type Operand = 'scalar' | 'string' | 'number' | 'list';

/**
 * How generated code computes a variant. The code generator owns the JavaScript for each kind;
 * the names here (`<`, `includes`, `listHas`) are ours, never policy text.
 */
export type Emit =
  /** `a === b` / `a !== b`, with a fast path for a field against literals. */
  | { readonly kind: 'equality'; readonly negate: boolean }
  /** `x in [literals]` as a set test; a computed list goes through `listHas`. */
  | { readonly kind: 'membership'; readonly negate: boolean }
  /** A boolean infix test: `a < b`. */
  | { readonly kind: 'compare'; readonly op: '<' | '<=' | '>' | '>=' }
  /** A boolean string method: `a.startsWith(b)`. */
  | { readonly kind: 'method'; readonly method: 'includes' | 'startsWith' | 'endsWith' }
  /** A boolean runtime helper over the operands in order: `listHas(list, x)`. */
  | { readonly kind: 'runtime'; readonly fn: 'listHas' }
  /** Numeric arithmetic whose result must be finite. */
  | { readonly kind: 'arith'; readonly op: '+' | '-' | '*' | '/' | '%' }
  /** String concatenation. */
  | { readonly kind: 'concat' }
  /** Unary minus (normalising -0 to 0). */
  | { readonly kind: 'negate' };

/** One executable form of an operator, chosen by lowering from the checked types. */
export interface Variant {
  readonly operands: readonly Operand[];
  readonly result: 'boolean' | 'number' | 'string';
  readonly evaluate: (...args: readonly RtValue[]) => Scalar | undefined;
  readonly emit: Emit;
}

/**
 * A type rule's verdict: the result type, or what the operands should have been (and the type to
 * assume for the expression so that one mistake is reported once, not again by its parent).
 */
export type TypeVerdict = { readonly type: Type } | { readonly want: string; readonly hint?: string; readonly assume: Type };

/** Where the checker looks for string literals that must be values of an enum operand. */
export type EnumCheck = 'either-side' | 'list-items' | 'list-element';

interface OperatorBase<Op extends string> {
  /** The operator as written in expressions (and in the AST). */
  readonly op: Op;
  /** Binding strength; higher binds tighter. */
  readonly precedence: number;
  readonly doc: string;
}

/** `and`, `or`: short-circuit control flow, evaluated and compiled structurally. */
export interface LogicOperator<Op extends string = string> extends OperatorBase<Op> {
  readonly group: 'logic';
}

/** Every other binary operator. */
export interface ValueOperator<Op extends string = string> extends OperatorBase<Op> {
  readonly group: 'compare' | 'arith';
  /** The type rule over the operand types. */
  readonly type: (l: Type, r: Type) => TypeVerdict;
  readonly enumCheck?: EnumCheck;
  /** Its executable forms, by id. */
  readonly variants: Readonly<Record<string, Variant>>;
  /** Which variant runs, from the checked operand and result types. */
  readonly lower: (l: Type, r: Type, result: Type) => string;
}

const isNum = (t: Type): boolean => t.kind === 'number' || t.kind === 'unknown';
const isStr = (t: Type): boolean => isStringLike(t) || t.kind === 'unknown';
/** Whether two values can be ordered: both numbers or both strings. */
const same = (a: RtValue, b: RtValue): boolean => typeof a === typeof b && (typeof a === 'number' || typeof a === 'string');
const has = (list: readonly Scalar[], x: Scalar): boolean => {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
};
const asList = (v: RtValue): readonly Scalar[] => v as readonly Scalar[];

const BOOL: TypeVerdict = { type: BOOLEAN };

function equality(op: string) {
  return (l: Type, r: Type): TypeVerdict => {
    // Equality is defined on scalars only: the engines would otherwise disagree on lists.
    if (l.kind === 'list' || r.kind === 'list') return { want: `'${op}' compares two scalars, not lists`, ...(l.kind === 'list' ? { hint: 'to test membership write `… contains value`' } : {}), assume: BOOLEAN };
    return comparable(l, r) ? BOOL : { want: 'both sides must have the same type', assume: BOOLEAN };
  };
}

const ordering = (l: Type, r: Type): TypeVerdict => ((isNum(l) && isNum(r)) || (isStr(l) && isStr(r)) ? BOOL : { want: 'ordering compares two numbers or two strings', assume: BOOLEAN });

function membership(op: string) {
  return (l: Type, r: Type): TypeVerdict => {
    if (r.kind !== 'list' && r.kind !== 'unknown') return { want: `the right side of '${op}' must be a list`, hint: "write `x in ['a', 'b']`", assume: BOOLEAN };
    if (r.kind === 'list' && !comparable(l, r.element)) return { want: 'the value and the list items must have the same type', assume: BOOLEAN };
    return BOOL;
  };
}

function strings(op: string) {
  return (l: Type, r: Type): TypeVerdict => (isStr(l) && isStr(r) ? BOOL : { want: `'${op}' compares two strings`, assume: BOOLEAN });
}

function numeric(op: string) {
  return (l: Type, r: Type): TypeVerdict => (isNum(l) && isNum(r) ? { type: NUMBER } : { want: `'${op}' needs two numbers`, assume: NUMBER });
}

/** An operator with a single variant. */
const only = <Id extends string>(id: Id) => (): Id => id;

/** Ordering tests of two scalars of one kind (numbers, or strings by UTF-16 code units). */
function order(op: '<' | '<=' | '>' | '>=', test: (a: Scalar, b: Scalar) => boolean): Variant {
  return { operands: ['scalar', 'scalar'], result: 'boolean', evaluate: (a, b) => (same(a!, b!) ? test(a as Scalar, b as Scalar) : undefined), emit: { kind: 'compare', op } };
}

const numbers = (op: '+' | '-' | '*' | '/' | '%', f: (a: number, b: number) => number): Variant => ({
  operands: ['number', 'number'],
  result: 'number',
  evaluate: (a, b) => f(a as number, b as number),
  emit: { kind: 'arith', op },
});

const stringTest = (method: 'includes' | 'startsWith' | 'endsWith'): Variant => ({
  operands: ['string', 'string'],
  result: 'boolean',
  evaluate: (a, b) => (a as string)[method](b as string),
  emit: { kind: 'method', method },
});

/** The binary operators, loosest first. */
export const BINARY_OPERATORS = [
  { op: 'or', group: 'logic', precedence: 1, doc: 'true when either side is true (the right side is evaluated only when the left is false)' },
  { op: 'and', group: 'logic', precedence: 2, doc: 'true when both sides are true (the right side is evaluated only when the left is true)' },
  {
    op: '==',
    group: 'compare',
    precedence: 4,
    doc: 'equal scalars',
    type: equality('=='),
    enumCheck: 'either-side',
    variants: { eq: { operands: ['scalar', 'scalar'], result: 'boolean', evaluate: (a, b) => a === b, emit: { kind: 'equality', negate: false } } },
    lower: only('eq'),
  },
  {
    op: '!=',
    group: 'compare',
    precedence: 4,
    doc: 'different scalars',
    type: equality('!='),
    enumCheck: 'either-side',
    variants: { ne: { operands: ['scalar', 'scalar'], result: 'boolean', evaluate: (a, b) => a !== b, emit: { kind: 'equality', negate: true } } },
    lower: only('ne'),
  },
  { op: '<', group: 'compare', precedence: 4, doc: 'less than (numbers, or strings by UTF-16 code units)', type: ordering, variants: { lt: order('<', (a, b) => a < b) }, lower: only('lt') },
  { op: '<=', group: 'compare', precedence: 4, doc: 'less than or equal', type: ordering, variants: { le: order('<=', (a, b) => a <= b) }, lower: only('le') },
  { op: '>', group: 'compare', precedence: 4, doc: 'greater than', type: ordering, variants: { gt: order('>', (a, b) => a > b) }, lower: only('gt') },
  { op: '>=', group: 'compare', precedence: 4, doc: 'greater than or equal', type: ordering, variants: { ge: order('>=', (a, b) => a >= b) }, lower: only('ge') },
  {
    op: 'in',
    group: 'compare',
    precedence: 4,
    doc: 'the value is an item of the list',
    type: membership('in'),
    enumCheck: 'list-items',
    variants: { in: { operands: ['scalar', 'list'], result: 'boolean', evaluate: (x, l) => has(asList(l!), x as Scalar), emit: { kind: 'membership', negate: false } } },
    lower: only('in'),
  },
  {
    op: 'not in',
    group: 'compare',
    precedence: 4,
    doc: 'the value is not an item of the list',
    type: membership('not in'),
    enumCheck: 'list-items',
    variants: { not_in: { operands: ['scalar', 'list'], result: 'boolean', evaluate: (x, l) => !has(asList(l!), x as Scalar), emit: { kind: 'membership', negate: true } } },
    lower: only('not_in'),
  },
  {
    op: 'contains',
    group: 'compare',
    precedence: 4,
    doc: 'a list holds the value, or a string holds the substring',
    type: (l: Type, r: Type): TypeVerdict => {
      if (l.kind === 'list') return comparable(l.element, r) ? BOOL : { want: 'the list items and the value must have the same type', assume: BOOLEAN };
      return isStr(l) && isStr(r) ? BOOL : { want: "'contains' tests a list for a value or a string for a substring", assume: BOOLEAN };
    },
    enumCheck: 'list-element',
    variants: {
      has: { operands: ['list', 'scalar'], result: 'boolean', evaluate: (l, x) => has(asList(l!), x as Scalar), emit: { kind: 'runtime', fn: 'listHas' } },
      includes: stringTest('includes'),
    },
    lower: (l: Type) => (l.kind === 'list' ? 'has' : 'includes'),
  },
  { op: 'starts_with', group: 'compare', precedence: 4, doc: 'the string starts with the other', type: strings('starts_with'), variants: { starts_with: stringTest('startsWith') }, lower: only('starts_with') },
  { op: 'ends_with', group: 'compare', precedence: 4, doc: 'the string ends with the other', type: strings('ends_with'), variants: { ends_with: stringTest('endsWith') }, lower: only('ends_with') },
  {
    op: '+',
    group: 'arith',
    precedence: 5,
    doc: 'adds two numbers or joins two strings',
    type: (l: Type, r: Type): TypeVerdict => {
      if (isNum(l) && isNum(r)) return { type: NUMBER };
      if (isStr(l) && isStr(r)) return { type: STRING };
      return { want: "'+' adds two numbers or joins two strings", assume: UNKNOWN };
    },
    variants: {
      add: numbers('+', (a, b) => a + b),
      concat: { operands: ['string', 'string'], result: 'string', evaluate: (a, b) => (a as string) + (b as string), emit: { kind: 'concat' } },
    },
    lower: (_l: Type, _r: Type, result: Type) => (result.kind === 'string' ? 'concat' : 'add'),
  },
  { op: '-', group: 'arith', precedence: 5, doc: 'subtraction', type: numeric('-'), variants: { sub: numbers('-', (a, b) => a - b) }, lower: only('sub') },
  { op: '*', group: 'arith', precedence: 6, doc: 'multiplication', type: numeric('*'), variants: { mul: numbers('*', (a, b) => a * b) }, lower: only('mul') },
  { op: '/', group: 'arith', precedence: 6, doc: 'division (by zero: no value)', type: numeric('/'), variants: { div: numbers('/', (a, b) => a / b) }, lower: only('div') },
  { op: '%', group: 'arith', precedence: 6, doc: 'remainder, with the sign of the left side', type: numeric('%'), variants: { mod: numbers('%', (a, b) => a % b) }, lower: only('mod') },
] as const satisfies readonly (LogicOperator | ValueOperator)[];

export type BinaryOp = (typeof BINARY_OPERATORS)[number]['op'];
export type LogicOp = Extract<(typeof BINARY_OPERATORS)[number], { group: 'logic' }>['op'];
export type CompareOp = Extract<(typeof BINARY_OPERATORS)[number], { group: 'compare' }>['op'];
export type ArithOp = Extract<(typeof BINARY_OPERATORS)[number], { group: 'arith' }>['op'];

/** A unary operator: `not` is structural like `and`; unary minus runs a variant. */
export interface UnaryOperator<Op extends string = string> extends OperatorBase<Op> {
  /** How it is written before its operand: `not ` or `-`. */
  readonly prefix: string;
  readonly operand: 'boolean' | 'number';
  readonly variants?: Readonly<Record<string, Variant>>;
  /** Which variant runs (unary minus has one); absent for the structural `not`. */
  readonly lower?: () => string;
}

export const UNARY_OPERATORS = [
  { op: 'not', prefix: 'not ', precedence: 3, operand: 'boolean', doc: 'true when the operand is false' },
  {
    op: 'neg',
    prefix: '-',
    precedence: 7,
    operand: 'number',
    doc: 'the number with its sign flipped',
    variants: { neg: { operands: ['number'], result: 'number', evaluate: (x) => -(x as number) + 0, emit: { kind: 'negate' } } },
    lower: only('neg'),
  },
] as const satisfies readonly UnaryOperator[];

export type UnaryOp = (typeof UNARY_OPERATORS)[number]['op'];

type Entry = (typeof BINARY_OPERATORS)[number] | (typeof UNARY_OPERATORS)[number];
type KeysOf<T> = T extends { readonly variants: infer V } ? keyof V & string : never;
/** The id of an executable variant; IR nodes name these. */
export type VariantId = KeysOf<Entry>;

/** Literals, paths, calls and lists bind tighter than any operator. */
export const ATOM_PRECEDENCE = 8;

/** How a variant is printed: its operator's spelling and precedence. */
export interface VariantInfo extends Variant {
  readonly id: VariantId;
  readonly op: string;
  readonly precedence: number;
  /** Set for prefix operators (`-`). */
  readonly prefix?: string;
}

const BINARY: ReadonlyMap<string, LogicOperator | ValueOperator> = new Map(BINARY_OPERATORS.map((o) => [o.op, o]));
const UNARY: ReadonlyMap<string, UnaryOperator> = new Map(UNARY_OPERATORS.map((o) => [o.op, o]));
const VARIANTS: ReadonlyMap<string, VariantInfo> = new Map(
  [...BINARY_OPERATORS, ...UNARY_OPERATORS].flatMap((o) =>
    'variants' in o ? Object.entries(o.variants as Readonly<Record<string, Variant>>).map(([id, v]) => [id, { ...v, id: id as VariantId, op: o.op, precedence: o.precedence, ...('prefix' in o ? { prefix: o.prefix } : {}) }] as const) : [],
  ),
);

/** The entry of a binary operator. */
export function binaryOperator(op: BinaryOp): LogicOperator | ValueOperator {
  return BINARY.get(op)!;
}

/** The entry of a unary operator. */
export function unaryOperator(op: UnaryOp): UnaryOperator {
  return UNARY.get(op)!;
}

/** A variant with its operator's spelling, by id. */
export function variant(id: VariantId): VariantInfo {
  return VARIANTS.get(id)!;
}

/** Every variant id (for tests that walk the table). */
export function variantIds(): VariantId[] {
  return [...VARIANTS.keys()] as VariantId[];
}
