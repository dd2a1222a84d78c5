/** The one diagnostic type every stage reports through. */
import type { Span } from './source.js';
import { CODES, type Code } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/** A secondary location that explains the primary one ("first defined here"). */
export interface Label {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

/** A problem found in a user's file, located by offsets into that file. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** Path of the file as the user named it. */
  readonly file: string;
  readonly span: Span;
  /** How to fix it, one sentence. */
  readonly hint?: string;
  /** What was found, for type errors: a type such as `number` or `list<string>`. */
  readonly have?: string;
  /** What was expected there, for type errors: `boolean`, `two numbers or two strings`. */
  readonly want?: string;
  readonly labels?: readonly Label[];
}

/** The optional parts of a diagnostic, as `diag()` takes them. */
export interface DiagnosticExtra {
  readonly hint?: string | undefined;
  readonly have?: string | undefined;
  readonly want?: string | undefined;
  readonly labels?: readonly Label[];
  readonly severity?: Severity;
}

/** Build a diagnostic with the code's registered default severity. */
export function diag(
  code: Code,
  file: string,
  span: Span,
  message: string,
  extra: DiagnosticExtra = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: extra.severity ?? CODES[code].severity,
    message,
    file,
    span,
  };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.have !== undefined) d.have = extra.have;
  if (extra.want !== undefined) d.want = extra.want;
  if (extra.labels !== undefined && extra.labels.length > 0) d.labels = extra.labels;
  return d;
}

/** Count diagnostics by severity. */
export function countBySeverity(diags: readonly Diagnostic[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diags) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** Stable order: by file, then offset, then code. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
