/**
 * A small JavaScript scanner for checking generated code: it separates string literals and
 * comments from the code around them. Enough JavaScript for what monetize emits (no template
 * literals are expected; a backtick outside a string is reported as code, so tests can forbid it).
 */

export interface Scanned {
  /** The source with every string literal's contents replaced by `S` and every comment removed. */
  readonly skeleton: string;
  /** The decoded value of every string literal, in order. */
  readonly strings: readonly string[];
  /** The identifiers (and keywords) outside strings and comments, in order. */
  readonly identifiers: readonly string[];
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** Scan `src`; throws on an unterminated string, comment or regular expression. */
export function scanJs(src: string): Scanned {
  let skeleton = '';
  const strings: string[] = [];
  const identifiers: string[] = [];
  let last = ''; // the last significant (non-space) code character, for the regex heuristic
  let lastWord = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(src, i);
      strings.push(decodeString(src.slice(i + 1, end)));
      skeleton += `${c}S${c}`;
      last = c;
      i = end + 1;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated comment at ${i}`);
      i = end + 2;
      continue;
    }
    if (c === '/' && (REGEX_AFTER.has(last) || lastWord === 'return')) {
      let j = i + 1;
      let inClass = false;
      for (; j < src.length; j++) {
        const d = src[j]!;
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        else if (d === '\n') throw new Error(`unterminated regular expression at ${i}`);
      }
      skeleton += src.slice(i, j + 1);
      last = '/';
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      identifiers.push(word);
      skeleton += word;
      last = 'a';
      lastWord = word;
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j]!)) j++;
      // exponent signs: 1e+21
      if ((src[j - 1] === 'e' || src[j - 1] === 'E') && (src[j] === '+' || src[j] === '-')) {
        j++;
        while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      }
      skeleton += src.slice(i, j);
      last = '0';
      lastWord = '';
      i = j;
      continue;
    }
    skeleton += c;
    if (!/\s/.test(c)) {
      last = c;
      lastWord = '';
    }
    i++;
  }
  return { skeleton, strings, identifiers };
}

function stringEnd(src: string, start: number): number {
  const q = src[start]!;
  for (let j = start + 1; j < src.length; j++) {
    const d = src[j]!;
    if (d === '\\') j++;
    else if (d === q) return j;
    else if (d === '\n' || d === '\r') break;
  }
  throw new Error(`unterminated string at ${start}: ${src.slice(start, start + 40)}`);
}

/** Decode the body of a quoted JavaScript string literal. */
function decodeString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i]!;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case 'x':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u':
        if (body[i + 1] === '{') {
          const close = body.indexOf('}', i);
          out += String.fromCodePoint(parseInt(body.slice(i + 2, close), 16));
          i = close;
        } else {
          out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
          i += 4;
        }
        break;
      default:
        out += e;
    }
  }
  return out;
}
