/**
 * Rules → statements. Conditions compile to jumping code over labelled blocks: the code for a
 * condition falls through when it holds, `break`s to its false-label when it does not, and breaks
 * to the rule's label when it reads a MISSING value — so MISSING is absorbing under `not`, `or`
 * and `!=` exactly as in the reference evaluator, at the cost of plain branches.
 */
import type { IrField, IrRule, Node, Scalar } from '../ir/ir.js';
import { roundTo } from '../runtime/runtime.js';
import { Block, Code, js, joinCode, type Name, type Scope } from './code.js';

/** Module-level constants shared by all rules (sets of literals). */
export class Consts {
  private readonly sets = new Map<string, { name: Name; values: readonly Scalar[] }>();
  constructor(private readonly scope: Scope) {}

  /** A `Set` constant holding these values. */
  set(values: readonly Scalar[]): Name {
    const key = JSON.stringify(values);
    let s = this.sets.get(key);
    if (!s) {
      s = { name: this.scope.name('set'), values };
      this.sets.set(key, s);
    }
    return s.name;
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
  /** The expression holding field i's raw (unvalidated) value. */
  readonly fieldRef: (i: number) => Code;
  readonly rounding: { readonly decimals: number; readonly mode: string };
  /** Field slots hold validated values (undefined when absent or mistyped), as in indexed modules. */
  readonly prevalidated: boolean;
}

const SMALL = 6;

/** Code that is true when a raw field value is absent or of the wrong type. */
export function invalidTest(f: IrField, v: Code, env: RuleEnv): Code {
  if (f.kind === 'list') {
    if (f.element === 'number') return js`!isNumberList(${v})`;
    if (f.element === 'boolean') return js`!isBooleanList(${v})`;
    return f.enumValues ? js`!isStringList(${v}, ${env.consts.set(f.enumValues)})` : js`!isStringList(${v})`;
  }
  if (f.kind === 'number') return js`(typeof ${v} !== "number" || ${v} - ${v} !== 0)`;
  if (f.kind === 'boolean') return js`typeof ${v} !== "boolean"`;
  if (!f.enumValues) return js`typeof ${v} !== "string"`;
  return js`!${memberTest(v, f.enumValues, env)}`;
}

/** `(v === a || v === b)` for short lists, a Set lookup for long ones. */
function memberTest(v: Code, list: readonly Scalar[], env: RuleEnv): Code {
  const values = [...new Set(list)];
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
      case 'eq': {
        const fast = F === this.next && !n.negate ? this.fieldAgainstLiterals(n.a, n.b) ?? this.fieldAgainstLiterals(n.b, n.a) : undefined;
        if (fast) {
          b.breakIf(js`${fast.raw} !== ${fast.values[0]!}`, F);
          return;
        }
        const a = this.val(n.a, b);
        const c = this.val(n.b, b);
        b.breakIf(n.negate ? js`${a} === ${c}` : js`${a} !== ${c}`, F);
        return;
      }
      case 'in': {
        if (n.list.k === 'list' && n.list.items.every((i) => i.k === 'lit')) {
          const values = n.list.items.map((i) => (i as { value: Scalar }).value);
          const fast = F === this.next && !n.negate ? this.fieldAgainstLiterals(n.x, n.list) : undefined;
          const x = fast ? fast.raw : this.val(n.x, b);
          const test = memberTest(x, values, this.env);
          b.breakIf(n.negate ? test : js`!${test}`, F);
          return;
        }
        const x = this.val(n.x, b);
        const list = this.val(n.list, b);
        b.breakIf(n.negate ? js`listHas(${list}, ${x})` : js`!listHas(${list}, ${x})`, F);
        return;
      }
      case 'has': {
        const list = this.val(n.list, b);
        const x = this.val(n.x, b);
        b.breakIf(js`!listHas(${list}, ${x})`, F);
        return;
      }
      case 'order': {
        const a = this.val(n.a, b);
        const c = this.val(n.b, b);
        b.breakIf(js`!(${a} ${new Code(n.op)} ${c})`, F);
        return;
      }
      case 'str': {
        const a = this.val(n.a, b);
        const c = this.val(n.b, b);
        const method = new Code(n.op === 'contains' ? 'includes' : n.op === 'starts_with' ? 'startsWith' : 'endsWith');
        b.breakIf(js`!${a}.${method}(${c})`, F);
        return;
      }
      default:
        throw new Error(`internal: ${n.k} is not a condition`);
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
        return this.validate(n.field, b);
      case 'arith': {
        const a = this.val(n.a, b);
        const c = this.val(n.b, b);
        const t = this.env.scope.name('num');
        b.add(js`const ${t} = ${a} ${new Code(n.op)} ${c};`);
        b.breakIf(js`${t} - ${t} !== 0`, this.next);
        return t;
      }
      case 'concat': {
        const a = this.val(n.a, b);
        return js`(${a} + ${this.val(n.b, b)})`;
      }
      case 'neg':
        return js`(-${this.val(n.x, b)} + 0)`;
      case 'call': {
        const args = n.args.map((a) => this.val(a, b));
        switch (n.fn) {
          case 'len':
            return js`${args[0]!}.length`;
          case 'lower':
            return js`${args[0]!}.toLowerCase()`;
          case 'upper':
            return js`${args[0]!}.toUpperCase()`;
          case 'min':
          case 'max':
            return js`Math.${new Code(n.fn)}(${joinCode(args, js`, `)})`;
          case 'abs':
            return js`Math.abs(${args[0]!})`;
          case 'floor':
          case 'ceil':
            return js`(Math.${new Code(n.fn)}(${args[0]!}) + 0)`;
          case 'round':
            return js`roundTo(${args[0]!}, ${args[1] ?? js`0`}, "half_even")`;
        }
        throw new Error(`internal: unknown function ${String(n.fn)}`);
      }
      default: {
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
