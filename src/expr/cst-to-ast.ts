/**
 * CST → AST. This is the one place where tokens become half-open spans (Chevrotain's own
 * `endOffset` is inclusive, so it is not used) and where expression-text offsets become file
 * offsets (through the caller's offset map).
 */
import type { CstNode, IToken } from 'chevrotain';
import { exprParser } from '../../grammar/parser.js';
import type { StringPayload } from '../../grammar/tokens.js';
import type { Span } from '../diag/source.js';
import type { BinaryOp, CompareOp, Constraint, Expr, PathExpr, PathSegment } from './ast.js';
import type { ExprError } from './parse.js';
import { mapOffset, type OffsetMap } from './offsets.js';

// Children of each CST node, by the LABELs given in grammar/parser.ts.
interface Chain { operand: CstNode[]; op?: IToken[] }
interface NotCtx { not?: IToken[]; operand?: CstNode[]; comparison?: CstNode[] }
interface ComparisonCtx { operand: CstNode[]; op?: CstNode[] }
interface CompareOpCtx { not?: IToken[]; op: IToken[] }
interface UnaryCtx { minus?: IToken[]; operand?: CstNode[]; primary?: CstNode[] }
interface PrimaryCtx {
  number?: IToken[]; string?: IToken[]; true?: IToken[]; false?: IToken[];
  list?: CstNode[]; parenthesised?: CstNode[]; call?: CstNode[]; path?: CstNode[];
}
interface BracketCtx { open: IToken[]; items?: CstNode[]; close: IToken[] }
interface CallCtx extends BracketCtx { callee: IToken[] }
interface ParenCtx { open: IToken[]; inner: CstNode[]; close: IToken[] }
interface ItemsCtx { item: CstNode[] }
interface PathCtx { root: IToken[]; field?: IToken[]; key?: IToken[]; close?: IToken[] }
interface ConstraintCtx { op: CstNode[]; right: CstNode[] }

/**
 * Half-open end offset of a token. Derived from the image: the lexer tracks only start offsets
 * (cheaper), and the image is exactly the matched text.
 */
function end(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** Operator spellings that differ from the AST's; every other operator token's image is its op. */
const ALIAS: Readonly<Record<string, BinaryOp>> = { '&&': 'and', '||': 'or' };

const BaseVisitor = exprParser.getBaseCstVisitorConstructor();

/** Builds AST nodes from CST nodes. One instance is reused: `run` resets its per-parse state. */
class AstBuilder extends BaseVisitor {
  private offsets: OffsetMap | undefined;
  private errors: ExprError[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Visit `cst` with `offsets` as the text → file offset map; returns the result and any errors. */
  run<T>(cst: CstNode, offsets: OffsetMap | undefined): { value: T; errors: ExprError[] } {
    this.offsets = offsets;
    this.errors = [];
    const value = this.visit(cst) as T;
    const errors = this.errors;
    this.errors = [];
    return { value, errors };
  }

  private at(offset: number): number {
    return mapOffset(this.offsets, offset);
  }

  private span(start: number, end: number): Span {
    return { start: this.at(start), end: this.at(end) };
  }

  private tok(t: IToken): Span {
    return this.span(t.startOffset, end(t));
  }

  private chain(ctx: Chain): Expr {
    let left = this.visit(ctx.operand[0]!) as Expr;
    const ops = ctx.op ?? [];
    for (let i = 0; i < ops.length; i++) {
      const right = this.visit(ctx.operand[i + 1]!) as Expr;
      const t = ops[i]!;
      const op = ALIAS[t.image] ?? (t.image as BinaryOp);
      left = { kind: 'binary', op, opSpan: this.tok(t), left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  expression(ctx: Chain): Expr {
    return this.chain(ctx);
  }

  andExpr(ctx: Chain): Expr {
    return this.chain(ctx);
  }

  notExpr(ctx: NotCtx): Expr {
    if (ctx.not === undefined) return this.visit(ctx.comparison!) as Expr;
    const opSpan = this.tok(ctx.not[0]!);
    const operand = this.visit(ctx.operand!) as Expr;
    return { kind: 'unary', op: 'not', opSpan, operand, span: { start: opSpan.start, end: operand.span.end } };
  }

  comparison(ctx: ComparisonCtx): Expr {
    const left = this.visit(ctx.operand[0]!) as Expr;
    if (ctx.op === undefined) return left;
    const { op, opSpan } = this.visit(ctx.op) as { op: CompareOp; opSpan: Span };
    const right = this.visit(ctx.operand[1]!) as Expr;
    return { kind: 'binary', op, opSpan, left, right, span: { start: left.span.start, end: right.span.end } };
  }

  compareOp(ctx: CompareOpCtx): { op: CompareOp; opSpan: Span } {
    const last = ctx.op[0]!;
    const first = ctx.not?.[0] ?? last;
    return { op: ctx.not ? 'not in' : (last.image as CompareOp), opSpan: this.span(first.startOffset, end(last)) };
  }

  additive(ctx: Chain): Expr {
    return this.chain(ctx);
  }

  multiplicative(ctx: Chain): Expr {
    return this.chain(ctx);
  }

  unary(ctx: UnaryCtx): Expr {
    if (ctx.minus === undefined) return this.visit(ctx.primary!) as Expr;
    const opSpan = this.tok(ctx.minus[0]!);
    const operand = this.visit(ctx.operand!) as Expr;
    return { kind: 'unary', op: 'neg', opSpan, operand, span: { start: opSpan.start, end: operand.span.end } };
  }

  primary(ctx: PrimaryCtx): Expr {
    if (ctx.number) {
      const t = ctx.number[0]!;
      const value = Number(t.image);
      if (!Number.isFinite(value)) {
        this.errors.push({ code: 'M201', message: `number out of range: ${t.image}`, span: this.tok(t), hint: 'numbers must be below 1.7976931348623157e308' });
      }
      return { kind: 'number', value, span: this.tok(t) };
    }
    if (ctx.string) {
      const t = ctx.string[0]!;
      return { kind: 'string', value: (t.payload as StringPayload).value, span: this.tok(t) };
    }
    if (ctx.true) return { kind: 'boolean', value: true, span: this.tok(ctx.true[0]!) };
    if (ctx.false) return { kind: 'boolean', value: false, span: this.tok(ctx.false[0]!) };
    const node = ctx.list ?? ctx.parenthesised ?? ctx.call ?? ctx.path;
    return this.visit(node!) as Expr;
  }

  list(ctx: BracketCtx): Expr {
    const items = ctx.items ? (this.visit(ctx.items) as Expr[]) : [];
    return { kind: 'list', items, span: this.span(ctx.open[0]!.startOffset, end(ctx.close[0]!)) };
  }

  /** Parentheses leave no node; the inner node's span grows to cover them so parents start at `(`. */
  parenthesised(ctx: ParenCtx): Expr {
    const inner = this.visit(ctx.inner) as Expr;
    return { ...inner, span: this.span(ctx.open[0]!.startOffset, end(ctx.close[0]!)) };
  }

  call(ctx: CallCtx): Expr {
    const callee = ctx.callee[0]!;
    const args = ctx.items ? (this.visit(ctx.items) as Expr[]) : [];
    return { kind: 'call', callee: callee.image, calleeSpan: this.tok(callee), args, span: this.span(callee.startOffset, end(ctx.close[0]!)) };
  }

  items(ctx: ItemsCtx): Expr[] {
    return ctx.item.map((n) => this.visit(n) as Expr);
  }

  path(ctx: PathCtx): PathExpr {
    const root = ctx.root[0]!;
    // `.field` and `["key"]` land in separate CST arrays; source order is restored by offset.
    const parts: { t: IToken; name: string }[] = [];
    for (const t of ctx.field ?? []) parts.push({ t, name: t.image });
    for (const t of ctx.key ?? []) parts.push({ t, name: (t.payload as StringPayload).value });
    if (ctx.field && ctx.key) parts.sort((a, b) => a.t.startOffset - b.t.startOffset);
    const segments: PathSegment[] = parts.map(({ t, name }) => ({ name, span: this.tok(t) }));
    let last = end(root);
    const lastField = ctx.field?.[ctx.field.length - 1];
    const lastClose = ctx.close?.[ctx.close.length - 1];
    if (lastField) last = Math.max(last, end(lastField));
    if (lastClose) last = Math.max(last, end(lastClose));
    return { kind: 'path', root: root.image, rootSpan: this.tok(root), segments, span: this.span(root.startOffset, last) };
  }

  constraint(ctx: ConstraintCtx): Constraint {
    const { op, opSpan } = this.visit(ctx.op) as { op: CompareOp; opSpan: Span };
    const right = this.visit(ctx.right) as Expr;
    return { op, opSpan, right, span: { start: opSpan.start, end: right.span.end } };
  }
}

const builder = new AstBuilder();

/** Turn an error-free CST into its AST node (an `Expr`, a `Constraint` or a `PathExpr`). */
export function cstToAst<T>(cst: CstNode, offsets?: OffsetMap): { value: T; errors: ExprError[] } {
  return builder.run<T>(cst, offsets);
}
