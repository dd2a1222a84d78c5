/**
 * Machine-readable diagnostics (`lint --format json`), the shape documented in docs/cli.md. Field
 * names are public API: add fields, never rename them.
 */
import { CODES, type Code } from '../codes.js';
import { countBySeverity, sortDiagnostics, type Diagnostic, type Severity } from '../diagnostic.js';
import { SourceFile, type Span } from '../source.js';

/** A 1-based range; columns count UTF-16 code units and `endColumn` is just past the span. */
export interface JsonRange {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A secondary location of a diagnostic. */
export interface JsonLabel extends JsonRange {
  readonly file: string;
  readonly message: string;
}

/** One diagnostic as printed by `--format json`. */
export interface JsonDiagnostic extends JsonRange {
  readonly file: string;
  readonly severity: Severity;
  readonly code: Code;
  /** The code's kebab-case name, e.g. `unknown-field`. */
  readonly name: string;
  readonly message: string;
  /** What was found, for type errors (e.g. `number`). */
  readonly have?: string;
  /** What was expected there, for type errors (e.g. `boolean`). */
  readonly want?: string;
  readonly hint?: string;
  readonly labels?: readonly JsonLabel[];
}

/** The whole `--format json` document. */
export interface JsonReport {
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/**
 * Resolve a span to 1-based positions. A file with no source text (unreadable, never loaded) is
 * reported at 1:1, which is what a whole-file problem means to an editor.
 */
export function locate(files: ReadonlyMap<string, SourceFile>, file: string, span: Span): JsonRange {
  const src = files.get(file) ?? new SourceFile(file, '');
  const s = src.position(span.start);
  // A reversed span is a bug upstream; show it as an insertion point rather than a negative range.
  const e = src.position(Math.max(span.start, span.end));
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/** Build the `--format json` document (diagnostics sorted by file and position). */
export function toJsonDiagnostics(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): JsonReport {
  const sorted = sortDiagnostics(diags);
  const diagnostics = sorted.map((d): JsonDiagnostic => {
    const r = locate(files, d.file, d.span);
    // Built field by field so the key order of the output is fixed by this code, not by callers.
    const out: { -readonly [K in keyof JsonDiagnostic]: JsonDiagnostic[K] } = {
      file: d.file,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      severity: d.severity,
      code: d.code,
      name: CODES[d.code].name,
      message: d.message,
    };
    if (d.have !== undefined) out.have = d.have;
    if (d.want !== undefined) out.want = d.want;
    if (d.hint !== undefined) out.hint = d.hint;
    if (d.labels !== undefined && d.labels.length > 0) {
      out.labels = d.labels.map((l): JsonLabel => {
        const lr = locate(files, l.file, l.span);
        return {
          file: l.file,
          line: lr.line,
          column: lr.column,
          endLine: lr.endLine,
          endColumn: lr.endColumn,
          message: l.message,
        };
      });
    }
    return out;
  });
  const counts = countBySeverity(sorted);
  return { diagnostics, errors: counts.errors, warnings: counts.warnings, infos: counts.infos };
}

/** Render the `--format json` document: 2-space indent, trailing newline. */
export function renderJson(diags: readonly Diagnostic[], files: ReadonlyMap<string, SourceFile>): string {
  return JSON.stringify(toJsonDiagnostics(diags, files), null, 2) + '\n';
}
