/**
 * Human-readable diagnostics: an esbuild/TypeScript-style header line that editors and CI problem
 * matchers parse, followed by a code frame with a gutter and a caret under the span.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic, Severity } from '../diagnostic.js';
import { sortDiagnostics } from '../diagnostic.js';
import { multiLine, oneLine, visibleCodePoint } from '../escape.js';
import type { SourceFile, Span } from '../source.js';

/** Options for {@link renderPretty}; colour is decided by the caller (TTY, NO_COLOR, --format). */
export interface PrettyOptions {
  readonly color: boolean;
  /** Display columns the source text of a frame may take before it is cut with `…`. */
  readonly maxWidth?: number;
}

const DEFAULT_MAX_WIDTH = 120;
// Fixed tab stops (not the user's editor setting) so golden output is reproducible everywhere.
const TAB_WIDTH = 4;

/** Render diagnostics (sorted by file and position), one block each, blocks separated by a blank line. */
export function renderPretty(
  diags: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  opts: PrettyOptions,
): string {
  const ctx: Ctx = { c: palette(opts.color), files, maxWidth: Math.max(opts.maxWidth ?? DEFAULT_MAX_WIDTH, 8) };
  return sortDiagnostics(diags)
    .map((d) => renderOne(d, ctx))
    .join('\n');
}

/** One summary line such as `2 errors, 1 warning` or `no problems` (no trailing newline). */
export function renderSummary(
  counts: { readonly errors: number; readonly warnings: number; readonly infos: number },
  color: boolean,
): string {
  const c = palette(color);
  const parts: string[] = [];
  if (counts.errors > 0) parts.push(c.error(plural(counts.errors, 'error')));
  if (counts.warnings > 0) parts.push(c.warning(plural(counts.warnings, 'warning')));
  if (counts.infos > 0) parts.push(c.info(plural(counts.infos, 'info')));
  return parts.length === 0 ? c.ok('no problems') : parts.join(', ');
}

/** A file-level error that has no source text to frame (e.g. an unreadable file), ending in a newline. */
export function renderPlainError(file: string, message: string, hint?: string, opts: { color: boolean } = { color: false }): string {
  const c = palette(opts.color);
  let out = header(c, file, undefined, 'error', 'M100', message);
  if (hint !== undefined) out += detailLine(c, 'help', hint);
  return out;
}

// --- internals -----------------------------------------------------------------------------

interface Palette {
  readonly loc: (s: string) => string;
  readonly message: (s: string) => string;
  readonly gutter: (s: string) => string;
  readonly help: (s: string) => string;
  readonly note: (s: string) => string;
  readonly ok: (s: string) => string;
  readonly error: (s: string) => string;
  readonly warning: (s: string) => string;
  readonly info: (s: string) => string;
}

interface Ctx {
  readonly c: Palette;
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly maxWidth: number;
}

function palette(color: boolean): Palette {
  // A private instance: the global chalk guesses from the environment, the caller knows better.
  const k: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  return {
    loc: (s) => k.bold(s),
    message: (s) => k.bold(s),
    gutter: (s) => k.dim(s),
    help: (s) => k.cyan(s),
    note: (s) => k.bold(s),
    ok: (s) => k.green(s),
    error: (s) => k.red(s),
    warning: (s) => k.yellow(s),
    info: (s) => k.blue(s),
  };
}

function severityColor(c: Palette, sev: Severity): (s: string) => string {
  return sev === 'error' ? c.error : sev === 'warning' ? c.warning : c.info;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function renderOne(d: Diagnostic, ctx: Ctx): string {
  const { c } = ctx;
  const src = ctx.files.get(d.file);
  const start = src?.position(d.span.start);
  let out = header(c, d.file, start && `${start.line}:${start.column}`, d.severity, d.code, d.message);

  // Every frame in the block shares one gutter width so the pipes line up.
  const lines: number[] = [];
  if (start) lines.push(start.line);
  for (const l of d.labels ?? []) {
    const p = ctx.files.get(l.file)?.position(l.span.start);
    if (p) lines.push(p.line);
  }
  const gw = String(Math.max(0, ...lines)).length;

  const paint = severityColor(c, d.severity);
  if (src) out += frame(src, d.span, gw, paint, ctx);
  if (d.have !== undefined) out += detailLine(c, 'have', d.have);
  if (d.want !== undefined) out += detailLine(c, 'want', d.want);
  if (d.hint !== undefined) out += detailLine(c, 'help', d.hint);
  for (const l of d.labels ?? []) {
    const lsrc = ctx.files.get(l.file);
    const p = lsrc?.position(l.span.start);
    out += `  ${c.note('note:')} ${indentRest(multiLine(l.message))}\n`;
    out += `  ${c.gutter('-->')} ${oneLine(l.file)}${p ? `:${p.line}:${p.column}` : ''}\n`;
    if (lsrc) out += frame(lsrc, l.span, gw, c.note, ctx);
  }
  return out;
}

function header(c: Palette, file: string, pos: string | undefined, sev: Severity, code: string, message: string): string {
  // A file found by walking a folder is named by whoever made it: its name is text like any other.
  const loc = pos === undefined ? `${oneLine(file)}:` : `${oneLine(file)}:${pos}:`;
  return `${c.loc(loc)} ${severityColor(c, sev)(`${sev}[${code}]`)}: ${c.message(indentRest(multiLine(message)))}\n`;
}

/** A `  = label: text` line under the frame (`have`, `want`, `help`). */
function detailLine(c: Palette, label: 'have' | 'want' | 'help', text: string): string {
  return `  ${c.help(`= ${label}:`)} ${indentRest(multiLine(text))}\n`;
}

/** Continuation lines of a multi-line message are indented so only the header starts a line. */
function indentRest(s: string): string {
  return s.replace(/\r?\n/g, '\n  ');
}

/** The source line holding the span's start, and a squiggle under the span's part on that line. */
function frame(src: SourceFile, span: Span, gw: number, paint: (s: string) => string, ctx: Ctx): string {
  const { c } = ctx;
  const start = src.position(span.start);
  const end = src.position(Math.max(span.start, span.end));
  const text = src.lineText(start.line);
  const lay = layout(text);
  const i0 = Math.min(start.column - 1, text.length);
  // A multi-line span is underlined to the end of its first line.
  const i1 = end.line === start.line ? Math.min(end.column - 1, text.length) : text.length;
  const c0 = lay.colAt[i0]!;
  const c1 = Math.max(lay.colAt[i1]!, c0);
  const win = window(lay.width, c0, c1, ctx.maxWidth);

  const shown = slice(lay, win);
  const gutterNum = c.gutter(`  ${String(start.line).padStart(gw)} |`);
  const gutterBlank = c.gutter(`  ${' '.repeat(gw)} |`);
  const caretFrom = Math.max(c0, win.start) - win.start + win.lead;
  const caretWidth = Math.max(1, Math.min(c1, win.end) - Math.max(c0, win.start));
  const caret = '^' + '~'.repeat(caretWidth - 1);
  return (
    `${gutterNum}${shown === '' ? '' : ' ' + shown}\n` +
    `${gutterBlank} ${' '.repeat(caretFrom)}${paint(caret)}\n`
  );
}

interface Cell {
  readonly text: string;
  readonly col: number;
  readonly width: number;
}

interface Layout {
  readonly cells: readonly Cell[];
  /** Display column of every UTF-16 index of the line, plus one past its end. */
  readonly colAt: readonly number[];
  readonly width: number;
}

/** Lay a line out in terminal columns: tabs expanded, wide characters two columns, controls made visible. */
function layout(line: string): Layout {
  const cells: Cell[] = [];
  const colAt: number[] = new Array<number>(line.length + 1);
  let col = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    for (let k = 0; k < units; k++) colAt[i + k] = col;
    const width = cp === 9 ? TAB_WIDTH - (col % TAB_WIDTH) : cellWidth(cp);
    const text = cp === 9 ? ' '.repeat(width) : visibleCodePoint(cp);
    cells.push({ text, col, width });
    col += width;
    i += units;
  }
  colAt[line.length] = col;
  return { cells, colAt, width: col };
}

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], [0x200b, 0x200f], [0xfe00, 0xfe0f], [0xfe20, 0xfe2f],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** Terminal columns a code point takes; an approximation of East Asian Width good enough for carets. */
function cellWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if (inRanges(cp, ZERO)) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

interface Window {
  readonly start: number;
  readonly end: number;
  /** Columns taken by the leading `…` (0 or 1). */
  readonly lead: number;
  readonly trail: boolean;
}

/** The columns [start, end) of a line to show so the span's start, with some context, fits. */
function window(lineWidth: number, c0: number, c1: number, max: number): Window {
  // A caret just past the end of the line needs one more column.
  const total = Math.max(lineWidth, c0 + 1);
  if (total <= max) return { start: 0, end: lineWidth, lead: 0, trail: false };
  const avail = max - 2; // room for both ellipses
  const spanWidth = Math.max(1, c1 - c0);
  // Centre a short span; for a long one show some context before it and as much of it as fits.
  const before = spanWidth >= avail ? Math.min(10, avail >> 2) : (avail - spanWidth) >> 1;
  const start = Math.max(0, Math.min(c0 - before, total - avail));
  const end = Math.min(lineWidth, start + avail);
  return { start, end, lead: start > 0 ? 1 : 0, trail: end < lineWidth };
}

/** The text of the cells inside the window, padded where a wide character was cut at the edge. */
function slice(lay: Layout, win: Window): string {
  let out = win.lead ? '…' : '';
  let cur = win.start;
  for (const cell of lay.cells) {
    if (cell.col < win.start || cell.col + cell.width > win.end) continue;
    if (cell.col > cur) out += ' '.repeat(cell.col - cur);
    out += cell.text;
    cur = cell.col + cell.width;
  }
  if (win.trail) out += ' '.repeat(Math.max(0, win.end - cur)) + '…';
  return out;
}
