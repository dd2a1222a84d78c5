/**
 * The fields an expression may read without declaring them, and where an access request carries
 * each one. Declared fields (`schema:`) and params are added to these by the type checker's
 * environment; the policy model consults them only to read map-condition shorthands.
 */
import { ACTIONS, ASSET_TYPES, TIERS, WEEKDAYS } from './builtins.js';
import { enumOf, listOf, NUMBER, STRING, type Type } from './types.js';

/** Where a field's value comes from in an access request. */
export type FieldSource =
  | { readonly from: 'request'; readonly key: string }
  | { readonly from: 'context'; readonly key: string }
  | { readonly from: 'asset'; readonly key: string; readonly registryKey: string }
  | { readonly from: 'metadata'; readonly key: string }
  | { readonly from: 'time'; readonly part: 'hour' | 'minute' | 'weekday' }
  | { readonly from: 'param'; readonly name: string };

/** The roots a path may start with. */
export const ROOTS = ['user', 'asset', 'request', 'time', 'params'] as const;

/** A built-in field. */
export interface BuiltinField {
  /** The DSL path, canonical: `user.tier`. */
  readonly path: string;
  readonly type: Type;
  /** Optional fields should be guarded by `exists()`. */
  readonly optional: boolean;
  readonly source: FieldSource;
  /** The value used when the request does not carry the field (only `asset.tags` has one). */
  readonly fallback?: readonly string[];
}

function field(path: string, type: Type, source: FieldSource, optional = false): BuiltinField {
  return { path, type, source, optional };
}

/** Every built-in field, by path. */
export const BUILTIN_FIELDS: ReadonlyMap<string, BuiltinField> = new Map(
  [
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
  ].map((f) => [f.path, f]),
);

/** `foo_bar` → `fooBar`: declared `user.foo_bar` reads `context.fooBar`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}
