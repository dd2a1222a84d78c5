/**
 * Lowering: checked policy → IR. Resolves paths to field slots, picks the operator variant from
 * the checked types, folds constants, and orders rules for evaluation.
 */
import { createHash } from 'node:crypto';
import type { Checked } from '../check/checker.js';
import type { Field } from '../check/env.js';
import type { Type } from '../lang/types.js';
import { pathText, type Expr } from '../expr/ast.js';
import { printExpr } from '../expr/print.js';
import { evaluationOrder, type Policy, type Rule } from '../policy/model.js';
import type { IrAsset, IrField, IrPolicy, IrRequestField, IrRule, IrValueType, Node, ScalarKind, VariantId } from '../ir/ir.js';
import { binaryOperator, unaryOperator } from '../lang/operators.js';
import { foldNode } from '../ir/fold.js';
import { sealIr } from '../ir/seal.js';
import { quoteTable } from './quote-table.js';

/** Lower a checked, error-free policy. The IR is sealed: frozen, and no object in it has a prototype to read a missing key from. */
export function lowerPolicy(policy: Policy, checked: Checked): IrPolicy {
  return sealIr(new Lowerer(policy, checked).policy());
}

function scalarKind(t: Type): ScalarKind | undefined {
  if (t.kind === 'string' || t.kind === 'enum') return 'string';
  if (t.kind === 'number' || t.kind === 'boolean') return t.kind;
  return undefined;
}

/** The run-time type of values of a checked type. */
function valueType(t: Type): IrValueType {
  if (t.kind === 'list') {
    const element = scalarKind(t.element) ?? 'string';
    return { kind: 'list', element, ...(t.element.kind === 'enum' ? { enumValues: t.element.values } : {}) };
  }
  return { kind: scalarKind(t) ?? 'string', ...(t.kind === 'enum' ? { enumValues: t.values } : {}) };
}

/** Every field of the environment a request carries (time fields and params are not request keys). */
function requestFields(env: Checked['env'], schema: Policy['schema']): IrRequestField[] {
  const declaredOptional = new Map(schema.flatMap((d) => (d.optional === undefined ? [] : [[d.path, d.optional] as const])));
  const out: IrRequestField[] = [];
  for (const f of env.fields.values()) {
    const source = f.source;
    if (source.from === 'time' || source.from === 'param') continue;
    const said = declaredOptional.get(f.path);
    out.push({ path: f.path, source, optional: f.optional, ...(said === undefined ? {} : { declaredOptional: said }), ...valueType(f.type) });
  }
  return out;
}

class Lowerer {
  private readonly fields: IrField[] = [];
  private readonly fieldIndex = new Map<string, number>();

  private readonly env: Checked['env'];
  private readonly types: Checked['types'];

  constructor(
    private readonly p: Policy,
    checked: Checked,
  ) {
    this.env = checked.env;
    this.types = checked.types;
  }

  policy(): IrPolicy {
    const rules = evaluationOrder(this.p.rules).map((r) => this.rule(r));
    const action = this.env.fields.get('request.action')!.type;
    return {
      version: this.p.version,
      currency: this.p.currency,
      hash: createHash('sha256').update(this.p.source.text).digest('hex'),
      rounding: this.p.rounding,
      actions: action.kind === 'enum' ? action.values : [],
      fields: this.fields,
      requestFields: requestFields(this.env, this.p.schema),
      params: [...this.env.params.values()].map((x) => ({ name: x.name, kind: scalarKind(x.type)!, value: x.value })),
      assets: this.p.assets.map((a) => this.asset(a)),
      rules,
      quote: quoteTable(this.p),
    };
  }

  private asset(a: Policy['assets'][number]): IrAsset {
    const fields: Record<string, unknown> = {};
    if (a.type !== undefined) fields.type = a.type;
    if (a.tags !== undefined) fields.tags = [...a.tags];
    if (a.matrixId !== undefined) fields.matrix_id = a.matrixId;
    return { id: a.id, fields, metadata: a.metadata ?? {} };
  }

  private rule(r: Rule): IrRule {
    const cost = r.action.cost;
    const out: IrRule = {
      id: r.id,
      priority: r.priority,
      allow: r.action.allow,
      ...(r.condition && !(r.condition.kind === 'boolean' && r.condition.value) ? { cond: this.node(r.condition) } : {}),
      ...(cost
        ? {
            cost: {
              base: this.node(cost.base),
              multipliers: cost.multipliers.map((m) => ({ cond: this.node(m.cond), value: this.node(m.value), text: printExpr(m.cond) })),
            },
          }
        : {}),
      ...(r.action.reason !== undefined ? { reason: r.action.reason } : {}),
      ...(r.action.redirect !== undefined ? { redirect: r.action.redirect } : {}),
    };
    return out;
  }

  private field(f: Field): number {
    const known = this.fieldIndex.get(f.path);
    if (known !== undefined) return known;
    const index = this.fields.length;
    const t = f.type;
    const irf: IrField = { index, path: f.path, source: f.source, ...(f.fallback ? { fallback: f.fallback } : {}), ...valueType(t) };
    this.fields.push(irf);
    this.fieldIndex.set(f.path, index);
    return index;
  }

  private typeOf(e: Expr): Type {
    const t = this.types.get(e);
    if (!t) throw new Error(`internal: expression at ${e.span.start} was not type-checked`);
    return t;
  }

  private node(e: Expr): Node {
    return foldNode(this.raw(e));
  }

  private raw(e: Expr): Node {
    const span = e.span;
    switch (e.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return { k: 'lit', value: e.value, span };
      case 'list':
        return { k: 'list', items: e.items.map((i) => this.node(i)), span };
      case 'path': {
        const f = this.env.fields.get(pathText(e));
        if (!f) throw new Error(`internal: unknown path ${pathText(e)} reached lowering`);
        return { k: 'field', field: this.field(f), span };
      }
      case 'call': {
        if (e.callee === 'exists') {
          const arg = e.args[0]!;
          if (arg.kind !== 'path') throw new Error('internal: exists() without a path reached lowering');
          return { k: 'exists', field: this.field(this.env.fields.get(pathText(arg))!), span };
        }
        return { k: 'call', fn: e.callee, args: e.args.map((a) => this.node(a)), span };
      }
      case 'unary': {
        const x = this.node(e.operand);
        const lower = unaryOperator(e.op).lower;
        return lower ? { k: 'op', op: lower() as VariantId, args: [x], span } : { k: 'not', x, span };
      }
      case 'binary': {
        const a = this.node(e.left);
        const b = this.node(e.right);
        const o = binaryOperator(e.op);
        if (o.group === 'logic') return { k: o.op as 'and' | 'or', a, b, span };
        // The checked types pick the variant: `contains` on a list or a string, `+` on numbers or strings.
        const op = o.lower(this.typeOf(e.left), this.typeOf(e.right), this.typeOf(e)) as VariantId;
        return { k: 'op', op, args: [a, b], span };
      }
    }
  }
}

