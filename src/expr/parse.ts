/**
 * The public parsing API: text → AST, or errors with codes and file spans. Parsing never throws
 * and never returns a partial AST; recovery only serves to report several errors at once.
 */
import { EOF, tokenMatcher, type CstNode, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import { describeToken, exprParser } from '../../grammar/parser.js';
import {
  AndOp, Assign, Bang, Comma, CompareTok, Dot, exprLexer, False, Gt, Identifier, In, LBracket, LParen, Lt, Minus, Not, NumberLit,
  OrOp, RBracket, RParen, StringLit, True, type StringPayload,
} from '../../grammar/tokens.js';
import type { Span } from '../diag/source.js';
import type { Constraint, Expr, PathExpr, PathSegment } from './ast.js';
import { cstToAst } from './cst-to-ast.js';
import { mapOffset, type OffsetMap } from './offsets.js';
import { mapSpan, relocateConstraint, relocateExpr, relocatePath } from './relocate.js';
import { reshape, shapeOf, type ShapeToken } from './shapes.js';

export { mapOffset, type OffsetMap };

/** One problem in an expression, located in the file (not the expression string). */
export interface ExprError {
  readonly code: 'M200' | 'M201' | 'M202';
  readonly message: string;
  readonly span: Span;
  readonly hint?: string;
}

/** How the expression text sits in its file. */
export interface ParseOptions {
  /**
   * Where each character of the text is in the file: an array (file offset of each char, length
   * text.length+1), or a number when the text is a verbatim slice of the file starting there.
   * Default: offsets into the text itself.
   */
  readonly offsets?: OffsetMap;
}

/** Input limits; beyond them an expression is rejected with M202 before later stages recurse over it. */
export const LIMITS: Readonly<{ maxLength: number; maxDepth: number }> = Object.freeze({ maxLength: 10_000, maxDepth: 64 });

/** Parse a whole expression (a condition or a cost). */
export function parseExpression(text: string, opts?: ParseOptions): { ast?: Expr; errors: readonly ExprError[] } {
  const r = cached<Expr>('expression', text);
  const errors = relocateErrors(r.errors, opts?.offsets);
  return r.value === undefined ? { errors } : { ast: relocateExpr(r.value, opts?.offsets), errors };
}

/** Parse the right-hand side of a map-condition shorthand: `"> 0"`, `"not in ['a']"`. */
export function parseConstraint(text: string, opts?: ParseOptions): { constraint?: Constraint; errors: readonly ExprError[] } {
  const r = cached<Constraint>('constraint', text);
  const errors = relocateErrors(r.errors, opts?.offsets);
  return r.value === undefined ? { errors } : { constraint: relocateConstraint(r.value, opts?.offsets), errors };
}

/** Parse a path alone, e.g. a map-condition key such as `asset.metadata["compute cost"]`. */
export function parsePath(text: string, opts?: ParseOptions): { path?: PathExpr; errors: readonly ExprError[] } {
  const simple = simplePath(text, opts);
  if (simple) return { path: simple, errors: [] };
  const r = cached<PathExpr>('path', text);
  const errors = relocateErrors(r.errors, opts?.offsets);
  if (r.value !== undefined) return { path: relocatePath(r.value, opts?.offsets), errors };
  return { errors };
}

const SIMPLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'starts_with', 'ends_with', 'true', 'false']);

/**
 * Map-condition keys are almost always plain dotted paths (`user.tier`); build those directly.
 * Anything else (brackets, spaces, a keyword root, mistakes) goes through the grammar.
 */
function simplePath(text: string, opts: ParseOptions | undefined): PathExpr | undefined {
  if (!SIMPLE_PATH.test(text)) return undefined;
  const parts = text.split('.');
  if (KEYWORDS.has(parts[0]!)) return undefined;
  const at = (o: number): number => mapOffset(opts?.offsets, o);
  const segments: PathSegment[] = [];
  let pos = parts[0]!.length + 1;
  for (const name of parts.slice(1)) {
    segments.push({ name, span: { start: at(pos), end: at(pos + name.length) } });
    pos += name.length + 1;
  }
  return { kind: 'path', root: parts[0]!, rootSpan: { start: at(0), end: at(parts[0]!.length) }, segments, span: { start: at(0), end: at(text.length) } };
}

type Entry = 'expression' | 'constraint' | 'path';

type Parsed = { value?: unknown; errors: readonly ExprError[] };
const CACHE = new Map<string, Parsed>();
const CACHE_LIMIT = 20_000;

/**
 * Parse results in text offsets, by entry rule and text. Policies repeat expressions a lot; the
 * callers copy the result to each occurrence's place (relocate), so cached nodes are never shared.
 */
function cached<T>(entry: Entry, text: string): { value?: T; errors: readonly ExprError[] } {
  const key = `${entry}\u0000${text}`;
  let r = CACHE.get(key);
  if (r === undefined) {
    r = byShape(entry, text) ?? run<T>(entry, text, undefined);
    if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
    CACHE.set(key, r);
  }
  return r as { value?: T; errors: readonly ExprError[] };
}

const SHAPES = new Map<string, { tokens: readonly ShapeToken[]; value: unknown }>();

/**
 * A parse of `text` rebuilt from an earlier text of the same shape (see shapes.ts), or undefined
 * when there is none yet — then the full parse is done and, if clean, remembered by its shape.
 */
function byShape(entry: Entry, text: string): Parsed | undefined {
  if (text.length > LIMITS.maxLength) return undefined;
  const lexed = exprLexer.tokenize(text);
  if (lexed.errors.length > 0) return undefined;
  const shape = shapeOf(entry, lexed.tokens);
  if (!shape) return undefined;
  const known = SHAPES.get(shape.key);
  if (known) {
    const value = reshape(entry, known.value, known.tokens, shape.tokens);
    if (value !== undefined) return { value, errors: NO_ERRORS };
    return undefined;
  }
  const full = run<unknown>(entry, text, undefined);
  if (full.value !== undefined && full.errors.length === 0) {
    if (SHAPES.size >= CACHE_LIMIT) SHAPES.clear();
    SHAPES.set(shape.key, { tokens: shape.tokens, value: full.value });
  }
  return full;
}

function relocateErrors(errors: readonly ExprError[], map: OffsetMap | undefined): readonly ExprError[] {
  return errors.length === 0 ? errors : errors.map((e) => ({ ...e, span: mapSpan(e.span, map) }));
}

const EMPTY_HINT: Readonly<Record<Entry, string>> = {
  expression: "write a condition such as user.tier == 'pro'",
  constraint: 'write an operator and a value, e.g. > 0',
  path: 'write a path such as user.tier',
};

const NO_ERRORS: readonly ExprError[] = Object.freeze([]);

function run<T>(entry: Entry, text: string, opts: ParseOptions | undefined): { value?: T; errors: readonly ExprError[] } {
  const offsets = opts?.offsets;
  const span = (start: number, end: number): Span => ({ start: mapOffset(offsets, start), end: mapOffset(offsets, end) });

  if (text.length > LIMITS.maxLength) {
    const message = `expression is too long: ${text.length} characters (the limit is ${LIMITS.maxLength})`;
    return { errors: [{ code: 'M202', message, span: span(0, text.length), hint: 'split it into several rules, or move values into params' }] };
  }
  if (/^[ \t\r\n\f\v]*$/.test(text)) {
    return { errors: [{ code: 'M200', message: 'empty expression', span: span(0, text.length), hint: EMPTY_HINT[entry] }] };
  }

  const lexed = exprLexer.tokenize(text);
  const tokens = lexed.tokens;
  const errors: ExprError[] = lexed.errors.map((e) => lexError(text, e, span));
  for (const t of tokens) {
    if (t.tokenType !== StringLit) continue;
    for (const p of (t.payload as StringPayload).problems) errors.push(withHint({ code: 'M201', message: p.message, span: span(p.start, p.end) }, p.hint));
  }

  const deep = tooDeep(tokens);
  if (deep !== undefined) {
    const message = `expression is nested too deeply: more than ${LIMITS.maxDepth} levels of parentheses, brackets or prefix operators`;
    errors.push({ code: 'M202', message, span: span(deep.startOffset, deep.startOffset + deep.image.length), hint: 'simplify the expression or split it into several rules' });
    return { errors: sorted(errors) };
  }

  exprParser.input = tokens;
  const cst: CstNode = exprParser[entry]();
  const seen = new Set<number>();
  for (const e of exprParser.errors) {
    const err = parseError(entry, e, text, tokens, lexed.errors, span);
    // Leftover input after an earlier error is nearly always an echo of recovering from it.
    if (err === undefined || seen.has(err.span.start) || (seen.size > 0 && e.message.startsWith('unexpected '))) continue;
    seen.add(err.span.start);
    errors.push(err);
  }
  if (errors.length > 0) return { errors: sorted(errors) };

  const built = cstToAst<T>(cst, offsets);
  if (built.errors.length > 0) return { errors: sorted(built.errors) };
  // Later stages recurse over the AST; a long flat chain (`a or b or ...`) is deep there too.
  const top = entry === 'expression' ? (built.value as Expr) : entry === 'constraint' ? (built.value as Constraint).right : undefined;
  const depth = top === undefined ? 0 : astDepth(top) + (entry === 'constraint' ? 1 : 0);
  if (depth > LIMITS.maxDepth) {
    const message = `expression is nested too deeply: ${depth} levels (the limit is ${LIMITS.maxDepth})`;
    const hint = 'long chains of and/or count as nesting: use `in [...]` for alternatives, or split the rule';
    return { errors: [{ code: 'M202', message, span: top!.span, hint }] };
  }
  return { value: built.value, errors: NO_ERRORS };
}

function withHint(e: { code: ExprError['code']; message: string; span: Span }, hint: string | undefined): ExprError {
  return hint === undefined ? e : { ...e, hint };
}

function sorted(errors: ExprError[]): readonly ExprError[] {
  return errors.sort((a, b) => a.span.start - b.span.start);
}

/** Characters people type by habit from other languages, and what to write instead. */
const CHAR_HINTS: Readonly<Record<string, string>> = {
  '&': 'write `and` (or `&&`)',
  '|': 'write `or` (or `||`)',
  '\u2018': "use straight quotes ' or \"",
  '\u2019': "use straight quotes ' or \"",
  '\u201c': "use straight quotes ' or \"",
  '\u201d': "use straight quotes ' or \"",
  '\\': 'a backslash is only allowed inside a string, as an escape',
  '#': 'comments are not part of expressions; use the rule `description`',
  ';': 'combine conditions with `and` or `or`',
  '`': "strings use single or double quotes: 'text' or \"text\"",
  '\u00a0': 'this is a no-break space (often pasted from documents): replace it with an ordinary space',
  '\u200b': 'this is an invisible zero-width space: delete it',
};

function showChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return c < 0x21 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || c === 0xfeff ? code : `'${ch}'`;
}

function lexError(text: string, e: ILexingError, span: (s: number, e: number) => Span): ExprError {
  const bad = text.slice(e.offset, e.offset + e.length);
  const chars = [...bad];
  const message = chars.length === 1 ? `unexpected character ${showChar(bad)}` : `unexpected characters ${chars.map(showChar).join(' ')}`;
  return withHint({ code: 'M201', message, span: span(e.offset, e.offset + e.length) }, CHAR_HINTS[chars[0]!]);
}

/** Tokens after which an operand has ended (so a following `-` is binary, a following name is a missing operator). */
function endsOperand(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  if (t === undefined) return false;
  const type = t.tokenType;
  if (type === Identifier || type === NumberLit || type === StringLit || type === True || type === False || type === RParen || type === RBracket) return true;
  return tokens[i - 1]?.tokenType === Dot; // a keyword used as a path segment: `a.in`
}

function startsOperand(t: IToken): boolean {
  const type = t.tokenType;
  return type === Identifier || type === NumberLit || type === StringLit || type === True || type === False || type === LParen || type === LBracket;
}

/**
 * Bounds the parser's recursion before it starts: each open bracket and each prefix operator is one
 * level. Returns the token at which the limit is passed, if any.
 */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let run = 0;
  const saved: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === LParen || type === LBracket) {
      saved.push(run);
      depth += run + 1;
      run = 0;
    } else if (type === RParen || type === RBracket) {
      if (saved.length > 0) depth -= 1 + saved.pop()!;
      run = 0;
    } else if (type === Bang || (type === Not && tokens[i + 1]?.tokenType !== In) || (type === Minus && !endsOperand(tokens, i - 1))) {
      run++;
    } else if (endsOperand(tokens, i)) {
      run = 0;
    }
    if (depth + run > LIMITS.maxDepth) return t;
  }
  return undefined;
}

/** AST depth, computed without recursion so a deep tree cannot overflow the stack here. */
function astDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [e, d] = top;
    if (d > max) max = d;
    if (e.kind === 'binary') stack.push([e.left, d + 1], [e.right, d + 1]);
    else if (e.kind === 'unary') stack.push([e.operand, d + 1]);
    else if (e.kind === 'list') for (const x of e.items) stack.push([x, d + 1]);
    else if (e.kind === 'call') for (const x of e.args) stack.push([x, d + 1]);
  }
  return max;
}

function parseError(
  entry: Entry,
  e: IRecognitionException,
  text: string,
  tokens: readonly IToken[],
  lexErrors: readonly ILexingError[],
  span: (s: number, e: number) => Span,
): ExprError | undefined {
  const tok = e.token;
  const real = Number.isFinite(tok.startOffset) && tok.tokenType !== EOF;
  const idx = real ? tokens.indexOf(tok) : tokens.length;
  const prev = idx > 0 ? tokens[idx - 1] : undefined;
  // Recovered or EOF tokens have no position: point just after the last real token instead.
  const prevEnd = prev === undefined ? (real ? 0 : text.length) : prev.startOffset + prev.image.length;
  const start = real ? tok.startOffset : prevEnd;
  const end = real ? tok.startOffset + tok.image.length : prevEnd;
  // The lexer dropped characters right before this token; the parse error is only their echo.
  const lo = prev === undefined ? 0 : prevEnd;
  const hi = real ? start : text.length + 1;
  if (lexErrors.some((l) => l.offset >= lo && l.offset < hi)) return undefined;

  const at = span(start, end);
  if (tok.tokenType === Assign) {
    // `=>` / `=<` are swapped `>=` / `<=` rather than a mistyped `==`.
    const next = tokens[idx + 1];
    const swapped = next !== undefined && next.startOffset === end && (next.tokenType === Gt || next.tokenType === Lt);
    const hint = swapped ? `write \`${next.image}=\`` : 'compare with `==`; policies never assign';
    return { code: 'M200', message: '`=` is not an operator: use `==`', span: at, hint };
  }
  const following = e.name === 'NotAllInputParsedException' || e.name === 'MismatchedTokenException';
  const comparison = tokenMatcher(tok, CompareTok) || (tok.tokenType === Not && tokens[idx + 1]?.tokenType === In);
  if (entry !== 'path' && following && comparison && endsOperand(tokens, idx - 1)) {
    return { code: 'M200', message: 'comparison operators do not chain: write `a < b and b < c`', span: at, hint: 'join the two comparisons with `and`' };
  }
  return withHint({ code: 'M200', message: e.message, span: at }, hintFor(entry, e, tok, tokens, idx));
}

function hintFor(entry: Entry, e: IRecognitionException, tok: IToken, tokens: readonly IToken[], idx: number): string | undefined {
  const prev = tokens[idx - 1];
  const type = tok.tokenType;
  // "unexpected …" is how grammar/parser.ts words leftover input (NotAllInputParsed, or expected EOF).
  if (e.message.startsWith('unexpected ')) {
    if (type === RParen || type === RBracket) return `remove it, or add the matching ${type === RParen ? "'('" : "'['"} earlier`;
    if (entry === 'constraint' && (tokenMatcher(tok, AndOp) || tokenMatcher(tok, OrOp))) {
      return 'a map-condition value holds one comparison; write the whole condition as an expression string instead';
    }
    if (entry === 'path') return 'a map-condition key is a path alone, e.g. user.tier or asset.metadata["compute cost"]';
    if (type === LParen && prev !== undefined && (prev.tokenType === Identifier || tokens[idx - 2]?.tokenType === Dot)) {
      return 'only built-in functions can be called, e.g. len(user.entitlements); a path is not a function';
    }
    if (startsOperand(tok) && endsOperand(tokens, idx - 1)) return `an operator is missing before ${describeToken(tok)}: e.g. \`and\`, \`or\` or \`==\``;
    if (type === Not && endsOperand(tokens, idx - 1)) return 'for a negated membership test write `not in`';
    return undefined;
  }
  if (prev?.tokenType === Dot) return 'after `.` write a field name; use ["key"] for keys that are not names';
  if (prev?.tokenType === LBracket && e.name === 'MismatchedTokenException') return 'a path key in brackets is a string: write ["key"]';
  if (prev?.tokenType === Comma && (type === RParen || type === RBracket)) return 'remove the trailing comma';
  const closer = e.message.match(/^expected '([)\]])'/)?.[1];
  if (closer !== undefined) {
    if (tok.tokenType === EOF) return `add '${closer}' to close the '${closer === ')' ? '(' : '['}'`;
    if (startsOperand(tok) && endsOperand(tokens, idx - 1)) return "separate items with ',', or join them with an operator such as `and`";
  }
  if (type === Gt && prev?.tokenType === Lt && prev.startOffset + 1 === tok.startOffset) return 'write `!=` for "not equal"';
  return undefined;
}

/** Parse without any cache (the reference the shape cache is tested against). */
export function parseExpressionFresh(text: string): { ast?: Expr; errors: readonly ExprError[] } {
  const r = run<Expr>('expression', text, undefined);
  return r.value === undefined ? { errors: r.errors } : { ast: r.value, errors: r.errors };
}
