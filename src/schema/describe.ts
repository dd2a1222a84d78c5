/** Words for schema diagnostics: places in a policy file and YAML kinds, in user terms. */
import { getPair, nodeAtPointer, type YamlNode } from '../yaml/node.js';
import type { JsonType } from './json-schema.js';

/** List entries that have an `id`, and how a message names one of them. */
const OWNERS: Readonly<Record<string, string>> = {
  rules: 'rule',
  assets: 'asset',
  bundles: 'bundle',
  offers: 'offer',
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The steps of a JSON pointer (RFC 6901), unescaped. */
export function pointerSteps(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer one step below `pointer`. */
export function childPointer(pointer: string, step: string | number): string {
  return `${pointer}/${String(step).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Whether `pointer` is `base` or below it. */
export function isWithin(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(base + '/');
}

/** Render steps as a dotted path with list indexes, walking the tree to tell lists from maps. */
function renderPath(steps: readonly string[], start: YamlNode): string {
  let out = '';
  let node: YamlNode | undefined = start;
  for (const step of steps) {
    if (node?.kind === 'seq') {
      out += `[${step}]`;
      node = node.items[Number(step)];
    } else {
      out += IDENT.test(step) ? (out === '' ? step : `.${step}`) : `[${JSON.stringify(step)}]`;
      node = node?.kind === 'map' ? getPair(node, step)?.value : undefined;
    }
  }
  return out;
}

/**
 * How a message names the place a pointer leads to: `the policy`, `rounding.mode`,
 * `rule 'dynamic_token_pricing'`, `action.cost of rule 'dynamic_token_pricing'`, `rules[1].action`.
 */
export function placeLabel(root: YamlNode, pointer: string): string {
  const steps = pointerSteps(pointer);
  if (steps.length === 0) return 'the policy';
  const ownerKind = OWNERS[steps[0]!];
  if (ownerKind !== undefined && steps.length >= 2 && /^\d+$/.test(steps[1]!)) {
    const entry = nodeAtPointer(root, childPointer(childPointer('', steps[0]!), steps[1]!));
    const id = entry.exact ? nodeAtPointer(entry.node, '/id') : undefined;
    if (id?.exact && id.node.kind === 'scalar' && typeof id.node.value === 'string' && id.node.value !== '') {
      const owner = `${ownerKind} ${quote(id.node.value)}`;
      const rest = steps.slice(2);
      return rest.length === 0 ? owner : `${renderPath(rest, entry.node)} of ${owner}`;
    }
  }
  return renderPath(steps, root);
}

/** The JSON type of a plain value, telling integers from other numbers. */
export function jsonKind(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as 'string' | 'boolean';
  return 'object';
}

const KIND_WORDS: Readonly<Record<JsonType, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'a boolean',
  null: 'an empty value',
};

/** "a mapping", "a list", … for a JSON Schema type name. */
export function kindWords(type: string): string {
  return (KIND_WORDS as Record<string, string>)[type] ?? type;
}

/** What was found, with the value for scalars: "a list", "the string 'yes'", "an empty value". */
export function foundWords(value: unknown): string {
  const kind = jsonKind(value);
  switch (kind) {
    case 'object':
    case 'array':
    case 'null':
      return KIND_WORDS[kind];
    case 'string':
      return `the string ${quote(value as string)}`;
    case 'integer':
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
  }
}

/** A value as a message quotes it: strings in single quotes (shortened), others as written. */
export function quote(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'nothing' : JSON.stringify(value);
  const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return `'${s}'`;
}

/** "a", "a or b", "a, b or c". */
export function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}

/** "'a'", "'a' and 'b'", "'a', 'b' and 'c'". */
export function joinAnd(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/** A value written as YAML flow text for a hint: `"1.0"`, `true`, `{allow: true}`. */
export function yamlFlow(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(yamlFlow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${yamlFlow(v)}`).join(', ')}}`;
  }
  return String(value);
}
