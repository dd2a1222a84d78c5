/** Test helper: plain JS values → YamlNode trees with fake, unique, nested spans. */
import type { Span } from '../../src/diag/source.js';
import { nodeAtPointer, type YamlNode, type YamlScalar } from '../../src/yaml/node.js';

/**
 * Build a YamlNode tree from a plain value. Spans are fake but unique and nested: every node gets
 * a range from a counter, and a map or list encloses the spans of its keys and items.
 */
export function tree(value: unknown): YamlNode {
  let next = 0;
  const scalar = (v: string | number | boolean | null): YamlScalar => {
    const start = next;
    next += 1;
    return { kind: 'scalar', value: v, style: 'plain', span: { start, end: next } };
  };
  const build = (v: unknown): YamlNode => {
    const start = next++;
    if (Array.isArray(v)) {
      const items = v.map(build);
      return { kind: 'seq', items, span: { start, end: next++ } };
    }
    if (v !== null && typeof v === 'object') {
      const pairs = Object.entries(v).map(([k, child]) => ({ key: scalar(k), value: build(child) }));
      return { kind: 'map', pairs, span: { start, end: next++ } };
    }
    next = start;
    return scalar(v as string | number | boolean | null);
  };
  return build(value);
}

/** The span of the value at a JSON pointer (throws when the pointer does not lead to a node). */
export function valueSpan(root: YamlNode, pointer: string): Span {
  const at = nodeAtPointer(root, pointer);
  if (!at.exact) throw new Error(`no node at ${pointer}`);
  return at.node.span;
}

/** The span of the key scalar of the last step of a JSON pointer. */
export function keySpan(root: YamlNode, pointer: string): Span {
  const at = nodeAtPointer(root, pointer);
  if (!at.exact || !at.key) throw new Error(`no key at ${pointer}`);
  return at.key.span;
}
