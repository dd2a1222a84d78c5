/**
 * Typed JavaScript source. Generated code is assembled only from `Code` values through the `js`
 * tagged template: an interpolated `Code` is spliced, anything else — every string that came from
 * a policy — becomes a quoted literal through the one serializer, `literal`. Identifiers come only
 * from a `Scope`, never from policy text.
 */

/** A fragment of generated JavaScript. */
export class Code {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** An identifier made by a Scope. */
export class Name extends Code {}

export type Interpolated = Code | string | number | boolean | null | readonly Interpolated[] | { readonly [k: string]: Interpolated };

/**
 * The literal serializer: JSON, with U+2028/U+2029 (line terminators in old JS) and `<` (so
 * `</script>` and `<!--` cannot appear) escaped. -0 stays -0 and non-finite numbers are refused.
 */
export function literal(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`internal: non-finite number ${value} reached code generation`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error('internal: a value without a JSON form reached code generation');
  return json.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Splice `Code`, serialize everything else as a literal. */
export function js(strings: TemplateStringsArray, ...values: readonly Interpolated[]): Code {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += v instanceof Code ? v.text : literal(v);
    out += strings[i + 1]!;
  }
  return new Code(out);
}

/** Join fragments with a separator that is itself code. */
export function joinCode(parts: readonly Code[], sep: Code): Code {
  return new Code(parts.map((p) => p.text).join(sep.text));
}

/** Hands out unique identifiers with fixed prefixes. */
export class Scope {
  private readonly counters = new Map<string, number>();

  /** A fresh name `prefix` + counter. The prefix is ours (checked), never policy text. */
  name(prefix: string): Name {
    if (!/^[a-z][a-zA-Z]*$/.test(prefix)) throw new Error(`internal: bad name prefix ${prefix}`);
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return new Name(`${prefix}${n}`);
  }
}

/** `if (a || b …) break label;` being assembled from adjacent conditional breaks. */
class BreakIf {
  constructor(
    readonly label: Name,
    readonly conds: Code[],
  ) {}
  get text(): string {
    return `if (${this.conds.map((c) => c.text).join(' || ')}) break ${this.label.text};`;
  }
}

/**
 * A growing list of statements. Nested blocks are kept as children and indented only when the
 * whole tree is printed once, so building a large module does not copy lines level by level.
 */
export class Block {
  private readonly items: (Code | Block | BreakIf)[] = [];
  constructor(private readonly indent = '') {}

  /** Append a statement (may span several lines). */
  add(c: Code): this {
    this.items.push(c);
    return this;
  }

  /**
   * `if (cond) break label;` — merged with a directly preceding conditional break to the same
   * label into one `if (a || b) break label;`, as a person would write it.
   */
  breakIf(cond: Code, label: Name): this {
    const last = this.items[this.items.length - 1];
    if (last instanceof BreakIf && last.label.text === label.text) last.conds.push(cond);
    else this.items.push(new BreakIf(label, [cond]));
    return this;
  }

  /** A nested block at one more level of indentation (append it where it belongs). */
  nested(): Block {
    return new Block(this.indent + '  ');
  }

  /** Append a nested block. */
  append(b: Block): this {
    this.items.push(b);
    return this;
  }

  private print(out: string[]): void {
    for (const item of this.items) {
      if (item instanceof Block) item.print(out);
      else if (item instanceof BreakIf) out.push(this.indent + item.text);
      else if (this.indent === '') out.push(item.text);
      else out.push(this.indent + (item.text.includes('\n') ? item.text.replace(/\n/g, `\n${this.indent}`) : item.text));
    }
  }

  get code(): Code {
    const out: string[] = [];
    this.print(out);
    return new Code(out.join('\n'));
  }
}
