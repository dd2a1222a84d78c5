/**
 * SARIF 2.1.0 output for GitHub code scanning and other SARIF consumers. Every code is a rule (not
 * only the ones used) so a rule's index is the same in every log monetize writes.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_CODES, CODES, type Code } from '../codes.js';
import { sortDiagnostics, type Diagnostic, type Severity } from '../diagnostic.js';
import type { SourceFile, Span } from '../source.js';
import { locate } from './json.js';

/** The SARIF schema URL GitHub and editors recognise. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Which monetize wrote the log. */
export interface SarifTool {
  readonly version: string;
  readonly informationUri?: string;
}

/** Where relative artifact URIs are rooted; defaults to the working directory. */
export interface SarifOptions {
  readonly root?: string;
}

/** SARIF's three result levels (monetize's `info` is SARIF's `note`). */
export type SarifLevel = 'error' | 'warning' | 'note';

/** A SARIF message object. */
export interface SarifMessage {
  readonly text: string;
  readonly markdown?: string;
}

/** A SARIF physical location: a file and a 1-based region in it. */
export interface SarifPhysicalLocation {
  readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
  readonly region: { readonly startLine: number; readonly startColumn: number; readonly endLine: number; readonly endColumn: number };
}

/** One rule of the driver: a diagnostic code with its help text. */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: SarifMessage;
  readonly defaultConfiguration: { readonly level: SarifLevel };
}

/** One result: a diagnostic. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly { readonly physicalLocation: SarifPhysicalLocation }[];
  readonly relatedLocations?: readonly { readonly id: number; readonly physicalLocation: SarifPhysicalLocation; readonly message: SarifMessage }[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  /** A SARIF property bag: monetize's `have`/`want` detail of type errors, when there is one. */
  readonly properties?: { readonly have?: string; readonly want?: string };
}

/** The subset of a SARIF 2.1.0 log monetize produces. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: string;
          readonly version: string;
          readonly informationUri?: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly columnKind: 'utf16CodeUnits';
      readonly results: readonly SarifResult[];
    },
  ];
}

/** Map a monetize severity to a SARIF level. */
export function sarifLevel(sev: Severity): SarifLevel {
  return sev === 'info' ? 'note' : sev;
}

/** Build the SARIF log object (results sorted by file and position). */
export function toSarifLog(
  diags: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  tool: SarifTool,
  opts: SarifOptions = {},
): SarifLog {
  const root = path.resolve(opts.root ?? process.cwd());
  const rules = ALL_CODES.map(toRule);
  const ruleIndex = new Map<Code, number>(ALL_CODES.map((c, i) => [c, i]));
  const seen = new Map<string, number>();

  const results = sortDiagnostics(diags).map((d): SarifResult => {
    const primary = physical(files, d.file, d.span, root);
    // The occurrence counter keeps two identical findings in one file apart without tying the
    // fingerprint to a line number, so alerts survive unrelated edits above them.
    const hash = fingerprint(d.code, primary.artifactLocation.uri, d.message);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    const result: { -readonly [K in keyof SarifResult]: SarifResult[K] } = {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: sarifLevel(d.severity),
      message: { text: messageText(d) },
      locations: [{ physicalLocation: primary }],
      partialFingerprints: { primaryLocationLineHash: `${hash}:${n}` },
    };
    if (d.labels !== undefined && d.labels.length > 0) {
      result.relatedLocations = d.labels.map((l, id) => ({
        id,
        physicalLocation: physical(files, l.file, l.span, root),
        message: { text: l.message },
      }));
    }
    if (d.have !== undefined || d.want !== undefined) {
      result.properties = { ...(d.have === undefined ? {} : { have: d.have }), ...(d.want === undefined ? {} : { want: d.want }) };
    }
    return result;
  });

  const driver = {
    name: 'monetize',
    version: tool.version,
    ...(tool.informationUri === undefined ? {} : { informationUri: tool.informationUri }),
    rules,
  };
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver }, columnKind: 'utf16CodeUnits', results }],
  };
}

/** Render a SARIF 2.1.0 log: 2-space indent, trailing newline. */
export function renderSarif(
  diags: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  tool: SarifTool,
  opts: SarifOptions = {},
): string {
  return JSON.stringify(toSarifLog(diags, files, tool, opts), null, 2) + '\n';
}

/**
 * The artifact URI of a file: relative to the root with forward slashes under `%SRCROOT%`, or an
 * absolute `file:` URI when the file lies outside the root (a relative `../` would not resolve).
 */
export function artifactUri(file: string, root: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    return { uri: pathToFileURL(abs).href };
  }
  const uri = rel.split(path.sep).map(encodeURIComponent).join('/');
  return { uri, uriBaseId: '%SRCROOT%' };
}

/** The message with the `have:`, `want:` and `help:` details on lines of their own, as `pretty` shows them. */
function messageText(d: Diagnostic): string {
  let text = d.message;
  if (d.have !== undefined) text += `\nhave: ${d.have}`;
  if (d.want !== undefined) text += `\nwant: ${d.want}`;
  if (d.hint !== undefined) text += `\nhelp: ${d.hint}`;
  return text;
}

function toRule(code: Code): SarifRule {
  const info = CODES[code];
  return {
    id: code,
    name: info.name,
    shortDescription: { text: info.summary },
    fullDescription: { text: `${info.summary} ${info.fix}` },
    help: { text: info.fix, markdown: info.fix },
    defaultConfiguration: { level: sarifLevel(info.severity) },
  };
}

function physical(files: ReadonlyMap<string, SourceFile>, file: string, span: Span, root: string): SarifPhysicalLocation {
  const r = locate(files, file, span);
  return {
    artifactLocation: artifactUri(file, root),
    region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
  };
}

function fingerprint(code: string, uri: string, message: string): string {
  return createHash('sha256').update(`${code}\0${uri}\0${message}`).digest('hex').slice(0, 16);
}
