/**
 * Lexer tokens of the expression language (SPEC §3). Token LABELs are what parse errors show the
 * user, so they read as the user would type the token.
 */
import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from 'chevrotain';

/** A problem inside one string literal, at text offsets `[start, end)`. */
export interface StringProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hint?: string;
}

/** What the string matcher attaches to every string token, so no later stage re-decodes it. */
export interface StringPayload {
  readonly value: string;
  readonly problems: readonly StringProblem[];
}

const ESCAPE_HINT = "the escapes are \\\\ \\' \\\" \\n \\t and \\uXXXX; write \\\\ for a backslash";

/**
 * Matches a quoted string leniently: a bad escape or a missing closing quote still yields a string
 * token (with the problem in its payload), so the parser keeps going and reports later errors too.
 * A raw line break ends an unterminated string; a string spanning lines is almost always a typo.
 */
function matchString(text: string, offset: number): CustomPatternMatcherReturn | null {
  const quote = text.charCodeAt(offset);
  if (quote !== 39 && quote !== 34) return null;
  const problems: StringProblem[] = [];
  let value = '';
  let i = offset + 1;
  let chunk = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      const match: CustomPatternMatcherReturn = [text.slice(offset, i + 1)];
      match.payload = { value: value + text.slice(chunk, i), problems } satisfies StringPayload;
      return match;
    }
    if (c === 10 || c === 13) break;
    if (c !== 92) continue;
    value += text.slice(chunk, i);
    const e = text[i + 1];
    if (e === undefined || e === '\n' || e === '\r') {
      chunk = ++i;
      break;
    }
    if (e === '\\' || e === "'" || e === '"') value += e;
    else if (e === 'n') value += '\n';
    else if (e === 't') value += '\t';
    else if (e === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        let end = i + 2;
        while (end < i + 6 && /[0-9a-fA-F]/.test(text[end] ?? '')) end++;
        problems.push({
          start: i,
          end,
          message: `invalid unicode escape ${text.slice(i, end)}`,
          hint: 'write exactly four hex digits, e.g. \\u00e9',
        });
      }
    } else {
      const width = String.fromCodePoint(text.codePointAt(i + 1)!).length;
      problems.push({ start: i, end: i + 1 + width, message: `unknown escape \\${text.slice(i + 1, i + 1 + width)}`, hint: ESCAPE_HINT });
      i += width - 1;
    }
    i++;
    chunk = i + 1;
  }
  const q = String.fromCharCode(quote);
  problems.push({ start: offset, end: i, message: `unterminated string: add a closing ${q}`, hint: `strings start and end with the same quote, e.g. ${q}premium${q}` });
  const match: CustomPatternMatcherReturn = [text.slice(offset, i)];
  match.payload = { value: value + text.slice(chunk, i), problems } satisfies StringPayload;
  return match;
}

// --- categories: let one parser rule accept a family of tokens ---------------------------------
/** Anything usable as a path segment after `.`: identifiers and every keyword (`asset.metadata.in`). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a field name' });
/** `and` / `&&`. */
export const AndOp = createToken({ name: 'AndOp', pattern: Lexer.NA, label: "'and' / '&&'" });
/** `or` / `||`. */
export const OrOp = createToken({ name: 'OrOp', pattern: Lexer.NA, label: "'or' / '||'" });
/** `not` / `!` as a prefix operator. */
export const NotOp = createToken({ name: 'NotOp', pattern: Lexer.NA, label: "'not' / '!'" });
/** Single-token comparison operators (`not in` is two tokens and handled by the parser). */
export const CompareTok = createToken({
  name: 'CompareTok',
  pattern: Lexer.NA,
  label: '== != < <= > >= in contains starts_with ends_with',
});
/** `+ -`. */
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA, label: "'+' / '-'" });
/** `* / %`. */
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA, label: "'*' / '/' / '%'" });

/** Identifiers; keywords are listed before it and fall back to it via `longer_alt` (`inner`, `order`). */
export const Identifier = createToken({ name: 'Identifier', pattern: /[a-zA-Z_][a-zA-Z0-9_]*/, categories: [Name], label: 'a name' });

function keyword(word: string, ...categories: TokenType[]): TokenType {
  return createToken({ name: word, pattern: new RegExp(word), longer_alt: Identifier, categories: [Name, ...categories], label: `'${word}'` });
}
// Keywords: each is also a `Name`, so it may follow a `.` as a path segment.
/** `and`. */
export const And = keyword('and', AndOp);
/** `or`. */
export const Or = keyword('or', OrOp);
/** `not`. */
export const Not = keyword('not', NotOp);
/** `in`. */
export const In = keyword('in', CompareTok);
/** `contains`. */
export const Contains = keyword('contains', CompareTok);
/** `starts_with`. */
export const StartsWith = keyword('starts_with', CompareTok);
/** `ends_with`. */
export const EndsWith = keyword('ends_with', CompareTok);
/** `true`. */
export const True = keyword('true');
/** `false`. */
export const False = keyword('false');

function op(name: string, text: string, ...categories: TokenType[]): TokenType {
  const pattern = new RegExp(text.replace(/[|&*+.()[\]/\\]/g, '\\$&'));
  return createToken({ name, pattern, categories, label: `'${text}'` });
}
// Operators and punctuation. Two-character operators are listed first in `allTokens`: the lexer takes
// the first pattern that matches, not the longest.
/** `==`. */
export const Eq = op('Eq', '==', CompareTok);
/** `!=`. */
export const Neq = op('Neq', '!=', CompareTok);
/** `<=`. */
export const Le = op('Le', '<=', CompareTok);
/** `>=`. */
export const Ge = op('Ge', '>=', CompareTok);
/** `&&`. */
export const AmpAmp = op('AmpAmp', '&&', AndOp);
/** `||`. */
export const PipePipe = op('PipePipe', '||', OrOp);
/** `<`. */
export const Lt = op('Lt', '<', CompareTok);
/** `>`. */
export const Gt = op('Gt', '>', CompareTok);
/** `!`. */
export const Bang = op('Bang', '!', NotOp);
/** A lone `=` is lexed so the parser can say "use `==`" instead of "unexpected character". */
export const Assign = op('Assign', '=');
/** `+`. */
export const Plus = op('Plus', '+', AddOp);
/** `-`. */
export const Minus = op('Minus', '-', AddOp);
/** `*`. */
export const Star = op('Star', '*', MulOp);
/** `/`. */
export const Slash = op('Slash', '/', MulOp);
/** `%`. */
export const Percent = op('Percent', '%', MulOp);
/** `(`. */
export const LParen = op('LParen', '(');
/** `)`. */
export const RParen = op('RParen', ')');
/** `[`. */
export const LBracket = op('LBracket', '[');
/** `]`. */
export const RBracket = op('RBracket', ']');
/** `,`. */
export const Comma = op('Comma', ',');
/** `.`. */
export const Dot = op('Dot', '.');

/** String literals; the token's `payload` is a {@link StringPayload}. */
export const StringLit = createToken({
  name: 'StringLit',
  pattern: { exec: matchString },
  start_chars_hint: ["'", '"'],
  line_breaks: false,
  label: 'a string',
});
/** Decimal numbers; no sign (`-` is an operator) so `a-1` lexes as `a - 1`. */
export const NumberLit = createToken({ name: 'NumberLit', pattern: /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/, label: 'a number' });
/** Whitespace between tokens. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });

/** Every token type, in lexing priority order (categories are ignored by the lexer). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace, StringLit, NumberLit,
  And, Or, Not, In, Contains, StartsWith, EndsWith, True, False, Identifier,
  Eq, Neq, Le, Ge, AmpAmp, PipePipe, Lt, Gt, Bang, Assign,
  Plus, Minus, Star, Slash, Percent, LParen, RParen, LBracket, RBracket, Comma, Dot,
  Name, AndOp, OrOp, NotOp, CompareTok, AddOp, MulOp,
];

/** The lexer, built once: building validates and optimizes the token set, which is not cheap. */
export const exprLexer = new Lexer(allTokens as TokenType[], { positionTracking: 'onlyOffset', ensureOptimizations: true });
