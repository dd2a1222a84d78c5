/**
 * The type checker: types every expression of a policy against the environment, reports unknown
 * fields, type mismatches, enum typos and unguarded optional fields, and records each node's type
 * for the lowering stage.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import { didYouMean, Suggester } from '../diag/suggest.js';
import { pathText, type BinaryExpr, type CallExpr, type Expr, type PathExpr } from '../expr/ast.js';
import type { Policy, Rule } from '../policy/model.js';
import { ROOTS } from '../lang/fields.js';
import { buildEnv, type Env } from './env.js';
import { FieldIndex } from './field-index.js';
import { lookupFunction, FUNCTIONS } from '../lang/functions.js';
import { binaryOperator, unaryOperator, type ValueOperator } from '../lang/operators.js';
import { BOOLEAN, NUMBER, STRING, UNKNOWN, comparable, listOf, typeName, type Type } from '../lang/types.js';

/** Types of every checked expression node. */
export type TypeMap = ReadonlyMap<Expr, Type>;

/** What the check stage knows of a policy: the environment and the type of every expression node. */
export interface Checked {
  readonly env: Env;
  readonly types: TypeMap;
}

/** Derive the environment from the model, then type every expression of the policy. */
export function checkPolicy(policy: Policy): Checked & { diagnostics: Diagnostic[] } {
  const { env, diagnostics } = buildEnv(policy);
  const c = new Checker(policy.file, env);
  for (const rule of policy.rules) c.rule(rule);
  c.assets(policy);
  return { env, types: c.types, diagnostics: [...diagnostics, ...c.diagnostics] };
}

/**
 * Paths known to exist when `e` evaluates to `when`: `exists(p)` guards p when true; `not` swaps;
 * `a and b` true guards what either guards; `a or b` false guards what either guards when false.
 * Evaluation is left to right, so only a guard to the left of a use counts (within the same
 * conjunction), as in `exists(user.country) and user.country == 'DE'` or
 * `not exists(user.country) or user.country != 'DE'`.
 */
export function guardsWhen(e: Expr | undefined, when: boolean): string[] {
  if (!e) return [];
  if (e.kind === 'call' && e.callee === 'exists' && e.args.length === 1 && e.args[0]!.kind === 'path') return when ? [pathText(e.args[0])] : [];
  if (e.kind === 'unary' && e.op === 'not') return guardsWhen(e.operand, !when);
  if (e.kind === 'binary' && ((e.op === 'and' && when) || (e.op === 'or' && !when))) return [...guardsWhen(e.left, when), ...guardsWhen(e.right, when)];
  return [];
}

/** How many values of an enum a message lists: all of a short enum, the first of a long one. */
const LISTED_VALUES = 12;

/** An enum's values for a message, comma-separated; a long enum is cut short with its size. */
function listed(values: readonly string[], quote = ''): string {
  const shown = values.length <= LISTED_VALUES ? values : values.slice(0, LISTED_VALUES - 2);
  const text = shown.map((v) => `${quote}${v}${quote}`).join(', ');
  return shown.length === values.length ? text : `${text}, … (${values.length} values)`;
}

/**
 * Edit distances the checker may compute for did-you-mean hints in one policy: a fraction of a
 * second at worst, and thousands of typos' worth in a policy of ordinary size (see Suggester).
 */
const SUGGESTION_BUDGET = 200_000;

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<Expr, Type>();
  private readonly suggest = new Suggester(SUGGESTION_BUDGET);
  private readonly enumSets = new WeakMap<readonly string[], ReadonlySet<string>>();
  /** Built on the first unknown path: a policy without mistakes never needs it. */
  private index: FieldIndex | undefined;

  constructor(
    private readonly file: string,
    private readonly env: Env,
  ) {}

  /** Registry asset types must belong to the `asset.type` enum. */
  assets(policy: Policy): void {
    const t = this.env.fields.get('asset.type')?.type;
    if (t?.kind !== 'enum') return;
    for (const a of policy.assets) {
      if (a.type === undefined || this.isValueOf(t.values, a.type)) continue;
      this.diagnostics.push(
        diag('M302', this.file, a.typeSpan ?? a.span, `asset '${a.id}' has type '${a.type}', which is not a value of asset.type (${listed(t.values)})`, {
          hint: this.suggest.didYouMean(a.type, t.values) ?? 'use one of the values, or declare the enum under `schema: {asset: {type: {enum: [...]}}}`',
        }),
      );
    }
  }

  /** Whether `value` is one of an enum's values; a Set per enum, as an enum may have thousands. */
  private isValueOf(values: readonly string[], value: string): boolean {
    let set = this.enumSets.get(values);
    if (!set) this.enumSets.set(values, (set = new Set(values)));
    return set.has(value);
  }

  rule(rule: Rule): void {
    const guards = new Set(guardsWhen(rule.condition, true));
    if (rule.condition) this.expectBoolean(rule.condition, 'condition', new Set());
    const cost = rule.action.cost;
    if (!cost) return;
    this.expectNumber(cost.base, 'cost', guards);
    for (const m of cost.multipliers) {
      const local = new Set([...guards, ...guardsWhen(m.cond, true)]);
      this.expectBoolean(m.cond, "multiplier 'if'", guards);
      this.expectNumber(m.value, 'multiplier value', local);
    }
  }

  expectBoolean(e: Expr, what: string, guards: ReadonlySet<string>): void {
    const t = this.type(e, guards);
    if (t.kind !== 'boolean' && t.kind !== 'unknown') {
      this.report('M303', e, `the ${what} has type ${typeName(t)}, but must be a boolean`, e.kind === 'path' && t.kind === 'number' ? `compare it, e.g. \`${pathText(e)} > 0\`` : 'write a comparison such as `user.tier == \'pro\'`');
    }
  }

  private expectNumber(e: Expr, what: string, guards: ReadonlySet<string>): void {
    const t = this.type(e, guards);
    if (t.kind !== 'number' && t.kind !== 'unknown') this.report('M304', e, `the ${what} has type ${typeName(t)}, but must be a number`, 'costs are numbers of tokens, e.g. `1` or `asset.metadata.compute_cost * 100`');
  }

  private report(code: Parameters<typeof diag>[0], e: { span: Expr['span'] }, message: string, hint?: string): void {
    this.diagnostics.push(diag(code, this.file, e.span, message, { hint }));
  }

  private type(e: Expr, guards: ReadonlySet<string>): Type {
    const t = this.infer(e, guards);
    this.types.set(e, t);
    return t;
  }

  private infer(e: Expr, guards: ReadonlySet<string>): Type {
    switch (e.kind) {
      case 'string':
        return STRING;
      case 'number':
        return NUMBER;
      case 'boolean':
        return BOOLEAN;
      case 'list': {
        let element: Type = UNKNOWN;
        for (const item of e.items) {
          const t = this.type(item, guards);
          if (t.kind === 'list') this.report('M301', item, 'lists cannot be nested');
          else if (element.kind === 'unknown') element = t;
          else if (!comparable(element, t)) this.report('M301', item, `list items must all have one type: found ${typeName(t)} after ${typeName(element)}`);
        }
        return listOf(element);
      }
      case 'path':
        return this.path(e, guards, false);
      case 'call':
        return this.call(e, guards);
      case 'unary': {
        const t = this.type(e.operand, guards);
        const u = unaryOperator(e.op);
        if (t.kind !== u.operand && t.kind !== 'unknown') {
          const what = u.op === 'not' ? `'not' needs a boolean operand` : `unary '-' needs a number`;
          this.diagnostics.push(diag('M301', this.file, e.operand.span, `${what}, found ${typeName(t)}`, { have: typeName(t), want: u.operand }));
        }
        return u.operand === 'boolean' ? BOOLEAN : NUMBER;
      }
      case 'binary':
        return this.binary(e, guards);
    }
  }

  private path(e: PathExpr, guards: ReadonlySet<string>, inExists: boolean): Type {
    const text = pathText(e);
    const f = this.env.fields.get(text);
    if (f) {
      if (f.optional && !inExists && !guards.has(text)) {
        this.report('M307', e, `'${text}' is optional: when a request does not carry it, this rule silently does not match`, `guard it: \`exists(${text}) and ...\``);
      }
      return f.type;
    }
    if (!(ROOTS as readonly string[]).includes(e.root)) {
      this.diagnostics.push(
        diag('M300', this.file, e.rootSpan, `unknown field '${text}': '${e.root}' is not a root`, {
          hint: didYouMean(e.root, ROOTS) ?? `paths start with ${ROOTS.join(', ')}`,
        }),
      );
      return UNKNOWN;
    }
    const index = (this.index ??= new FieldIndex(this.env));
    const examples = index.fieldsUnder(text);
    if (examples.length > 0) {
      this.report('M309', e, `'${text}' is an object, not a field`, `name one of its fields, e.g. ${examples.map((x) => `'${x}'`).join(', ')}`);
      return UNKNOWN;
    }
    for (let k = e.segments.length - 1; k >= 1; k--) {
      const inner = this.env.fields.get(pathText({ root: e.root, segments: e.segments.slice(0, k) }));
      if (inner) {
        this.report('M309', e, `'${text}' reads into '${inner.path}' (${typeName(inner.type)}), which has no fields`, `use '${inner.path}' itself`);
        return UNKNOWN;
      }
    }
    if (e.root === 'params') {
      const name = e.segments[0]?.name ?? '';
      this.report('M308', e, `unknown parameter '${text}'`, this.suggest.didYouMean(name, index.params) ?? `define it under \`params:\` with a default value, e.g. \`params: {${name || 'name'}: 1}\``);
      return UNKNOWN;
    }
    const sameRoot = index.fieldsOf(e.root);
    let hint = this.suggest.didYouMean(text, sameRoot);
    if (!hint && text.startsWith('asset.metadata')) hint = `declare it under \`schema: {asset: {metadata: {${e.segments[1]?.name ?? 'name'}: number}}}\``;
    if (!hint) hint = `declare it under \`schema: {${e.root}: {${e.segments[0]?.name ?? 'name'}: string}}\`, or use one of: ${sameRoot.slice(0, 6).join(', ')}`;
    this.report('M300', e, `unknown field '${text}'`, hint);
    return UNKNOWN;
  }

  private call(e: CallExpr, guards: ReadonlySet<string>): Type {
    const fn = lookupFunction(e.callee);
    if (!fn) {
      this.diagnostics.push(
        diag('M305', this.file, e.calleeSpan, `unknown function '${e.callee}'`, {
          hint: didYouMean(e.callee, FUNCTIONS.keys()) ?? `the functions are ${[...FUNCTIONS.keys()].join(', ')}`,
        }),
      );
      for (const a of e.args) this.type(a, guards);
      return UNKNOWN;
    }
    if (e.args.length < fn.minArgs || e.args.length > fn.maxArgs) {
      const want = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} or ${fn.maxArgs}`;
      this.report('M306', e, `${fn.name}() takes ${want} argument${want === '1' ? '' : 's'} (${fn.params}), but is given ${e.args.length}`);
      for (const a of e.args) this.type(a, guards);
      return fn.result;
    }
    if (fn.name === 'exists') {
      const arg = e.args[0]!;
      if (arg.kind !== 'path') this.report('M301', arg, 'exists() takes a field path, e.g. `exists(user.country)`');
      else this.types.set(arg, this.path(arg, guards, true));
      return BOOLEAN;
    }
    const types = e.args.map((a) => this.type(a, guards));
    const bad = fn.accepts(types);
    if (bad >= 0) {
      this.diagnostics.push(diag('M301', this.file, e.args[bad]!.span, `${fn.name}() expects ${fn.params}, but argument ${bad + 1} is ${typeName(types[bad]!)}`, { have: typeName(types[bad]!), want: fn.params }));
    }
    const lit = fn.literalArgs?.(e.args.map((a) => (a.kind === 'number' || a.kind === 'string' || a.kind === 'boolean' ? { literal: a.value } : {})));
    if (lit) this.report('M301', e.args[lit.index]!, lit.message);
    return fn.result;
  }

  private binary(e: BinaryExpr, guards: ReadonlySet<string>): Type {
    const o = binaryOperator(e.op);
    if (o.group === 'logic') {
      // The right side is only evaluated when the left is true (and) or false (or).
      const right = new Set([...guards, ...guardsWhen(e.left, o.op === 'and')]);
      for (const [side, g] of [
        [e.left, guards],
        [e.right, right],
      ] as const) {
        const t = this.type(side, g);
        if (t.kind !== 'boolean' && t.kind !== 'unknown') {
          this.diagnostics.push(diag('M301', this.file, side.span, `'${o.op}' needs boolean operands, found ${typeName(t)}`, { hint: 'compare the value, e.g. `x > 0`', have: typeName(t), want: 'boolean' }));
        }
      }
      return BOOLEAN;
    }
    const l = this.type(e.left, guards);
    const r = this.type(e.right, guards);
    const verdict = o.type(l, r);
    if ('want' in verdict) {
      this.diagnostics.push(
        diag('M301', this.file, e.opSpan, `'${o.op}' cannot be applied to ${typeName(l)} and ${typeName(r)}`, {
          hint: verdict.hint,
          have: `${typeName(l)} ${o.op} ${typeName(r)}`,
          want: verdict.want,
        }),
      );
      return verdict.assume;
    }
    this.enumLiterals(o, e, l, r);
    return verdict.type;
  }

  /** String literals compared with an enum operand, where the operator says to look. */
  private enumLiterals(o: ValueOperator, e: BinaryExpr, l: Type, r: Type): void {
    switch (o.enumCheck) {
      case 'either-side':
        this.checkEnumLiteral(l, e.right) || this.checkEnumLiteral(r, e.left);
        return;
      case 'list-items':
        if (e.right.kind === 'list') for (const item of e.right.items) this.checkEnumLiteral(l, item);
        return;
      case 'list-element':
        if (l.kind === 'list') this.checkEnumLiteral(l.element, e.right);
        return;
    }
  }

  /** A string literal compared with an enum must be one of its values. Returns whether it checked. */
  private checkEnumLiteral(t: Type, other: Expr): boolean {
    if (t.kind !== 'enum' || other.kind !== 'string') return false;
    if (!this.isValueOf(t.values, other.value)) {
      const hint = this.suggest.didYouMean(other.value, t.values) ?? `the values of ${t.name} are ${listed(t.values, "'")}`;
      this.report('M302', other, `'${other.value}' is not a value of ${t.name} (${listed(t.values)})`, hint);
    }
    return true;
  }
}

