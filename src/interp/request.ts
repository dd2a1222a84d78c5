/**
 * Reading an access request for the interpreter: validation (the `invalid_request` decision) and
 * field values, with the same own-property and type rules the compiled module applies.
 */
import type { IrAsset, IrField, IrPolicy, Scalar } from '../ir/ir.js';
import { MISSING, type Value } from '../ir/value.js';

export { MISSING, type Value };
import { hasOwn, hourOf, isRecord, listOf, minuteOf, own, REQUEST_NOT_OBJECT, requestErrors, weekdayOf } from '../runtime/runtime.js';


/** A validated request, ready to have fields read. */
export interface ReadRequest {
  readonly req: Record<string, unknown>;
  readonly ctx: Record<string, unknown>;
  readonly assetId: string;
  readonly action: string;
  readonly timestamp: number | undefined;
  readonly registry: IrAsset | undefined;
  readonly inline: Record<string, unknown> | undefined;
  /** The inline asset's `metadata`, when it is an object. */
  readonly meta: Record<string, unknown> | undefined;
  readonly paramSources: readonly Record<string, unknown>[];
}

/** The problems that make a request `invalid_request` (an array, never empty), or a read request. */
export function readRequest(ir: IrPolicy, assets: ReadonlyMap<string, IrAsset>, request: unknown, options: unknown): string[] | ReadRequest {
  if (!isRecord(request)) return [REQUEST_NOT_OBJECT];
  // Read exactly the parts of the request the compiled module reads, in the same order, so that a
  // hostile getter or Proxy trap fires (or not) identically in both engines: the four top-level
  // parts first, then (if they are well formed) what the fields need.
  const assetId = own(request, 'assetId');
  const action = own(request, 'action');
  const ctx = own(request, 'context');
  const ts = own(request, 'timestamp');
  const errors = requestErrors(assetId, action, ctx, ts, actionsOf(ir));
  if (errors.length > 0) return errors;
  const from = sourcesOf(ir);
  const inlineRaw = from.has('asset') || from.has('metadata') ? own(request, 'asset') : undefined;
  const inline = isRecord(inlineRaw) ? inlineRaw : undefined;
  const metaRaw = from.has('metadata') && inline ? own(inline, 'metadata') : undefined;
  const paramSources: Record<string, unknown>[] = [];
  if (from.has('param')) {
    const optParams = isRecord(options) ? own(options, 'params') : undefined;
    const reqParams = own(request, 'params');
    if (isRecord(optParams)) paramSources.push(optParams);
    if (isRecord(reqParams)) paramSources.push(reqParams);
  }
  return {
    req: request,
    ctx: ctx as Record<string, unknown>,
    assetId: assetId as string,
    action: action as string,
    timestamp: ts as number | undefined,
    registry: assets.get(assetId as string),
    inline,
    meta: isRecord(metaRaw) ? metaRaw : undefined,
    paramSources,
  };
}

// Per-policy facts computed once, not on every decision.
const sourceCache = new WeakMap<IrPolicy, ReadonlySet<string>>();
const actionCache = new WeakMap<IrPolicy, ReadonlySet<string>>();
const defaultCache = new WeakMap<IrPolicy['params'], ReadonlyMap<string, Scalar>>();
const enumCache = new WeakMap<IrField, ReadonlySet<string>>();

function sourcesOf(ir: IrPolicy): ReadonlySet<string> {
  let s = sourceCache.get(ir);
  if (!s) sourceCache.set(ir, (s = new Set(ir.fields.map((f) => f.source.from))));
  return s;
}

function actionsOf(ir: IrPolicy): ReadonlySet<string> {
  let s = actionCache.get(ir);
  if (!s) actionCache.set(ir, (s = new Set(ir.actions)));
  return s;
}

function defaultsOf(params: IrPolicy['params']): ReadonlyMap<string, Scalar> {
  let m = defaultCache.get(params);
  if (!m) defaultCache.set(params, (m = new Map(params.map((p) => [p.name, p.value]))));
  return m;
}

function enumSetOf(f: IrField): ReadonlySet<string> | undefined {
  if (!f.enumValues) return undefined;
  let s = enumCache.get(f);
  if (!s) enumCache.set(f, (s = new Set(f.enumValues)));
  return s;
}

/** The raw value of a field before type validation (undefined when absent). */
function rawValue(r: ReadRequest, f: IrField, params: IrPolicy['params']): unknown {
  const s = f.source;
  switch (s.from) {
    case 'request':
      if (s.key === 'assetId') return r.assetId;
      if (s.key === 'action') return r.action;
      if (s.key === 'timestamp') return r.timestamp;
      return own(r.req, s.key);
    case 'context':
      return own(r.ctx, s.key);
    case 'asset': {
      if (r.inline && hasOwn(r.inline, s.key)) return r.inline[s.key];
      const reg = r.registry;
      if (reg && hasOwn(reg.fields, s.registryKey)) return reg.fields[s.registryKey];
      return f.fallback;
    }
    case 'metadata': {
      if (r.meta && hasOwn(r.meta, s.key)) return r.meta[s.key];
      const reg = r.registry;
      return reg && hasOwn(reg.metadata, s.key) ? reg.metadata[s.key] : undefined;
    }
    case 'time':
      if (r.timestamp === undefined) return undefined;
      return s.part === 'hour' ? hourOf(r.timestamp) : s.part === 'minute' ? minuteOf(r.timestamp) : weekdayOf(r.timestamp);
    case 'param': {
      for (const src of r.paramSources) if (hasOwn(src, s.name)) return src[s.name];
      return defaultsOf(params).get(s.name);
    }
  }
}

/**
 * Field `f` read from the request, once: its raw value (undefined when absent), or for a list the
 * runtime's copy of its elements (undefined when it is not a list of the element type), read right
 * after the list itself, as the compiled module does.
 */
export function fieldValue(r: ReadRequest, f: IrField, params: IrPolicy['params']): unknown {
  const v = rawValue(r, f, params);
  return f.kind === 'list' ? listOf(v, f.element ?? 'string', enumSetOf(f)) : v;
}

/** A field value read by fieldValue if it has the field's type, else MISSING. */
export function validate(f: IrField, v: unknown): Value {
  switch (f.kind) {
    case 'string':
      return typeof v === 'string' && (f.enumValues === undefined || enumSetOf(f)!.has(v)) ? v : MISSING;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : MISSING;
    case 'boolean':
      return typeof v === 'boolean' ? v : MISSING;
    case 'list':
      return v === undefined ? MISSING : (v as readonly Scalar[]);
  }
}
