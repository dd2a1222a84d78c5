/**
 * The `schema:` and `params:` sections as data: declared request fields and named parameters.
 * Malformed entries were reported by the shape check and are skipped here; only what a JSON
 * Schema cannot say (an enum declared with a non-string type) is reported.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { Span } from '../diag/source.js';
import { IDENT_RE, quoteString } from '../lang/syntax.js';
import { BOOLEAN, NUMBER, STRING, enumOf, parseTypeName, typeName, type Type } from '../lang/types.js';
import { getPair, type YamlNode } from '../yaml/node.js';

export type JsonScalar = string | number | boolean;

/** A field declared under `schema:`. */
export interface FieldDecl {
  /** `user`, `asset`, `asset.metadata` or `request`. */
  readonly section: 'user' | 'asset' | 'asset.metadata' | 'request';
  /** The key as written, e.g. `segment` or `compute cost`. */
  readonly name: string;
  /** The canonical path every reader looks the field up with (`asset.metadata['compute cost']`). */
  readonly path: string;
  readonly type: Type;
  /** Absent when the declaration does not say (a built-in keeps its own). */
  readonly optional?: boolean;
  readonly span: Span;
}

/** A named parameter with its default value, which also fixes its type. */
export interface ParamDecl {
  readonly name: string;
  readonly type: Type;
  readonly value: JsonScalar;
  readonly span: Span;
}

const SECTIONS = new Set(['user', 'asset', 'request']);

/** Read the `schema:` section: one declaration per well-formed entry, in file order. */
export function readSchema(file: string, node: YamlNode | undefined, diagnostics: Diagnostic[]): FieldDecl[] {
  const out: FieldDecl[] = [];
  if (node?.kind !== 'map') return out;
  for (const rootPair of node.pairs) {
    const section = String(rootPair.key.value);
    if (!SECTIONS.has(section) || rootPair.value.kind !== 'map') continue;
    for (const p of rootPair.value.pairs) {
      const name = String(p.key.value);
      if (section === 'asset' && name === 'metadata') {
        if (p.value.kind !== 'map') continue;
        for (const m of p.value.pairs) push('asset.metadata', String(m.key.value), m.key.span, m.value);
      } else push(section as FieldDecl['section'], name, p.key.span, p.value);
    }
  }
  return out;

  function push(section: FieldDecl['section'], name: string, span: Span, decl: YamlNode): void {
    const path = IDENT_RE.test(name) ? `${section}.${name}` : `${section}[${quoteString(name)}]`;
    const parsed = declaration(decl);
    if (parsed === undefined) return;
    if ('error' in parsed) {
      diagnostics.push(diag('M116', file, parsed.span, parsed.error(path), { hint: parsed.hint }));
      return;
    }
    const type = parsed.type.kind === 'enum' ? enumOf(path, parsed.type.values) : parsed.type;
    out.push({ section, name, path, type, ...(parsed.optional !== undefined ? { optional: parsed.optional } : {}), span });
  }
}

type Parsed = { type: Type; optional?: boolean } | { error: (path: string) => string; hint?: string; span: Span };

const TYPE_HINT = 'use string, number, boolean, list<string>, list<number>, or {enum: [a, b]}';

/** A declaration: `number`, `list<string>`, or `{type?, enum?, optional?, description?}`; undefined when malformed. */
function declaration(decl: YamlNode): Parsed | undefined {
  if (decl.kind === 'scalar') {
    const t = typeof decl.value === 'string' ? parseTypeName(decl.value) : undefined;
    return t ? { type: t } : undefined;
  }
  if (decl.kind !== 'map') return undefined;
  const typeNode = getPair(decl, 'type')?.value;
  const enumNode = getPair(decl, 'enum')?.value;
  const optNode = getPair(decl, 'optional')?.value;
  const optional = optNode?.kind === 'scalar' && typeof optNode.value === 'boolean' ? optNode.value : undefined;
  const opt = optional === undefined ? {} : { optional };
  let type: Type | undefined;
  if (typeNode) {
    type = typeNode.kind === 'scalar' && typeof typeNode.value === 'string' ? parseTypeName(typeNode.value) : undefined;
    if (!type) return undefined;
  }
  if (enumNode) {
    if (enumNode.kind !== 'seq' || enumNode.items.length === 0) return undefined;
    const values: string[] = [];
    for (const item of enumNode.items) {
      if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'boolean') return undefined;
      values.push(String(item.value));
    }
    if (type && type.kind !== 'string') {
      const declared = type;
      return { error: (path) => `an enum is a set of strings, but '${path}' is declared as ${typeName(declared)}`, span: enumNode.span };
    }
    return { type: enumOf('', values), ...opt };
  }
  if (!type) return { error: (path) => `the declaration of '${path}' needs a 'type' or an 'enum'`, hint: TYPE_HINT, span: decl.span };
  return { type, ...opt };
}

/** Read the `params:` section: one parameter per scalar default. */
export function readParams(node: YamlNode | undefined): ParamDecl[] {
  const out: ParamDecl[] = [];
  if (node?.kind !== 'map') return out;
  for (const p of node.pairs) {
    const v = p.value;
    if (v.kind !== 'scalar' || v.value === null) continue;
    const type = typeof v.value === 'number' ? NUMBER : typeof v.value === 'boolean' ? BOOLEAN : STRING;
    out.push({ name: String(p.key.value), type, value: v.value, span: p.key.span });
  }
  return out;
}
