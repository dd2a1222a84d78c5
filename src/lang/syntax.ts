/** Lexical forms every stage shares: identifiers and the canonical string literal. */

/** Identifiers of the language. */
export const IDENT_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A string literal in the canonical (single-quoted) form the printer and the grammar agree on. */
export function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}
