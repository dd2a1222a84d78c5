/**
 * Random well-typed expressions as text: boolean trees over every operator of the language, and
 * number and string expressions with arithmetic, concatenation and calls. Sub-expressions are
 * parenthesised, so the text never depends on precedence the generator would have to model.
 */
import type { Rng } from './rng.js';

export type Kind = 'num' | 'str' | 'bool' | 'enum' | 'lstr' | 'lnum';

/** Where the request carries a field. */
export type Loc =
  | { readonly at: 'context' | 'request' | 'asset'; readonly key: string }
  | { readonly at: 'metadata'; readonly key: string }
  | { readonly at: 'param'; readonly name: string }
  | { readonly at: 'time' };

export interface GenField {
  readonly path: string;
  readonly kind: Kind;
  /** Enum values. */
  readonly values?: readonly string[];
  readonly loc: Loc;
}

/** `root.key`, or `root["key"]` for keys that are not identifiers. */
export function pathOf(root: string, key: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) ? `${root}.${key}` : `${root}[${JSON.stringify(key)}]`;
}

/** A string literal in either quote style, escaping what the lexer requires and sometimes more. */
export function strLit(rng: Rng, s: string): string {
  const q = rng.chance(0.5) ? "'" : '"';
  const escapeAll = rng.chance(0.1);
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = ch.charCodeAt(0);
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || escapeAll || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** Whether a number can be written as a literal (the lexer takes plain decimals only). */
export function isLiteralSafe(x: number): boolean {
  return Number.isFinite(x) && !/e/i.test(String(Math.abs(x)));
}

/** A number literal; negatives as a parenthesised unary minus. */
export function numLit(x: number): string {
  const s = String(Math.abs(x));
  return x < 0 ? `(-${s})` : s;
}

export class ExprGen {
  constructor(
    private readonly rng: Rng,
    private readonly fields: readonly GenField[],
    private readonly strings: readonly string[],
    private readonly numbers: readonly number[],
  ) {}

  private of(...kinds: Kind[]): GenField[] {
    return this.fields.filter((f) => kinds.includes(f.kind));
  }

  /** A literal string value from the pool (or the empty string). */
  strValue(): string {
    return this.rng.chance(0.9) ? this.rng.pick(this.strings) : '';
  }

  numValue(): number {
    return this.rng.pick(this.numbers);
  }

  /** A boolean expression of nesting depth at most d. */
  bool(d: number): string {
    const r = this.rng;
    const choice = r.int(0, d > 0 ? 15 : 10);
    switch (choice) {
      case 0:
      case 1:
        return `${this.num(d)} ${r.pick(['==', '!=', '<', '<=', '>', '>='])} ${this.num(d)}`;
      case 2:
        return this.strCompare(d);
      case 3: {
        const f = r.pick(this.of('enum'));
        const v = r.pick(f.values!);
        return r.pick([`${f.path} == ${strLit(r, v)}`, `${f.path} != ${strLit(r, v)}`, `${strLit(r, v)} == ${f.path}`, `${f.path} ${r.pick(['in', 'not in'])} [${r.subset(f.values!, 3).map((x) => strLit(r, x)).join(', ')}]`]);
      }
      case 4: {
        const s = this.str(d);
        const lits = Array.from({ length: r.int(0, 8) }, () => (s.enumValues ? r.pick(s.enumValues) : this.strValue()));
        return `${s.text} ${r.pick(['in', 'not in'])} [${lits.map((x) => strLit(r, x)).join(', ')}]`;
      }
      case 5:
        return `${this.num(d)} ${r.pick(['in', 'not in'])} [${Array.from({ length: r.int(0, 7) }, () => numLit(this.numValue())).join(', ')}]`;
      case 6: {
        const s = this.str(d);
        const list = this.strList(s.enumValues);
        return r.chance(0.5) ? `${list} contains ${s.text}` : `${s.text} ${r.pick(['in', 'not in'])} ${list}`;
      }
      case 7:
        return r.chance(0.5) ? `${this.numList()} contains ${this.num(d)}` : `${this.num(d)} ${r.pick(['in', 'not in'])} ${this.numList()}`;
      case 8: {
        const s = this.of('str', 'enum').map((f) => f.path);
        const x = this.str(d);
        return `${x.text} in [${r.pick(s)}, ${strLit(r, x.enumValues ? r.pick(x.enumValues) : this.strValue())}]`;
      }
      case 9:
        return `${r.chance(0.3) ? 'not ' : ''}exists(${r.pick(this.fields).path})`;
      case 10: {
        const b = this.of('bool');
        return r.pick([...b.map((f) => f.path), 'true', 'false']);
      }
      case 11:
        return `(${this.bool(d - 1)}) ${r.pick(['==', '!='])} (${this.bool(d - 1)})`;
      case 12:
      case 13:
        return `${r.pick(['not ', '!', 'not not '])}(${this.bool(d - 1)})`;
      default:
        return `(${this.bool(d - 1)}) ${r.pick(['and', 'or', '&&', '||'])} (${this.bool(d - 1)})`;
    }
  }

  private strCompare(d: number): string {
    const r = this.rng;
    const op = r.pick(['==', '!=', '<', '<=', '>', '>=', 'contains', 'starts_with', 'ends_with']);
    const a = this.str(d);
    const b = this.str(d);
    // A literal compared with an enum by == or != must be one of its values (M302 otherwise).
    const fix = (lit: typeof a, other: typeof a): string => (other.enumValues && lit.literal ? strLit(r, r.pick(other.enumValues)) : lit.text);
    if (op === '==' || op === '!=') return `${fix(a, b)} ${op} ${fix(b, a)}`;
    return `${a.text} ${op} ${b.text}`;
  }

  /** A list<string> expression: a field or a literal list (of enum values when tested against an enum). */
  private strList(enumValues?: readonly string[]): string {
    const r = this.rng;
    const fields = this.of('lstr');
    if (fields.length > 0 && r.chance(0.8)) return r.pick(fields).path;
    return `[${Array.from({ length: r.int(0, 3) }, () => strLit(r, enumValues ? r.pick(enumValues) : this.strValue())).join(', ')}]`;
  }

  private numList(): string {
    const r = this.rng;
    const fields = this.of('lnum');
    if (fields.length > 0 && r.chance(0.8)) return r.pick(fields).path;
    return `[${Array.from({ length: r.int(1, 3) }, () => numLit(this.numValue())).join(', ')}]`;
  }

  /** A number expression of depth at most d. */
  num(d: number): string {
    const r = this.rng;
    const choice = r.int(0, d > 0 ? 9 : 4);
    switch (choice) {
      case 0:
        return numLit(this.numValue());
      case 1:
      case 2:
        return r.pick(this.of('num')).path;
      case 3:
        return `len(${this.str(d).text})`;
      case 4:
        return `len(${r.chance(0.5) ? this.strList() : this.numList()})`;
      case 5:
      case 6:
        return `(${this.num(d - 1)} ${r.pick(['+', '-', '*', '/', '%'])} ${this.num(d - 1)})`;
      case 7:
        return `(-${this.num(d - 1)})`;
      case 8: {
        const fn = r.pick(['min', 'max']);
        return `${fn}(${Array.from({ length: r.int(1, 3) }, () => this.num(d - 1)).join(', ')})`;
      }
      default: {
        const fn = r.pick(['abs', 'floor', 'ceil', 'round', 'round']);
        return fn === 'round' && r.chance(0.5) ? `round(${this.num(d - 1)}, ${r.int(0, 6)})` : `${fn}(${this.num(d - 1)})`;
      }
    }
  }

  /** A string expression; `enumValues` when it is a bare enum field, `literal` when a bare literal. */
  str(d: number): { text: string; enumValues?: readonly string[]; literal?: boolean } {
    const r = this.rng;
    const choice = r.int(0, d > 0 ? 5 : 2);
    switch (choice) {
      case 0:
        return { text: strLit(r, this.strValue()), literal: true };
      case 1:
        return { text: r.pick(this.of('str')).path };
      case 2: {
        const f = r.pick(this.of('enum'));
        return { text: f.path, enumValues: f.values! };
      }
      case 3:
      case 4:
        return { text: `(${this.str(d - 1).text} + ${this.str(d - 1).text})` };
      default:
        return { text: `${r.pick(['lower', 'upper'])}(${this.str(d - 1).text})` };
    }
  }
}
