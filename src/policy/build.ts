/**
 * YAML tree → policy model. Runs after shape validation, so malformed parts are skipped quietly
 * (they were reported there); every expression is parsed and located here, once.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { SourceFile, Span } from '../diag/source.js';
import { joinSpans } from '../diag/source.js';
import { BUILTIN_FIELDS } from '../lang/fields.js';
import { pathText, type BinaryExpr, type CompareOp, type Expr, type ListLit } from '../expr/ast.js';
import { parseConstraint, parseExpression, parsePath, type ExprError } from '../expr/parse.js';
import { getPair, toValue, type YamlMap, type YamlNode, type YamlScalar } from '../yaml/node.js';
import type { Action, Asset, Bundle, Cost, Multiplier, Offer, Policy, Rounding, RoundingMode, Rule, Tax, TaxRule } from './model.js';
import { readParams, readSchema, type FieldDecl } from './schema.js';
import { parseDecimal } from '../money/decimal.js';
import { checkMoney } from './money-checks.js';

const DEFAULT_ROUNDING: Rounding = { decimals: 6, mode: 'half_even' };
/** Policy ids decisions carry without a rule; a rule with one of them would be ambiguous. */
const RESERVED_IDS = new Set(['default_deny', 'invalid_request']);
const OPERATOR_PREFIX = /^\s*(==|!=|<=|>=|<|>|=|(?:in|not\s+in|contains|starts_with|ends_with)(?=[\s[('"]))/;

/** Build the policy model from a shape-validated YAML tree. */
export function buildPolicy(source: SourceFile, root: YamlMap): { policy: Policy; diagnostics: Diagnostic[] } {
  const b = new Builder(source);
  const policy = b.policy(root);
  return { policy, diagnostics: b.diagnostics };
}

class Builder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly file: string;
  /** Parts left out because the shape check reported them: their rule must not be trusted. */
  private skipped = 0;
  /** Declared fields by path, for reading map-condition shorthands. */
  private declared = new Map<string, FieldDecl>();

  constructor(private readonly source: SourceFile) {
    this.file = source.path;
  }

  policy(root: YamlMap): Policy {
    const schema = readSchema(this.file, getPair(root, 'schema')?.value, this.diagnostics);
    this.declared = new Map(schema.map((d) => [d.path, d]));
    const str = (key: string, fallback: string): string => {
      const v = getPair(root, key)?.value;
      return v?.kind === 'scalar' && v.value !== null ? String(v.value) : fallback;
    };
    const tax = this.tax(getPair(root, 'tax')?.value);
    const defaultPrice = scalarAt(root, 'default_price');
    const defaultPriceText = defaultPrice ? this.decimal(defaultPrice) : undefined;
    const currency = scalarAt(root, 'currency');
    const policy: Policy = {
      file: this.file,
      source: this.source,
      version: str('version', '1.0'),
      currency: str('currency', 'USD'),
      rounding: this.rounding(getPair(root, 'rounding')?.value),
      schema,
      params: readParams(getPair(root, 'params')?.value),
      assets: this.list(root, 'assets', (n) => this.asset(n)),
      ...(defaultPriceText !== undefined ? { defaultPrice: defaultPriceText, defaultPriceSpan: defaultPrice!.span } : {}),
      ...(currency ? { currencySpan: currency.span } : {}),
      rules: this.list(root, 'rules', (n, i) => this.rule(n, i)),
      bundles: this.list(root, 'bundles', (n) => this.bundle(n)),
      offers: this.list(root, 'offers', (n) => this.offer(n)),
      ...(tax ? { tax } : {}),
    };
    this.checkUnique('rule', policy.rules.map((r) => [r.id, r.idSpan]));
    for (const r of policy.rules) {
      if (RESERVED_IDS.has(r.id)) {
        const use = r.id === 'default_deny' ? 'when no rule decides' : 'for malformed requests';
        this.diagnostics.push(diag('M113', this.file, r.idSpan, `rule id '${r.id}' is reserved: decisions carry it ${use}`, { hint: `rename the rule, e.g. '${r.id}_rule'` }));
      }
    }
    this.checkUnique('asset', policy.assets.map((a) => [a.id, a.span]));
    this.checkUnique('bundle', policy.bundles.map((x) => [x.id, x.span]));
    this.checkUnique('offer', policy.offers.map((x) => [x.id, x.span]));
    this.diagnostics.push(...checkMoney(policy));
    return policy;
  }

  private list<T>(root: YamlMap, key: string, make: (n: YamlMap, i: number) => T | undefined): T[] {
    const node = getPair(root, key)?.value;
    const out: T[] = [];
    if (node?.kind !== 'seq') return out;
    node.items.forEach((item, i) => {
      if (item.kind !== 'map') return;
      const v = make(item, i);
      if (v !== undefined) out.push(v);
    });
    return out;
  }

  private checkUnique(what: string, entries: [string, Span][]): void {
    const seen = new Map<string, Span>();
    for (const [id, span] of entries) {
      const first = seen.get(id);
      if (first) {
        this.diagnostics.push(
          diag('M114', this.file, span, `duplicate ${what} id '${id}'`, {
            hint: `give every ${what} a unique id`,
            labels: [{ file: this.file, span: first, message: `'${id}' first used here` }],
          }),
        );
      } else seen.set(id, span);
    }
  }

  private rounding(node: YamlNode | undefined): Rounding {
    if (node?.kind !== 'map') return DEFAULT_ROUNDING;
    const d = getPair(node, 'decimals')?.value;
    const m = getPair(node, 'mode')?.value;
    const decimals = d?.kind === 'scalar' && typeof d.value === 'number' && Number.isInteger(d.value) && d.value >= 0 && d.value <= 6 ? d.value : DEFAULT_ROUNDING.decimals;
    const modes: readonly string[] = ['ceil', 'floor', 'half_even', 'half_up'];
    const mode = m?.kind === 'scalar' && typeof m.value === 'string' && modes.includes(m.value) ? (m.value as RoundingMode) : DEFAULT_ROUNDING.mode;
    return { decimals, mode };
  }

  private rule(node: YamlMap, index: number): Rule | undefined {
    const idNode = scalarAt(node, 'id');
    const actionNode = getPair(node, 'action')?.value;
    if (!idNode || typeof idNode.value !== 'string' || actionNode?.kind !== 'map') return undefined;
    const errorsBefore = this.diagnostics.length + this.skipped;
    const prio = scalarAt(node, 'priority');
    const desc = scalarAt(node, 'description');
    const condPair = getPair(node, 'condition');
    const condition = condPair ? this.condition(condPair.value) : undefined;
    const action = this.action(actionNode);
    if (!action) return undefined;
    return {
      id: idNode.value,
      idSpan: idNode.span,
      priority: prio && typeof prio.value === 'number' ? prio.value : 0,
      index,
      ...(desc && typeof desc.value === 'string' ? { description: desc.value } : {}),
      ...(condition ? { condition } : {}),
      ...(condPair ? { conditionSpan: condPair.value.span } : {}),
      action,
      ...(this.diagnostics.length + this.skipped > errorsBefore ? { broken: true } : {}),
      span: node.span,
    };
  }

  private action(node: YamlMap): Action | undefined {
    const allow = scalarAt(node, 'allow');
    if (!allow || typeof allow.value !== 'boolean') return undefined;
    const costNode = getPair(node, 'cost')?.value;
    const cost = costNode ? this.cost(costNode) : undefined;
    const reason = scalarAt(node, 'reason');
    const redirect = scalarAt(node, 'redirect');
    return {
      allow: allow.value,
      ...(cost ? { cost } : {}),
      ...(reason && reason.value !== null ? { reason: String(reason.value) } : {}),
      ...(redirect && redirect.value !== null ? { redirect: String(redirect.value), redirectSpan: redirect.span } : {}),
      span: node.span,
    };
  }

  /** An expression from a YAML scalar: numbers and booleans are literals, strings are parsed. */
  private valueExpr(node: YamlNode): Expr | undefined {
    if (node.kind !== 'scalar') return undefined;
    if (typeof node.value === 'number') return { kind: 'number', value: node.value, span: node.span };
    if (typeof node.value === 'boolean') return { kind: 'boolean', value: node.value, span: node.span };
    if (typeof node.value === 'string') return this.parsed(parseExpression(node.value, offsetsOf(node)), (r) => r.ast);
    return undefined;
  }

  private cost(node: YamlNode): Cost | undefined {
    if (node.kind === 'scalar') {
      const base = this.valueExpr(node);
      return base ? { base, multipliers: [], span: node.span } : undefined;
    }
    if (node.kind !== 'map') return undefined;
    const baseNode = getPair(node, 'base')?.value;
    const base = baseNode ? this.valueExpr(baseNode) : undefined;
    const multipliers: Multiplier[] = [];
    const mNode = getPair(node, 'multipliers')?.value;
    if (mNode?.kind === 'seq') {
      for (const item of mNode.items) {
        if (item.kind !== 'map') continue;
        const ifNode = getPair(item, 'if')?.value;
        const valueNode = getPair(item, 'value')?.value;
        const cond = ifNode ? this.condition(ifNode) : undefined;
        const value = valueNode ? this.valueExpr(valueNode) : undefined;
        if (cond && value) multipliers.push({ cond, value, span: item.span });
      }
    }
    // A broken part was reported as an error, so this partial cost is only ever type-checked, never compiled.
    return base ? { base, multipliers, span: node.span } : undefined;
  }

  /** A condition: an expression string, a boolean, or a map of `path: constraint`. */
  private condition(node: YamlNode): Expr | undefined {
    if (node.kind === 'scalar') {
      if (typeof node.value === 'boolean') return { kind: 'boolean', value: node.value, span: node.span };
      if (typeof node.value === 'string') return this.parsed(parseExpression(node.value, offsetsOf(node)), (r) => r.ast);
      return undefined;
    }
    if (node.kind !== 'map') return undefined;
    const terms: { term: Expr; keySpan: Span }[] = [];
    for (const pair of node.pairs) {
      const term = this.constraintTerm(pair.key, pair.value);
      if (term) terms.push({ term, keySpan: pair.key.span });
    }
    if (node.pairs.length === 0) return { kind: 'boolean', value: true, span: node.span };
    // With a broken term the policy already has an error; the rest is still checked so that one
    // mistake does not hide the next.
    return terms.length === 0 ? undefined : conjunction(terms, 0, terms.length);
  }

  /** One `path: constraint` entry of a map condition, as a comparison expression. */
  private constraintTerm(key: YamlScalar, value: YamlNode): Expr | undefined {
    const path = this.parsed(parsePath(String(key.value), offsetsOf(key)), (r) => r.path);
    if (!path) return undefined;
    const span = joinSpans(key.span, value.span);
    const binary = (op: CompareOp, right: Expr, opSpan: Span): BinaryExpr => ({ kind: 'binary', op, opSpan, left: path, right, span });
    if (value.kind === 'seq') {
      const items: Expr[] = [];
      for (const item of value.items) {
        const lit = item.kind === 'scalar' ? literalOf(item) : undefined;
        if (!lit) return this.skip(); // the shape check reports it
        items.push(lit);
      }
      const list: ListLit = { kind: 'list', items, span: value.span };
      return binary('in', list, key.span);
    }
    // A mapping or a null is not a constraint; the shape check reports it.
    if (value.kind === 'map' || value.value === null) return this.skip();
    if (typeof value.value === 'string' && OPERATOR_PREFIX.test(value.value)) {
      const c = this.parsed(parseConstraint(value.value, offsetsOf(value)), (r) => r.constraint);
      return c ? binary(c.op, c.right, c.opSpan) : undefined;
    }
    const lit = literalOf(value)!;
    // A bare value matches a list field by membership, any other field by equality.
    const text = pathText(path);
    const fieldType = this.declared.get(text)?.type ?? BUILTIN_FIELDS.get(text)?.type;
    return binary(fieldType?.kind === 'list' ? 'contains' : '==', lit, key.span);
  }

  private skip(): undefined {
    this.skipped++;
    return undefined;
  }

  private parsed<R extends { errors: readonly ExprError[] }, T>(result: R, pick: (r: R) => T | undefined): T | undefined {
    for (const e of result.errors) this.diagnostics.push(diag(e.code, this.file, e.span, e.message, { hint: e.hint }));
    return result.errors.length === 0 ? pick(result) : undefined;
  }

  private asset(node: YamlMap): Asset | undefined {
    const id = scalarAt(node, 'id');
    if (!id || typeof id.value !== 'string') return undefined;
    const str = (k: string): string | undefined => {
      const v = scalarAt(node, k);
      return v && v.value !== null && typeof v.value !== 'boolean' ? String(v.value) : undefined;
    };
    const tags = stringList(getPair(node, 'tags')?.value);
    const meta = getPair(node, 'metadata')?.value;
    const type = str('type');
    const matrixId = str('matrix_id');
    const priceNode = scalarAt(node, 'price');
    const price = priceNode ? this.decimal(priceNode) : undefined;
    const taxCode = str('tax_code');
    return {
      id: id.value,
      ...(type !== undefined ? { type, typeSpan: scalarAt(node, 'type')!.span } : {}),
      ...(tags ? { tags } : {}),
      ...(matrixId !== undefined ? { matrixId } : {}),
      ...(price !== undefined ? { price, priceSpan: priceNode!.span } : {}),
      ...(taxCode !== undefined ? { taxCode } : {}),
      ...(meta?.kind === 'map' ? { metadata: toValue(meta) as Record<string, unknown> } : {}),
      span: node.span,
    };
  }

  private bundle(node: YamlMap): Bundle | undefined {
    const id = scalarAt(node, 'id');
    const assetsNode = getPair(node, 'assets')?.value;
    const mult = scalarAt(node, 'price_multiplier');
    if (!id || typeof id.value !== 'string' || assetsNode?.kind !== 'seq' || !mult || typeof mult.value !== 'number') return undefined;
    const assets = stringList(assetsNode) ?? [];
    return { id: id.value, assets, priceMultiplier: mult.value, multiplierText: this.decimal(mult) ?? String(mult.value), multiplierSpan: mult.span, span: node.span, assetSpans: assetsNode.items.map((i) => i.span) };
  }

  private tax(node: YamlNode | undefined): Tax | undefined {
    if (node?.kind !== 'map') return undefined;
    const dc = scalarAt(node, 'default_code');
    const inc = scalarAt(node, 'inclusive');
    const rules: TaxRule[] = [];
    const rulesNode = getPair(node, 'rules')?.value;
    if (rulesNode?.kind === 'seq') {
      for (const r of rulesNode.items) {
        if (r.kind !== 'map') continue;
        const regionNode = getPair(r, 'region')?.value;
        const region = regionNode?.kind === 'scalar' && typeof regionNode.value === 'string' ? [regionNode.value] : stringList(regionNode);
        const code = scalarAt(r, 'code');
        const rate = scalarAt(r, 'rate');
        const rc = scalarAt(r, 'reverse_charge');
        if (!region || !code || !rate || (typeof rate.value !== 'number' && rate.value !== 'vat')) continue;
        const rateText = typeof rate.value === 'number' ? this.decimal(rate) : undefined;
        rules.push({ region, code: String(code.value), rate: rate.value as number | 'vat', ...(rateText !== undefined ? { rateText } : {}), reverseCharge: rc?.value === true, regionSpan: regionNode!.span, regionSpans: regionNode!.kind === 'seq' ? regionNode!.items.map((i) => i.span) : [regionNode!.span], span: r.span });
      }
    }
    return { ...(dc && dc.value !== null ? { defaultCode: String(dc.value) } : {}), inclusive: inc?.value === true, rules };
  }

  /**
   * A money amount or rate exactly as written: a plain YAML number keeps its source text (`0.10`,
   * `19.990`), so no digit is lost to binary floating point; a decimal string is taken as is.
   */
  private decimal(node: YamlScalar): string | undefined {
    if (typeof node.value === 'string') return node.value;
    if (typeof node.value !== 'number') return undefined;
    const text = this.source.text.slice(node.span.start, node.span.end);
    return node.style === 'plain' && parseDecimal(text) !== undefined ? text : String(node.value);
  }

  private offer(node: YamlMap): Offer | undefined {
    const id = scalarAt(node, 'id');
    if (!id || typeof id.value !== 'string') return undefined;
    const grantsNode = getPair(node, 'grants')?.value;
    const grants: { tokens?: number; tier?: string; entitlements?: readonly string[] } = {};
    if (grantsNode?.kind === 'map') {
      const tokens = scalarAt(grantsNode, 'tokens');
      const tier = scalarAt(grantsNode, 'tier');
      const ents = stringList(getPair(grantsNode, 'entitlements')?.value);
      if (tokens && typeof tokens.value === 'number') grants.tokens = tokens.value;
      if (tier && typeof tier.value === 'string') grants.tier = tier.value;
      if (ents) grants.entitlements = ents;
    }
    return { id: id.value, priceIds: stringList(getPair(node, 'price_ids')?.value) ?? [], grants, span: node.span };
  }
}

/**
 * The `and` of terms lo..hi as a balanced tree: a map condition may have thousands of entries,
 * and every later stage recurses over it. Evaluation order (left to right) is unchanged.
 */
function conjunction(terms: readonly { term: Expr; keySpan: Span }[], lo: number, hi: number): Expr {
  if (hi - lo === 1) return terms[lo]!.term;
  const mid = (lo + hi) >> 1;
  const left = conjunction(terms, lo, mid);
  const right = conjunction(terms, mid, hi);
  return { kind: 'binary', op: 'and', opSpan: terms[mid]!.keySpan, left, right, span: joinSpans(left.span, right.span) };
}

function scalarAt(node: YamlMap, key: string): YamlScalar | undefined {
  const v = getPair(node, key)?.value;
  return v?.kind === 'scalar' ? v : undefined;
}

function offsetsOf(node: YamlScalar): { offsets?: readonly number[] | number } {
  return node.offsets !== undefined ? { offsets: node.offsets } : {};
}

function literalOf(node: YamlScalar): Expr | undefined {
  const v = node.value;
  if (typeof v === 'string') return { kind: 'string', value: v, span: node.span };
  if (typeof v === 'number') return { kind: 'number', value: v, span: node.span };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v, span: node.span };
  return undefined;
}

function stringList(node: YamlNode | undefined): string[] | undefined {
  if (node?.kind !== 'seq') return undefined;
  const out: string[] = [];
  for (const item of node.items) if (item.kind === 'scalar' && item.value !== null) out.push(String(item.value));
  return out;
}
