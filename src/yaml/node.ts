/** The YAML tree with source spans, built from js-yaml events. Values are plain JSON values. */
import type { Span } from '../diag/source.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YamlScalar {
  readonly kind: 'scalar';
  /** The resolved value (YAML 1.2 core schema): string, number, boolean or null. */
  readonly value: string | number | boolean | null;
  readonly style: ScalarStyle;
  /** Span of the whole scalar in the file, quotes included. */
  readonly span: Span;
  /**
   * File offset of each character of the decoded string value (length value.length + 1, the last
   * entry is the offset just past the value), or just the offset of the first character when the
   * value is a verbatim slice of the file (the common case, kept compact). Present for string
   * scalars; expression diagnostics use it to point inside the string.
   */
  readonly offsets?: readonly number[] | number;
}

export interface YamlPair {
  readonly key: YamlScalar;
  readonly value: YamlNode;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly pairs: readonly YamlPair[];
  readonly span: Span;
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly span: Span;
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** The plain JavaScript value of a node (maps become null-prototype-free plain objects). */
export function toValue(node: YamlNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toValue);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const p of node.pairs) {
        Object.defineProperty(out, String(p.key.value), { value: toValue(p.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

/** The value node of `key` in a map, if present. */
export function getPair(node: YamlMap, key: string): YamlPair | undefined {
  for (const p of node.pairs) if (String(p.key.value) === key) return p;
  return undefined;
}

/**
 * The node at a JSON pointer (RFC 6901, as ajv's instancePath uses), and the key scalar when the
 * last step is a map key. Returns the deepest node found when the pointer runs past the tree.
 */
export function nodeAtPointer(root: YamlNode, pointer: string): { node: YamlNode; key?: YamlScalar; exact: boolean } {
  if (pointer === '') return { node: root, exact: true };
  const steps = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: YamlNode = root;
  let key: YamlScalar | undefined;
  for (const step of steps) {
    if (node.kind === 'map') {
      const p = getPair(node, step);
      if (!p) return { node, exact: false };
      key = p.key;
      node = p.value;
    } else if (node.kind === 'seq') {
      const i = Number(step);
      const item = Number.isInteger(i) ? node.items[i] : undefined;
      if (!item) return { node, exact: false };
      key = undefined;
      node = item;
    } else {
      return { node, exact: false };
    }
  }
  return key ? { node, key, exact: true } : { node, exact: true };
}
