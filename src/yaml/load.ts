/**
 * YAML text → YamlNode tree with file spans, from js-yaml 5 `parseEvents`. Reports YAML problems
 * as diagnostics (never throws): syntax errors, duplicate keys, several documents, custom tags.
 */
import {
  CORE_SCHEMA,
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  getScalarValue,
  parseEvents,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { SourceFile, Span } from '../diag/source.js';
import type { ScalarStyle, YamlMap, YamlNode, YamlPair, YamlScalar, YamlSeq } from './node.js';
import { YAML_MAX_DEPTH, yamlErrorToDiagnostic } from './syntax-error.js';

/** Result of loading one YAML file. `root` is absent when the file has a fatal YAML error. */
export interface LoadedYaml {
  readonly root?: YamlNode;
  readonly diagnostics: readonly Diagnostic[];
}

const STYLES: Record<number, ScalarStyle> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

/** Parse a YAML file into a node tree with spans. */
export function loadYaml(file: SourceFile): LoadedYaml {
  let events: Event[];
  try {
    events = parseEvents(file.text, { filename: file.path, maxDepth: YAML_MAX_DEPTH });
  } catch (e) {
    return { diagnostics: [yamlErrorToDiagnostic(e, file)] };
  }
  return new TreeBuilder(file, events).build();
}

class TreeBuilder {
  private i = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly anchors = new Map<string, { readonly node: YamlNode; readonly span: Span }>();
  private readonly sizes = new WeakMap<YamlNode, ExpandedSize>();
  /** What all aliases so far expand to: every later stage walks an alias as a copy of its anchor. */
  private readonly expanded: { nodes: number; chars: number } = { nodes: 0, chars: 0 };
  private aliasBombReported = false;

  constructor(
    private readonly file: SourceFile,
    private readonly events: readonly Event[],
  ) {}

  build(): LoadedYaml {
    const docs: (YamlNode | undefined)[] = [];
    while (this.i < this.events.length) {
      const ev = this.events[this.i++]!;
      if (ev.type !== EVENT_ID.DOCUMENT) continue;
      const next = this.events[this.i];
      if (next && next.type !== EVENT_ID.POP) docs.push(this.node());
      else docs.push(undefined);
      this.i++; // the document's POP
    }
    const root = docs[0];
    if (root === undefined) {
      this.diagnostics.push(diag('M103', this.file.path, { start: 0, end: 0 }, 'the file is empty: a policy needs at least `version` and `rules`'));
      return { diagnostics: this.diagnostics };
    }
    if (docs.length > 1) {
      const at = this.file.text.indexOf('\n---', 0);
      const pos = at >= 0 ? at + 1 : 0;
      this.diagnostics.push(
        diag('M103', this.file.path, { start: pos, end: pos + 3 }, `the file holds ${docs.length} YAML documents; a policy file holds exactly one`, {
          hint: 'remove the `---` separator and the documents after the first, or split them into separate files',
        }),
      );
    }
    // Past the alias limit the tree holds placeholders, not the policy: later stages must not see it.
    if (this.aliasBombReported) return { diagnostics: this.diagnostics };
    return { root, diagnostics: this.diagnostics };
  }

  private node(): YamlNode {
    const ev = this.events[this.i++]!;
    switch (ev.type) {
      case EVENT_ID.SCALAR:
        return this.remember(ev, this.scalar(ev));
      case EVENT_ID.MAPPING:
        return this.mapping(ev);
      case EVENT_ID.SEQUENCE:
        return this.sequence(ev);
      case EVENT_ID.ALIAS: {
        const name = this.file.text.slice(ev.anchorStart, ev.anchorEnd);
        const span = { start: Math.max(0, ev.anchorStart - 1), end: ev.anchorEnd };
        const anchor = this.anchors.get(name);
        if (!anchor) {
          this.diagnostics.push(diag('M101', this.file.path, span, `invalid YAML: unknown alias '*${name}'`, { hint: `define the anchor '&${name}' before using it` }));
          return { kind: 'scalar', value: null, style: 'plain', span };
        }
        if (this.aliasBombReported) return { kind: 'scalar', value: null, style: 'plain', span };
        const over = this.expand(sizeOf(anchor.node, this.sizes));
        if (over) {
          this.aliasBombReported = true;
          this.diagnostics.push(
            diag('M104', this.file.path, span, `aliases expand to more than ${over}: each alias counts as a full copy of '&${name}'`, {
              hint: 'alias smaller parts, or write the repeated text out once where it is needed',
              labels: [{ file: this.file.path, span: anchor.span, message: `'&${name}' anchored here` }],
            }),
          );
          return { kind: 'scalar', value: null, style: 'plain', span };
        }
        return anchor.node;
      }
      default:
        // A POP or DOCUMENT here means the event stream is not what js-yaml promises.
        throw new Error(`unexpected YAML event ${ev.type}`);
    }
  }

  private remember<T extends YamlNode>(ev: { anchorStart: number; anchorEnd: number }, node: T): T {
    if (ev.anchorStart >= 0) {
      const span = { start: Math.max(0, ev.anchorStart - 1), end: ev.anchorEnd };
      this.anchors.set(this.file.text.slice(ev.anchorStart, ev.anchorEnd), { node, span });
    }
    return node;
  }

  /**
   * Add one alias's copy to the running total; the limit it passes (as the message words it), if
   * any. Both measures matter: many nested small nodes make checking slow, and a long string
   * repeated through aliases makes the generated module too large for a JavaScript string.
   */
  private expand(size: ExpandedSize): string | undefined {
    this.expanded.nodes += size.nodes;
    this.expanded.chars += size.chars;
    if (this.expanded.nodes > MAX_ALIAS_NODES) return `${MAX_ALIAS_NODES.toLocaleString('en-US')} nodes`;
    if (this.expanded.chars > MAX_ALIAS_CHARS) return `${MAX_ALIAS_CHARS.toLocaleString('en-US')} characters`;
    return undefined;
  }

  private mapping(ev: Extract<Event, { type: 3 }>): YamlMap {
    const pairs: YamlPair[] = [];
    const seen = new Map<string, YamlScalar>();
    let end = ev.start + 1;
    while (this.events[this.i]!.type !== EVENT_ID.POP) {
      const keyNode = this.node();
      let value = this.node();
      // An empty value (`key:`) has no position of its own: place it just after the key's colon.
      if (value.kind === 'scalar' && value.span.start < 0) {
        const colon = this.file.text.indexOf(':', keyNode.span.end);
        const at = colon >= 0 ? colon + 1 : keyNode.span.end;
        value = { ...value, span: { start: at, end: at } };
      }
      end = Math.max(end, value.span.end, keyNode.span.end);
      if (keyNode.kind !== 'scalar') {
        this.diagnostics.push(diag('M104', this.file.path, keyNode.span, 'mapping keys must be plain strings, not lists or mappings'));
        continue;
      }
      const name = String(keyNode.value);
      const first = seen.get(name);
      if (first) {
        this.diagnostics.push(
          diag('M102', this.file.path, keyNode.span, `duplicate key '${name}': YAML would silently keep only the last value`, {
            hint: 'remove or rename one of the two keys',
            labels: [{ file: this.file.path, span: first.span, message: `'${name}' first defined here` }],
          }),
        );
        continue;
      }
      seen.set(name, keyNode);
      pairs.push({ key: keyNode, value });
    }
    this.i++; // POP
    if (ev.style === 2 /* flow */) end = Math.max(end, this.closing(end, '}'));
    const node: YamlMap = { kind: 'map', pairs, span: { start: ev.start, end } };
    return this.remember(ev, node);
  }

  private sequence(ev: Extract<Event, { type: 2 }>): YamlSeq {
    const items: YamlNode[] = [];
    let end = ev.start + 1;
    while (this.events[this.i]!.type !== EVENT_ID.POP) {
      const item = this.node();
      items.push(item);
      end = Math.max(end, item.span.end);
    }
    this.i++;
    if (ev.style === 2) end = Math.max(end, this.closing(end, ']'));
    return this.remember(ev, { kind: 'seq', items, span: { start: ev.start, end } });
  }

  /** Offset just past the closing bracket of a flow collection that ends at or after `from`. */
  private closing(from: number, bracket: string): number {
    const at = this.file.text.indexOf(bracket, from);
    return at >= 0 ? at + 1 : from;
  }

  private scalar(ev: ScalarEvent): YamlScalar {
    const text = this.file.text;
    const raw = getScalarValue(text, ev);
    const style = STYLES[ev.style] ?? 'plain';
    const span = scalarSpan(text, ev, style);
    let value: YamlScalar['value'];
    if (ev.tagStart >= 0) {
      const tag = text.slice(ev.tagStart, ev.tagEnd);
      if (tag === '!!str' || tag === '!') value = raw;
      else {
        this.diagnostics.push(diag('M104', this.file.path, { start: ev.tagStart, end: ev.tagEnd }, `YAML tag '${tag}' is not supported in policy files`, { hint: 'remove the tag; quote the value if it must be a string' }));
        value = raw;
      }
    } else if (style === 'plain') {
      value = resolvePlain(raw);
    } else {
      value = raw;
    }
    if (typeof value === 'string') return { kind: 'scalar', value, style, span, offsets: charOffsets(text, ev, style, value) };
    return { kind: 'scalar', value, style, span };
  }
}

/** Nodes that aliases may expand to, in all, before the file is rejected (M104). */
export const MAX_ALIAS_NODES = 100_000;
/** Characters of scalars (keys and values) that aliases may expand to, in all (M104). */
export const MAX_ALIAS_CHARS = 1_000_000;

/** What one copy of a subtree costs: its nodes and the characters of its scalars. */
interface ExpandedSize {
  readonly nodes: number;
  readonly chars: number;
}

/** The size of a subtree as later stages see it, memoised (aliased subtrees are shared nodes). */
function sizeOf(node: YamlNode, memo: WeakMap<YamlNode, ExpandedSize>): ExpandedSize {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let nodes = 1;
  let chars = 0;
  const add = (child: YamlNode): void => {
    const s = sizeOf(child, memo);
    nodes += s.nodes;
    chars += s.chars;
  };
  if (node.kind === 'scalar') chars = node.value === null ? 0 : String(node.value).length;
  else if (node.kind === 'map') {
    for (const p of node.pairs) {
      add(p.key);
      add(p.value);
    }
  } else for (const i of node.items) add(i);
  const size = { nodes, chars };
  memo.set(node, size);
  return size;
}

/** The span of a scalar including its quotes. */
function scalarSpan(text: string, ev: ScalarEvent, style: ScalarStyle): Span {
  if (style === 'single' || style === 'double') {
    const q = style === 'single' ? "'" : '"';
    const start = text[ev.valueStart - 1] === q ? ev.valueStart - 1 : ev.valueStart;
    const end = text[ev.valueEnd] === q ? ev.valueEnd + 1 : ev.valueEnd;
    return { start, end };
  }
  return { start: ev.valueStart, end: ev.valueEnd };
}

type ImplicitTag = (typeof CORE_SCHEMA.implicitScalarTags)[number];
let firstCharIndex: Map<string, ImplicitTag[]> | undefined;
let anyFirstChar: ImplicitTag[] = [];

/** The core schema's implicit tags by the first characters they can start with. */
function byFirstChar(): Map<string, ImplicitTag[]> {
  if (firstCharIndex) return firstCharIndex;
  const index = new Map<string, ImplicitTag[]>();
  const any: ImplicitTag[] = [];
  for (const tag of CORE_SCHEMA.implicitScalarTags) {
    const chars = (tag as { implicitFirstChars?: readonly string[] | null }).implicitFirstChars;
    if (!chars) any.push(tag);
    else for (const c of chars) index.set(c, [...(index.get(c) ?? []), tag]);
  }
  for (const [c, tags] of index) index.set(c, [...tags, ...any]);
  anyFirstChar = any;
  return (firstCharIndex = index);
}

/** Resolve a plain scalar by the YAML 1.2 core schema (null, bool, int, float, else string). */
function resolvePlain(raw: string): string | number | boolean | null {
  // Only scalars starting with a digit, sign, dot or one of ~nNtTfF can be anything but a string.
  const candidates = raw === '' ? CORE_SCHEMA.implicitScalarTags : (byFirstChar().get(raw[0]!) ?? anyFirstChar);
  if (candidates.length === 0) return raw;
  for (const tag of candidates) {
    const v: unknown = tag.resolve(raw, false, tag.tagName);
    if (v === NOT_RESOLVED) continue;
    if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  }
  return raw;
}

const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };

/**
 * File offset of every UTF-16 unit of a decoded string scalar, so that a position inside an
 * expression maps back into the YAML source through quotes, escapes, folding and indentation.
 */
function charOffsets(text: string, ev: ScalarEvent, style: ScalarStyle, decoded: string): number[] | number {
  if (ev.valueEnd - ev.valueStart === decoded.length && text.startsWith(decoded, ev.valueStart)) return ev.valueStart;
  const out: number[] = [];
  let r = ev.valueStart;
  const end = ev.valueEnd;
  let i = 0;
  while (i < decoded.length) {
    if (r >= end) {
      out.push(end);
      i++;
      continue;
    }
    const ch = text[r]!;
    if (style === 'double' && ch === '\\') {
      const next = text[r + 1] ?? '';
      if (next === '\n' || next === '\r') {
        r += next === '\r' && text[r + 2] === '\n' ? 3 : 2;
        while (r < end && (text[r] === ' ' || text[r] === '\t')) r++;
        continue;
      }
      const len = ESCAPE_LENGTH[next] ?? 2;
      const units = next === 'U' && parseInt(text.slice(r + 2, r + 10), 16) > 0xffff ? 2 : 1;
      for (let k = 0; k < units && i < decoded.length; k++, i++) out.push(r);
      r += len;
      continue;
    }
    if (style === 'single' && ch === "'" && text[r + 1] === "'") {
      out.push(r);
      i++;
      r += 2;
      continue;
    }
    const want = decoded[i]!;
    if (want === ch) {
      out.push(r);
      i++;
      r++;
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      r++; // indentation or a folded line break that the decoded value does not keep
    } else if (want === ' ' || want === '\n') {
      out.push(r); // a line break folded into a space: no source character of its own
      i++;
    } else {
      out.push(r);
      i++;
      r++;
    }
  }
  out.push(Math.min(r, end));
  return out;
}
