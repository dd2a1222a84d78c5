/** One entry point for the CLI: pick a diagnostics format by name. */
import type { Diagnostic } from '../diagnostic.js';
import type { SourceFile } from '../source.js';
import { renderJson } from './json.js';
import { renderPretty } from './pretty.js';
import { renderSarif } from './sarif.js';

export { renderPretty, renderSummary, renderPlainError, type PrettyOptions } from './pretty.js';
export { renderJson, toJsonDiagnostics, locate, type JsonDiagnostic, type JsonLabel, type JsonRange, type JsonReport } from './json.js';
export { renderSarif, toSarifLog, artifactUri, sarifLevel, SARIF_SCHEMA, type SarifLog, type SarifTool, type SarifOptions } from './sarif.js';

/** The output formats of `monetize lint --format`. */
export type DiagnosticFormat = 'pretty' | 'json' | 'sarif';

/** Every diagnostic format, in the order `--help` lists them. */
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['pretty', 'json', 'sarif'];

/** Whether a `--format` argument names a diagnostic format. */
export function isDiagnosticFormat(s: string): s is DiagnosticFormat {
  return (DIAGNOSTIC_FORMATS as readonly string[]).includes(s);
}

/** What the renderers need beyond the diagnostics; `color` only affects `pretty`. */
export interface RenderOptions {
  readonly color: boolean;
  /** monetize's version, written into SARIF's `tool.driver`. */
  readonly version: string;
  readonly informationUri?: string;
  /** Root that SARIF artifact URIs are relative to (default: the working directory). */
  readonly root?: string;
  /** Columns of source a pretty code frame may use before cutting with `…`. */
  readonly maxWidth?: number;
}

/** Render diagnostics in the named format; the result ends in a newline unless it is empty. */
export function renderDiagnostics(
  format: DiagnosticFormat,
  diags: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  opts: RenderOptions,
): string {
  switch (format) {
    case 'pretty':
      return renderPretty(diags, files, { color: opts.color, maxWidth: opts.maxWidth });
    case 'json':
      return renderJson(diags, files);
    case 'sarif':
      return renderSarif(diags, files, { version: opts.version, informationUri: opts.informationUri }, { root: opts.root });
  }
}
