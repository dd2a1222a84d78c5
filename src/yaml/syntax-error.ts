/**
 * YAML syntax errors as diagnostics. js-yaml reports where it stopped, which is not always where
 * the mistake is: an unclosed quote is reported at the line where the string's continuation stops
 * fitting. Here such errors are traced back to the mistake.
 */
import { YAMLException, parseEvents } from 'js-yaml';
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { SourceFile } from '../diag/source.js';

/** YAML nesting allowed in a policy file (deeper is M101). */
export const YAML_MAX_DEPTH = 64;

/** The M101 for an exception of the YAML parser, at the mistake rather than where parsing stopped. */
export function yamlErrorToDiagnostic(e: unknown, file: SourceFile): Diagnostic {
  if (e instanceof YAMLException) {
    const pos = e.mark?.position ?? 0;
    const reason = e.reason || 'invalid YAML';
    const open = unclosedQuote(file.text, pos, reason);
    if (open) return unclosedQuoteDiagnostic(file, open, pos);
    return diag('M101', file.path, { start: pos, end: pos }, `invalid YAML: ${reason}`, { hint: hintForYamlReason(reason) });
  }
  const message = e instanceof Error ? e.message : String(e);
  return diag('M101', file.path, { start: 0, end: 0 }, `invalid YAML: ${message}`);
}

/** An opening quote whose string never ends: where it is and which quote it is. */
interface OpenQuote {
  readonly at: number;
  readonly quote: '"' | "'";
}

/**
 * Errors that an unclosed quote leads to. A quoted string may span lines, so YAML reads on past the
 * end of the line the user meant to close it on and stops where it first fails — usually at the next
 * key, with "deficient indentation" — far from the mistake.
 */
const AFTER_UNCLOSED_QUOTE = /deficient indentation|within a (single|double) quoted scalar/;

/**
 * The opening quote of the string YAML was still reading when it failed at `pos`, if an unclosed
 * quote is what went wrong. Confirmed, not guessed: closing the string just before `pos`, or
 * removing its opening quote (inside a flow collection closing it is not enough), must let the
 * parser get past `pos`; otherwise the error has another cause and is reported as it stands.
 */
function unclosedQuote(text: string, pos: number, reason: string): OpenQuote | undefined {
  const m = AFTER_UNCLOSED_QUOTE.exec(reason);
  if (!m) return undefined;
  let end = Math.min(pos, text.length);
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const quotes: readonly ('"' | "'")[] = m[1] === 'double' ? ['"'] : m[1] === 'single' ? ["'"] : ['"', "'"];
  for (const quote of quotes) {
    const at = openingQuote(text, end, quote);
    if (at === undefined) continue;
    if (parsesPast(text.slice(0, end) + quote + text.slice(end), pos + 1) || parsesPast(text.slice(0, at) + ' ' + text.slice(at + 1), pos)) return { at, quote };
  }
  return undefined;
}

/** The quote that opens a string ending (unclosed) at `end`: the last one not escaped inside it. */
function openingQuote(text: string, end: number, quote: '"' | "'"): number | undefined {
  for (let i = end - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i - 1] === "'") {
      i--; // '' is an escaped quote inside a single-quoted string
      continue;
    }
    let backslashes = 0;
    while (quote === '"' && text[i - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return undefined;
}

/** Whether the YAML parser gets past offset `pos` of `text` (or parses all of it). */
function parsesPast(text: string, pos: number): boolean {
  try {
    parseEvents(text, { maxDepth: YAML_MAX_DEPTH });
    return true;
  } catch (e) {
    return e instanceof YAMLException && (e.mark?.position ?? 0) > pos;
  }
}

function unclosedQuoteDiagnostic(file: SourceFile, open: OpenQuote, pos: number): Diagnostic {
  const kind = open.quote === '"' ? 'double-quoted' : 'single-quoted';
  const lineEnd = file.text.slice(open.at).search(/\r?\n|\r|$/);
  const stop = pos >= file.text.trimEnd().length ? 'YAML read on to the end of the file looking for the closing quote' : 'YAML read on to here looking for the closing quote';
  return diag('M101', file.path, { start: open.at, end: open.at + Math.max(1, lineEnd) }, `invalid YAML: unclosed ${kind} string: this ${open.quote} has no closing ${open.quote}`, {
    hint: `add the closing ${open.quote} where the value ends${open.quote === "'" ? " (write '' for a quote inside the string)" : ' (write \\" for a quote inside the string)'}`,
    labels: [{ file: file.path, span: { start: pos, end: pos }, message: stop }],
  });
}

function hintForYamlReason(reason: string): string | undefined {
  if (/indentation/.test(reason)) return 'indent nested keys consistently with spaces (YAML does not allow tabs for indentation)';
  if (/tab/.test(reason)) return 'replace tab characters in indentation with spaces';
  if (/quote|end of the stream within a/.test(reason)) return 'close the quoted string';
  if (/flow/.test(reason)) return "close the flow collection with ']' or '}'";
  if (/escape/.test(reason)) return "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes";
  if (/line break is expected/.test(reason)) return 'a value starting with `>` or `|` is a YAML block scalar: quote it, e.g. "> 0"';
  if (/mapping|block|colon|plain|alias|anchor|tag/.test(reason)) return 'quote values that contain `: ` or ` #`, or start with `>`, `[`, `{`, `*`, `&`, `!`, `|`';
  return undefined;
}
