/** The types of the expression language. */

export type Type =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly element: Type }
  /** The type of `[]` and of expressions whose type could not be determined (already reported). */
  | { readonly kind: 'unknown' };

export const STRING: Type = { kind: 'string' };
export const NUMBER: Type = { kind: 'number' };
export const BOOLEAN: Type = { kind: 'boolean' };
export const UNKNOWN: Type = { kind: 'unknown' };

/** `list<T>`. */
export function listOf(element: Type): Type {
  return { kind: 'list', element };
}

/** An enum type named after the field it belongs to. */
export function enumOf(name: string, values: readonly string[]): Type {
  return { kind: 'enum', name, values };
}

/** Human-readable type, as used in messages: `string`, `list<string>`, `enum user.tier (free, pro, enterprise)`. */
export function typeName(t: Type): string {
  switch (t.kind) {
    case 'list':
      return `list<${typeName(t.element)}>`;
    case 'enum':
      return `enum ${t.name}`;
    default:
      return t.kind;
  }
}

/** Whether a type is a string at run time (plain strings and enums). */
export function isStringLike(t: Type): boolean {
  return t.kind === 'string' || t.kind === 'enum';
}

/**
 * Whether values of the two types can be compared for equality: same kind, or string with enum,
 * or either side unknown (already reported elsewhere).
 */
export function comparable(a: Type, b: Type): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown') return true;
  if (isStringLike(a) && isStringLike(b)) return true;
  if (a.kind === 'list' && b.kind === 'list') return comparable(a.element, b.element);
  return a.kind === b.kind;
}

/** Parse a declared type name: `string`, `number`, `boolean`, `list<string>` … */
export function parseTypeName(s: string): Type | undefined {
  const t = s.trim();
  if (t === 'string') return STRING;
  if (t === 'number') return NUMBER;
  if (t === 'boolean') return BOOLEAN;
  const m = /^list\s*<\s*(.+?)\s*>$/.exec(t);
  if (m) {
    const inner = parseTypeName(m[1]!);
    return inner && inner.kind !== 'list' ? listOf(inner) : undefined;
  }
  return undefined;
}

