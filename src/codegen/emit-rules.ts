/**
 * Rules → statements. Conditions compile to jumping code over labelled blocks: the code for a
 * condition falls through when it holds, `break`s to its false-label when it does not, and breaks
 * to the rule's label when it reads a MISSING value — so MISSING is absorbing under `not`, `or`
 * and `!=` exactly as in the reference evaluator, at the cost of plain branches.
 */
import type { IrField, IrRule, Node, Scalar } from '../ir/ir.js';
import { lookupFunction, type FunctionEmit } from '../lang/functions.js';
import { variant, type Emit } from '../lang/operators.js';
import { roundTo } from '../runtime/runtime.js';
import { Block, Code, js, joinCode, type Name, type Scope } from './code.js';
import { literalMembership } from './list-masks.js';

/** Module-level constants shared by all rules (sets of literals). */
export class Consts {
  private readonly sets = new Map<string, { name: Name; values: readonly Scalar[] }>();
  /**
   * Answers by list identity: a field's enum is one list tested by every rule reading the field,
   * and keying or deduplicating a list of thousands of values per test would cost rules × values.
   */
  private readonly setsByList = new WeakMap<readonly Scalar[], Name>();
  private readonly distinctByList = new WeakMap<readonly Scalar[], readonly Scalar[]>();
  constructor(private readonly scope: Scope) {}

  /** A `Set` constant holding these values. */
  set(values: readonly Scalar[]): Name {
    const known = this.setsByList.get(values);
    if (known) return known;
    const key = JSON.stringify(values);
    let s = this.sets.get(key);
    if (!s) {
      s = { name: this.scope.name('set'), values };
      this.sets.set(key, s);
    }
    this.setsByList.set(values, s.name);
    return s.name;
  }

  /** The values of a list without repeats, in order (one list object per input list). */
  distinct(list: readonly Scalar[]): readonly Scalar[] {
    let values = this.distinctByList.get(list);
    if (!values) this.distinctByList.set(list, (values = [...new Set(list)]));
    return values;
  }

  private readonly lists = new Map<string, { name: Name; values: readonly Scalar[] }>();

  /** A frozen array constant (a default value shared by every call instead of allocated per call). */
  frozenList(values: readonly Scalar[]): Name {
    const key = JSON.stringify(values);
    let l = this.lists.get(key);
    if (!l) {
      l = { name: this.scope.name('list'), values };
      this.lists.set(key, l);
    }
    return l.name;
  }

  /** Declarations of every constant. */
  declarations(): Code[] {
    return [
      ...[...this.sets.values()].map((s) => js`const ${s.name} = new Set(${[...s.values]});`),
      ...[...this.lists.values()].map((l) => js`const ${l.name} = Object.freeze(${[...l.values]});`),
    ];
  }
}

/** What rule code needs from the module around it. */
export interface RuleEnv {
  readonly scope: Scope;
  readonly consts: Consts;
  readonly fields: readonly IrField[];
  /** The expression holding field i's raw (unvalidated) value; for a list, its copy or undefined. */
  readonly fieldRef: (i: number) => Code;
  readonly rounding: { readonly decimals: number; readonly mode: string };
  /** Field slots hold validated values (undefined when absent or mistyped), as in indexed modules. */
  readonly prevalidated: boolean;
  /** List fields read as masks (see list-masks.ts): the bit of each literal tested. */
  readonly masks: ReadonlyMap<number, ReadonlyMap<Scalar, number>>;
}

const SMALL = 6;

/** Code that is true when a field value (raw, or a list's copy) is absent or of the wrong type. */
export function invalidTest(f: IrField, v: Code, env: RuleEnv): Code {
  // A list field holds what was read: a copy (undefined unless a list of its element type) or a
  // mask (-1 unless one).
  if (f.kind === 'list') return env.masks.has(f.index) ? js`${v} < 0` : js`${v} === undefined`;
  if (f.kind === 'number') return js`(typeof ${v} !== "number" || ${v} - ${v} !== 0)`;
  if (f.kind === 'boolean') return js`typeof ${v} !== "boolean"`;
  if (!f.enumValues) return js`typeof ${v} !== "string"`;
  return js`!${memberTest(v, f.enumValues, env)}`;
}

/** `(v === a || v === b)` for short lists, a Set lookup for long ones. */
function memberTest(v: Code, list: readonly Scalar[], env: RuleEnv): Code {
  const values = env.consts.distinct(list);
  if (values.length === 0) return js`false`;
  if (values.length <= SMALL) return js`(${joinCode(values.map((x) => js`${v} === ${x}`), js` || `)})`;
  return js`${env.consts.set(values)}.has(${v})`;
}

/** Compiles one rule's condition and cost into statements inside a labelled block. */
export class RuleEmitter {
  private readonly next: Name;
  /** Fields already validated on every path to the current point of straight-line code. */
  private validated = new Set<number>();

  constructor(
    private readonly env: RuleEnv,
    label: Name,
  ) {
    this.next = label;
  }

  /** The statements of a rule: fall through to `return decision`, break to the label otherwise. */
  rule(rule: IrRule, b: Block): void {
    const inner = b.nested();
    if (rule.cond) this.cond(rule.cond, this.next, inner);
    let costExpr: Code | undefined;
    const base = rule.cost?.base;
    if (rule.cost && base?.k === 'lit' && typeof base.value === 'number' && rule.cost.multipliers.length === 0) {
      // A constant cost is checked and rounded here, once, instead of on every call.
      if (!(base.value >= 0)) inner.add(js`break ${this.next};`);
      else costExpr = js`${roundTo(base.value, this.env.rounding.decimals, this.env.rounding.mode)}`;
    } else if (rule.cost) {
      const c = this.env.scope.name('cost');
      inner.add(js`let ${c} = ${this.val(rule.cost.base, inner)};`);
      for (const m of rule.cost.multipliers) {
        const lbl = this.env.scope.name('mul');
        const body = inner.nested();
        this.scoped(() => {
          this.cond(m.cond, lbl, body);
          body.add(js`${c} *= ${this.val(m.value, body)};`);
        });
        inner.add(js`${lbl}: {`).append(body).add(js`}`);
      }
      // A product of non-negative literals whose largest value is finite needs no check.
      const lit = (n: Node): number | undefined => (n.k === 'lit' && typeof n.value === 'number' && n.value >= 0 ? n.value : undefined);
      const factors = [rule.cost.base, ...rule.cost.multipliers.map((m) => m.value)].map(lit);
      // Any subset of multipliers may apply: bound the product by taking each one as at least 1.
      const bounded = factors.every((x) => x !== undefined) && Number.isFinite(factors.reduce((a, b, i) => a! * (i === 0 ? b! : Math.max(1, b!)), 1));
      if (!bounded) inner.breakIf(js`${c} - ${c} !== 0 || ${c} < 0`, this.next);
      const { decimals, mode } = this.env.rounding;
      // A product of whole-number literals is a whole number, which rounding leaves unchanged.
      const whole = (n: Node): boolean => n.k === 'lit' && typeof n.value === 'number' && Number.isInteger(n.value);
      const integral = whole(rule.cost.base) && rule.cost.multipliers.every((m) => whole(m.value));
      costExpr = integral ? js`${c} + 0` : js`roundTo(${c}, ${decimals}, ${mode})`;
    }
    inner.add(js`return ${decisionCode(rule, costExpr)};`);
    b.add(js`${this.next}: {`).append(inner).add(js`}`);
  }

  /** Code that is true when field i is absent or mistyped. */
  private invalid(i: number): Code {
    const v = this.env.fieldRef(i);
    return this.env.prevalidated ? js`${v} === undefined` : invalidTest(this.env.fields[i]!, v, this.env);
  }

  private validate(i: number, b: Block): Code {
    if (!this.validated.has(i)) {
      b.breakIf(js`${this.invalid(i)}`, this.next);
      this.validated.add(i);
    }
    return this.env.fieldRef(i);
  }

  /** Emit code that may be left early (a nested block): what it validates is forgotten after it. */
  private scoped(emit: () => void): void {
    const saved = new Set(this.validated);
    emit();
    this.validated = saved;
  }

  /** Falls through when `n` holds; breaks to `F` when false, to the rule label when MISSING. */
  cond(n: Node, F: Name, b: Block): void {
    switch (n.k) {
      case 'lit':
        if (n.value !== true) b.add(js`break ${F};`);
        return;
      case 'field': {
        const v = this.validate(n.field, b);
        b.breakIf(js`!${v}`, F);
        return;
      }
      case 'exists':
        if (!this.validated.has(n.field)) b.breakIf(js`${this.invalid(n.field)}`, F);
        this.validated.add(n.field); // falling through means the field is present and well-typed
        return;
      case 'and':
        this.cond(n.a, F, b);
        this.cond(n.b, F, b);
        return;
      case 'or': {
        const done = this.env.scope.name('or');
        const tryB = this.env.scope.name('orElse');
        const outer = b.nested();
        const first = outer.nested();
        this.scoped(() => this.cond(n.a, tryB, first));
        first.add(js`break ${done};`);
        outer.add(js`${tryB}: {`).append(first).add(js`}`);
        this.scoped(() => this.cond(n.b, F, outer));
        b.add(js`${done}: {`).append(outer).add(js`}`);
        return;
      }
      case 'not': {
        const lbl = this.env.scope.name('not');
        const body = b.nested();
        this.scoped(() => this.cond(n.x, lbl, body));
        body.add(js`break ${F};`);
        b.add(js`${lbl}: {`).append(body).add(js`}`);
        return;
      }
      case 'op': {
        const m = literalMembership(n);
        const bits = m && this.env.masks.get(m.field);
        if (m && bits) {
          // A literal tested in a list read as a mask: one bit test.
          const mask = this.validate(m.field, b);
          const emit = variant(n.op).emit;
          const negate = emit.kind === 'membership' && emit.negate;
          b.breakIf(js`(${mask} & ${bits.get(m.value)!}) ${new Code(negate ? '!==' : '===')} 0`, F);
          return;
        }
        this.test(n.args, variant(n.op).emit, F, b);
        return;
      }
      default:
        throw new Error(`internal: ${n.k} is not a condition`);
    }
  }

  /** A boolean operator variant: falls through when it holds, breaks to `F` when it does not. */
  private test(args: readonly Node[], emit: Emit, F: Name, b: Block): void {
    const [x, y] = args as [Node, Node];
    switch (emit.kind) {
      case 'equality': {
        const fast = F === this.next && !emit.negate ? this.fieldAgainstLiterals(x, y) ?? this.fieldAgainstLiterals(y, x) : undefined;
        if (fast) {
          b.breakIf(js`${fast.raw} !== ${fast.values[0]!}`, F);
          return;
        }
        const a = this.val(x, b);
        const c = this.val(y, b);
        b.breakIf(emit.negate ? js`${a} === ${c}` : js`${a} !== ${c}`, F);
        return;
      }
      case 'membership': {
        if (y.k === 'list' && y.items.every((i) => i.k === 'lit')) {
          const values = y.items.map((i) => (i as { value: Scalar }).value);
          const fast = F === this.next && !emit.negate ? this.fieldAgainstLiterals(x, y) : undefined;
          const v = fast ? fast.raw : this.val(x, b);
          const test = memberTest(v, values, this.env);
          b.breakIf(emit.negate ? test : js`!${test}`, F);
          return;
        }
        const v = this.val(x, b);
        const list = this.val(y, b);
        b.breakIf(emit.negate ? js`listHas(${list}, ${v})` : js`!listHas(${list}, ${v})`, F);
        return;
      }
      case 'runtime': {
        const parts = args.map((a) => this.val(a, b));
        b.breakIf(js`!${new Code(emit.fn)}(${joinCode(parts, js`, `)})`, F);
        return;
      }
      case 'compare': {
        const a = this.val(x, b);
        const c = this.val(y, b);
        b.breakIf(js`!(${a} ${new Code(emit.op)} ${c})`, F);
        return;
      }
      case 'method': {
        const a = this.val(x, b);
        const c = this.val(y, b);
        b.breakIf(js`!${a}.${new Code(emit.method)}(${c})`, F);
        return;
      }
      default:
        throw new Error(`internal: ${emit.kind} is not a condition`);
    }
  }

  /**
   * When a field is compared with literals that are all valid values of it and the false target is
   * the rule label, an invalid value and an unequal one both end the rule: skip the type test.
   */
  private fieldAgainstLiterals(x: Node, other: Node): { raw: Code; values: readonly Scalar[] } | undefined {
    if (x.k !== 'field') return undefined;
    const f = this.env.fields[x.field]!;
    const lits = other.k === 'lit' ? [other] : other.k === 'list' ? other.items : [];
    if (lits.length === 0 || !lits.every((l) => l.k === 'lit')) return undefined;
    const values = lits.map((l) => (l as { value: Scalar }).value);
    const ok = values.every((v) =>
      f.kind === 'string' ? typeof v === 'string' && (!f.enumValues || f.enumValues.includes(v)) : f.kind === 'number' ? typeof v === 'number' : f.kind === 'boolean' ? typeof v === 'boolean' : false,
    );
    return ok ? { raw: this.env.fieldRef(x.field), values } : undefined;
  }

  /** An expression for a value node; emits its validity checks (breaking to the rule label) first. */
  val(n: Node, b: Block): Code {
    switch (n.k) {
      case 'lit':
        return js`${n.value}`;
      case 'list':
        return js`[${joinCode(n.items.map((i) => this.val(i, b)), js`, `)}]`;
      case 'field':
        if (this.env.masks.has(n.field)) throw new Error('internal: a list read as a mask was used as a value');
        return this.validate(n.field, b);
      case 'op': {
        const value = this.valueOp(n.args, variant(n.op).emit, b);
        if (value) return value;
        break;
      }
      case 'call':
        return this.call(n.args.map((a) => this.val(a, b)), lookupFunction(n.fn)?.emit);
      default:
        break;
    }
    // A boolean used as a value (compared with ==, or listed): materialize it.
    const v = this.env.scope.name('bool');
    const lbl = this.env.scope.name('is');
    b.add(js`let ${v} = false;`);
    const body = b.nested();
    this.scoped(() => this.cond(n, lbl, body));
    body.add(js`${v} = true;`);
    b.add(js`${lbl}: {`).append(body).add(js`}`);
    return v;
  }

  /** A value-producing operator variant, or undefined for boolean ones. */
  private valueOp(args: readonly Node[], emit: Emit, b: Block): Code | undefined {
    switch (emit.kind) {
      case 'arith': {
        const a = this.val(args[0]!, b);
        const c = this.val(args[1]!, b);
        const t = this.env.scope.name('num');
        b.add(js`const ${t} = ${a} ${new Code(emit.op)} ${c};`);
        b.breakIf(js`${t} - ${t} !== 0`, this.next);
        return t;
      }
      case 'concat': {
        const a = this.val(args[0]!, b);
        return js`(${a} + ${this.val(args[1]!, b)})`;
      }
      case 'negate':
        return js`(-${this.val(args[0]!, b)} + 0)`;
      default:
        return undefined;
    }
  }

  /** A built-in function call over its arguments' code. */
  private call(args: readonly Code[], emit: FunctionEmit | undefined): Code {
    if (!emit) throw new Error('internal: a function without generated code reached code generation');
    switch (emit.kind) {
      case 'property':
        return js`${args[0]!}.${new Code(emit.name)}`;
      case 'method':
        return js`${args[0]!}.${new Code(emit.name)}()`;
      case 'math': {
        const call = js`Math.${new Code(emit.name)}(${joinCode(args, js`, `)})`;
        return emit.normalizeZero ? js`(${call} + 0)` : call;
      }
      case 'runtime': {
        const filled = emit.defaults.map((d, i) => args[i] ?? (d === undefined ? undefined : js`${d}`)).filter((c): c is Code => c !== undefined);
        return js`${new Code(emit.name)}(${joinCode([...filled, ...emit.extra.map((x) => js`${x}`)], js`, `)})`;
      }
    }
  }
}

/** The decision object literal of a rule, keys in the documented order. */
export function decisionCode(rule: IrRule, cost: Code | undefined): Code {
  const parts: Code[] = [js`allowed: ${rule.allow}`, js`policyId: ${rule.id}`];
  if (rule.reason !== undefined) parts.push(js`reason: ${rule.reason}`);
  if (cost) parts.push(js`cost: ${cost}`);
  if (rule.redirect !== undefined) parts.push(js`redirect: ${rule.redirect}`);
  return js`{ ${joinCode(parts, js`, `)} }`;
}
