/**
 * Making untrusted text safe to show a person. Policy strings (reasons, redirects, expression
 * text), test case names, request values and file names reach terminals and Markdown reports; a
 * control character among them could clear the screen, move the cursor and print a fake verdict,
 * and a bidi override could reorder what the reader sees. Every human-facing renderer passes such
 * text through here, so there is one definition of what is dangerous and how it is shown.
 */

/**
 * The visible stand-in for a code point, or the code point itself when it is harmless. C0
 * controls become their Control Pictures (ESC → ␛, NUL → ␀, LF → ␊), DEL becomes ␡, and C1
 * controls and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) become
 * U+FFFD. Every stand-in is one column wide, so code-frame carets stay aligned.
 */
export function visibleCodePoint(cp: number): string {
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (cp === 0x7f) return '\u2421';
  if (isHiddenControl(cp)) return '\ufffd';
  return String.fromCodePoint(cp);
}

/** Whether a code point is a C1 control or a bidi embedding, override or isolate. */
function isHiddenControl(cp: number): boolean {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

// One test for "anything to replace", so that the common case (plain text) costs a regex test.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Text for one line of output: every control character, line breaks and tabs included, becomes
 * visible. A reason of `"x\ndecision: ALLOW"` must not start a line of its own.
 */
export function oneLine(s: string): string {
  if (!UNSAFE.test(s)) return s;
  let out = '';
  for (const ch of s) out += visibleCodePoint(ch.codePointAt(0)!);
  return out;
}

/**
 * Text that may span lines (diagnostic messages): line feeds and tabs are kept, CRLF becomes LF,
 * and every other control character becomes visible, a lone carriage return included (it would
 * let the text overwrite the start of its line).
 */
export function multiLine(s: string): string {
  if (!UNSAFE.test(s)) return s;
  let out = '';
  for (const ch of s.replace(/\r\n/g, '\n')) {
    const cp = ch.codePointAt(0)!;
    out += cp === 9 || cp === 10 ? ch : visibleCodePoint(cp);
  }
  return out;
}

const WORD = /^[\p{L}\p{N}]$/u;

/**
 * Markdown for untrusted text (case names, reasons, redirects, expression text, paths, request
 * ids from logs). Such text is shown, never interpreted: it must not become a link, an image, HTML
 * or an entity in a pull-request comment, and a control character must not reach whoever reads
 * the report in a terminal.
 */
export function markdownText(s: string): string {
  return (
    oneLine(s.replace(/[\t\r\n]+/g, ' '))
      // Every character that can open inline markup is backslash-escaped (any ASCII punctuation
      // may be): code spans, emphasis, strikethrough, links and images, HTML and autolinks,
      // entities, and the table's own cell separator. An `_` inside a word cannot open or close
      // emphasis, so rule ids such as free_tier_paywall stay as they are written.
      .replace(/[\\`*_~[\]<>&|!]/g, (c, i: number, all: string) => (c === '_' && WORD.test(all[i - 1] ?? '') && WORD.test(all[i + 1] ?? '') ? c : `\\${c}`))
      // GitHub also links bare URLs, `www.` names and e-mail addresses; an escaped `:`, `.` or `@`
      // keeps them text.
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/(www)\./gi, '$1\\.')
      .replace(/@/g, '\\@')
  );
}

/**
 * Untrusted text as a Markdown code span: nothing inside one is markup. The fence is longer than
 * any run of backticks in the text, and `|` is escaped inside table cells, where GFM splits on it
 * first (and shows `\|` in a code span as `|`).
 */
export function markdownCode(s: string, inTable: boolean): string {
  let text = oneLine(s.replace(/[\t\r\n]+/g, ' '));
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML, in content or in a quoted attribute: made one line (as `oneLine`), then the five
 * characters HTML gives a meaning escaped, so an asset id such as `<img src=x onerror=…>` reads as
 * what it is and never becomes markup.
 */
export function escapeHtml(s: string): string {
  return oneLine(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
