/**
 * The typing environment: every field an expression may read (built-in and declared under
 * `schema`), where the request carries it, and the policy's params.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { Span } from '../diag/source.js';
import { didYouMean } from '../diag/suggest.js';
import { IDENT_RE, quoteString } from '../expr/ast.js';
import { ACTIONS, ASSET_TYPES, TIERS, WEEKDAYS } from '../lang/builtins.js';
import { getPair, type YamlNode, type YamlScalar } from '../yaml/node.js';
import { BOOLEAN, NUMBER, STRING, enumOf, listOf, parseTypeName, type Type } from './types.js';

/** Where a field's value comes from in an access request. */
export type FieldSource =
  | { readonly from: 'request'; readonly key: string }
  | { readonly from: 'context'; readonly key: string }
  | { readonly from: 'asset'; readonly key: string; readonly registryKey: string }
  | { readonly from: 'metadata'; readonly key: string }
  | { readonly from: 'time'; readonly part: 'hour' | 'minute' | 'weekday' }
  | { readonly from: 'param'; readonly name: string };

export type JsonScalar = string | number | boolean;

/** One readable field. */
export interface Field {
  /** The DSL path, canonical: `user.tier`, `asset.metadata.compute_cost`. */
  readonly path: string;
  readonly type: Type;
  /** Optional fields should be guarded by `exists()` (M307). */
  readonly optional: boolean;
  readonly source: FieldSource;
  /** The value used when the request does not carry the field (only `asset.tags` has one). */
  readonly fallback?: readonly string[];
  /** Where the field was declared, for declared fields. */
  readonly declaredAt?: Span;
}

/** A named parameter with its default. */
export interface Param {
  readonly name: string;
  readonly type: Type;
  readonly value: JsonScalar;
  readonly span: Span;
}

/** Everything the checker needs to type a path. */
export interface Env {
  readonly fields: ReadonlyMap<string, Field>;
  readonly params: ReadonlyMap<string, Param>;
}

export const ROOTS = ['user', 'asset', 'request', 'time', 'params'] as const;

function field(path: string, type: Type, source: FieldSource, optional = false): Field {
  return { path, type, source, optional };
}

/** The built-in fields every policy can read. */
export function builtinFields(): Field[] {
  return [
    field('user.id', STRING, { from: 'context', key: 'userId' }),
    field('user.tier', enumOf('user.tier', TIERS), { from: 'context', key: 'tier' }),
    field('user.token_balance', NUMBER, { from: 'context', key: 'tokenBalance' }),
    field('user.entitlements', listOf(STRING), { from: 'context', key: 'entitlements' }),
    field('user.country', STRING, { from: 'context', key: 'country' }, true),
    field('user.vat_id', STRING, { from: 'context', key: 'vatId' }, true),
    field('asset.id', STRING, { from: 'request', key: 'assetId' }),
    field('asset.type', enumOf('asset.type', ASSET_TYPES), { from: 'asset', key: 'type', registryKey: 'type' }),
    { ...field('asset.tags', listOf(STRING), { from: 'asset', key: 'tags', registryKey: 'tags' }), fallback: [] },
    field('asset.matrix_id', STRING, { from: 'asset', key: 'matrixId', registryKey: 'matrix_id' }, true),
    field('request.action', enumOf('request.action', ACTIONS), { from: 'request', key: 'action' }),
    field('request.timestamp', NUMBER, { from: 'request', key: 'timestamp' }),
    field('time.hour', NUMBER, { from: 'time', part: 'hour' }),
    field('time.minute', NUMBER, { from: 'time', part: 'minute' }),
    field('time.weekday', enumOf('time.weekday', WEEKDAYS), { from: 'time', part: 'weekday' }),
  ];
}

/** `foo_bar` → `fooBar`: declared `user.foo_bar` reads `context.fooBar`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Build the environment from the built-ins, the policy's `schema` and `params` sections. */
export function buildEnv(file: string, schemaNode: YamlNode | undefined, paramsNode: YamlNode | undefined): { env: Env; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fields = new Map<string, Field>(builtinFields().map((f) => [f.path, f]));
  if (schemaNode?.kind === 'map') {
    for (const rootPair of schemaNode.pairs) {
      const root = String(rootPair.key.value);
      if (root !== 'user' && root !== 'asset' && root !== 'request') {
        diagnostics.push(
          diag('M116', file, rootPair.key.span, `cannot declare fields under '${root}': only user, asset and request take declarations`, {
            hint: didYouMean(root, ['user', 'asset', 'request']) ?? 'declare fields under user, asset (or asset.metadata) or request',
          }),
        );
        continue;
      }
      if (rootPair.value.kind !== 'map') continue; // the shape validator reports it
      for (const p of rootPair.value.pairs) {
        const name = String(p.key.value);
        if (root === 'asset' && name === 'metadata') {
          if (p.value.kind !== 'map') continue;
          for (const m of p.value.pairs) declare(`asset.metadata`, m.key, m.value, { from: 'metadata', key: String(m.key.value) });
          continue;
        }
        const source: FieldSource =
          root === 'user'
            ? { from: 'context', key: camelCase(name) }
            : root === 'asset'
              ? { from: 'asset', key: camelCase(name), registryKey: name }
              : { from: 'request', key: camelCase(name) };
        declare(root, p.key, p.value, source);
      }
    }
  }

  function declare(prefix: string, key: YamlScalar, decl: YamlNode, source: FieldSource): void {
    const name = String(key.value);
    // Keyed by the canonical text every reader looks fields up with (`asset.metadata['compute cost']`).
    const path = IDENT_RE.test(name) ? `${prefix}.${name}` : `${prefix}[${quoteString(name)}]`;
    const parsed = parseDeclaration(path, decl);
    if ('error' in parsed) {
      diagnostics.push(diag('M116', file, parsed.span ?? decl.span, parsed.error, { hint: parsed.hint }));
      return;
    }
    const builtin = fields.get(path);
    if (builtin) {
      const sameKind = builtin.type.kind === parsed.type.kind || (builtin.type.kind === 'enum' && parsed.type.kind === 'enum');
      if (!sameKind) {
        diagnostics.push(
          diag('M116', file, key.span, `'${path}' is built in with type ${describe(builtin.type)}; a declaration may only narrow or extend an enum`, {
            hint: `remove the declaration of '${path}' or declare a field with another name`,
          }),
        );
        return;
      }
      const type = parsed.type.kind === 'enum' ? enumOf(path, parsed.type.values) : builtin.type;
      fields.set(path, { ...builtin, type, optional: parsed.optional ?? builtin.optional, declaredAt: key.span });
      return;
    }
    // Two paths reading one request key (`foo_bar` and `fooBar`, or `user_id` and built-in
    // `user.id`) would disagree about its type and silently never match.
    if (source.from === 'request' && STRUCTURAL_REQUEST_KEYS.has(source.key)) {
      diagnostics.push(
        diag('M116', file, key.span, `'${path}' would read the request's '${source.key}', which holds ${source.key === 'context' ? 'the user context' : source.key === 'asset' ? 'the inline asset' : 'the param overrides'}, not a field`, {
          hint: `declare it under schema.${source.key === 'context' ? 'user' : source.key === 'asset' ? 'asset' : 'request'} with another name, or use the built-in paths`,
        }),
      );
      return;
    }
    const reads = sourceKey(source);
    const clash = [...fields.values()].find((f) => sourceKey(f.source) === reads);
    if (clash) {
      diagnostics.push(
        diag('M116', file, key.span, `'${path}' reads the same request key as '${clash.path}'`, {
          hint: `rename one of them; '${path}' would read ${reads.replace(':', ' key ')}`,
          ...(clash.declaredAt ? { labels: [{ file, span: clash.declaredAt, message: `'${clash.path}' declared here` }] } : {}),
        }),
      );
      return;
    }
    const type = parsed.type.kind === 'enum' ? enumOf(path, parsed.type.values) : parsed.type;
    fields.set(path, { path, type, source, optional: parsed.optional ?? false, declaredAt: key.span });
  }

  const params = new Map<string, Param>();
  if (paramsNode?.kind === 'map') {
    for (const p of paramsNode.pairs) {
      const name = String(p.key.value);
      const v = p.value;
      if (v.kind !== 'scalar' || v.value === null) continue; // the shape validator reports it
      const type = typeof v.value === 'number' ? NUMBER : typeof v.value === 'boolean' ? BOOLEAN : STRING;
      params.set(name, { name, type, value: v.value, span: p.key.span });
      fields.set(`params.${name}`, { path: `params.${name}`, type, source: { from: 'param', name }, optional: false, declaredAt: p.key.span });
    }
  }
  return { env: { fields, params }, diagnostics };
}

/** Request keys that hold structure, not a value a declared `request.X` field could read. */
const STRUCTURAL_REQUEST_KEYS = new Set(['context', 'asset', 'params']);

/** Where a field is read from, as one comparable string (`context:fooBar`). */
function sourceKey(s: FieldSource): string {
  switch (s.from) {
    case 'asset':
      return `asset:${s.key}`;
    case 'time':
      return `time:${s.part}`;
    case 'param':
      return `param:${s.name}`;
    default:
      return `${s.from}:${s.key}`;
  }
}

function describe(t: Type): string {
  return t.kind === 'list' ? `list<${describe(t.element)}>` : t.kind;
}

type Parsed = { type: Type; optional?: boolean } | { error: string; hint?: string; span?: Span };

/** A declaration: `number`, `list<string>`, or `{type?, enum?, optional?, description?}`. */
function parseDeclaration(path: string, decl: YamlNode): Parsed {
  const typeHint = 'use string, number, boolean, list<string>, list<number>, or {enum: [a, b]}';
  if (decl.kind === 'scalar') {
    const t = typeof decl.value === 'string' ? parseTypeName(decl.value) : undefined;
    if (!t) return { error: `'${String(decl.value)}' is not a type (field '${path}')`, hint: typeHint };
    return { type: t };
  }
  if (decl.kind !== 'map') return { error: `the declaration of '${path}' must be a type name or a mapping`, hint: typeHint };
  const typeNode = getPair(decl, 'type')?.value;
  const enumNode = getPair(decl, 'enum')?.value;
  const optNode = getPair(decl, 'optional')?.value;
  const optional = optNode?.kind === 'scalar' && typeof optNode.value === 'boolean' ? optNode.value : undefined;
  let type: Type | undefined;
  if (typeNode) {
    type = typeNode.kind === 'scalar' && typeof typeNode.value === 'string' ? parseTypeName(typeNode.value) : undefined;
    if (!type) return { error: `'${typeNode.kind === 'scalar' ? String(typeNode.value) : typeNode.kind}' is not a type (field '${path}')`, hint: typeHint, span: typeNode.span };
  }
  if (enumNode) {
    if (enumNode.kind !== 'seq' || enumNode.items.length === 0) return { error: `'enum' of '${path}' must be a non-empty list of strings`, span: enumNode.span };
    const values: string[] = [];
    for (const item of enumNode.items) {
      if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'boolean') {
        return { error: `enum values of '${path}' must be strings`, hint: 'quote values such as yes/no/on/off', span: item.span };
      }
      values.push(String(item.value));
    }
    if (type && type.kind !== 'string') return { error: `an enum is a set of strings, but '${path}' is declared as ${describe(type)}`, span: enumNode.span };
    return optional === undefined ? { type: enumOf(path, values) } : { type: enumOf(path, values), optional };
  }
  if (!type) return { error: `the declaration of '${path}' needs a 'type' or an 'enum'`, hint: typeHint };
  return optional === undefined ? { type } : { type, optional };
}
