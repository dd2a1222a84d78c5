/**
 * The typing environment: every field an expression may read (built-in and declared under
 * `schema`), where the request carries it, and the policy's params — derived from the model.
 */
import { diag, type Diagnostic } from '../diag/diagnostic.js';
import type { Span } from '../diag/source.js';
import { BUILTIN_FIELDS, camelCase, type FieldSource } from '../lang/fields.js';
import { enumOf, type Type } from '../lang/types.js';
import type { FieldDecl, JsonScalar, ParamDecl } from '../policy/schema.js';
import type { Policy } from '../policy/model.js';

export type { FieldSource, JsonScalar };

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
export type Param = ParamDecl;

/** Everything the checker needs to type a path. */
export interface Env {
  readonly fields: ReadonlyMap<string, Field>;
  readonly params: ReadonlyMap<string, Param>;
}

/** Request keys that hold structure, not a value a declared `request.X` field could read. */
const STRUCTURAL_REQUEST_KEYS = new Set(['context', 'asset', 'params']);

/** Build the environment from the built-ins and the policy's declared fields and params. */
export function buildEnv(policy: Pick<Policy, 'file' | 'schema' | 'params'>): { env: Env; diagnostics: Diagnostic[] } {
  const file = policy.file;
  const diagnostics: Diagnostic[] = [];
  const fields = new Map<string, Field>(BUILTIN_FIELDS);
  // Which field reads each request key, so a clash is found in one lookup.
  const readers = new Map<string, Field>([...BUILTIN_FIELDS.values()].map((f) => [sourceKey(f.source), f]));

  for (const d of policy.schema) {
    const builtin = fields.get(d.path);
    if (builtin) {
      const sameKind = builtin.type.kind === d.type.kind || (builtin.type.kind === 'enum' && d.type.kind === 'enum');
      if (!sameKind) {
        diagnostics.push(
          diag('M116', file, d.span, `'${d.path}' is built in with type ${describe(builtin.type)}; a declaration may only narrow or extend an enum`, {
            hint: `remove the declaration of '${d.path}' or declare a field with another name`,
          }),
        );
        continue;
      }
      const type = d.type.kind === 'enum' ? enumOf(d.path, d.type.values) : builtin.type;
      const f: Field = { ...builtin, type, optional: d.optional ?? builtin.optional, declaredAt: d.span };
      fields.set(d.path, f);
      readers.set(sourceKey(f.source), f);
      continue;
    }
    const source = sourceOf(d);
    // Two paths reading one request key (`foo_bar` and `fooBar`, or `user_id` and built-in
    // `user.id`) would disagree about its type and silently never match.
    if (source.from === 'request' && STRUCTURAL_REQUEST_KEYS.has(source.key)) {
      diagnostics.push(
        diag('M116', file, d.span, `'${d.path}' would read the request's '${source.key}', which holds ${source.key === 'context' ? 'the user context' : source.key === 'asset' ? 'the inline asset' : 'the param overrides'}, not a field`, {
          hint: `declare it under schema.${source.key === 'context' ? 'user' : source.key === 'asset' ? 'asset' : 'request'} with another name, or use the built-in paths`,
        }),
      );
      continue;
    }
    const reads = sourceKey(source);
    const clash = readers.get(reads);
    if (clash) {
      diagnostics.push(
        diag('M116', file, d.span, `'${d.path}' reads the same request key as '${clash.path}'`, {
          hint: `rename one of them; '${d.path}' would read ${reads.replace(':', ' key ')}`,
          ...(clash.declaredAt ? { labels: [{ file, span: clash.declaredAt, message: `'${clash.path}' declared here` }] } : {}),
        }),
      );
      continue;
    }
    const f: Field = { path: d.path, type: d.type, source, optional: d.optional ?? false, declaredAt: d.span };
    fields.set(d.path, f);
    readers.set(reads, f);
  }

  const params = new Map<string, Param>();
  for (const p of policy.params) {
    params.set(p.name, p);
    fields.set(`params.${p.name}`, { path: `params.${p.name}`, type: p.type, source: { from: 'param', name: p.name }, optional: false, declaredAt: p.span });
  }
  return { env: { fields, params }, diagnostics };
}

/** Where a declared field is read from in a request. */
function sourceOf(d: FieldDecl): FieldSource {
  switch (d.section) {
    case 'user':
      return { from: 'context', key: camelCase(d.name) };
    case 'asset':
      return { from: 'asset', key: camelCase(d.name), registryKey: d.name };
    case 'asset.metadata':
      return { from: 'metadata', key: d.name };
    case 'request':
      return { from: 'request', key: camelCase(d.name) };
  }
}

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

/** A type's kind as declarations name it: `enum`, `list<string>`. */
function describe(t: Type): string {
  return t.kind === 'list' ? `list<${describe(t.element)}>` : t.kind;
}
