/**
 * Random requests for a generated policy: every field it reads is present and valid, absent,
 * mistyped or outside its enum; strings come from the policy's own literals (so conditions hold
 * often enough) or are random unicode with quotes; numbers include 0, -0, negatives, large and
 * fractional values; now and then the request itself is malformed.
 */
import type { GenField, GenPolicy } from './gen.js';
import { put } from './gen.js';
import { NUMBERS, randomString, type Rng } from './rng.js';

export interface GenRequest {
  readonly request: unknown;
  readonly options: unknown;
}

const JUNK: readonly unknown[] = [null, 'x', '', 1, 0, -0, true, false, [], {}, ['a'], [1], Number.NaN, Number.POSITIVE_INFINITY, { tier: 'pro' }];

function validValue(rng: Rng, p: GenPolicy, f: GenField): unknown {
  switch (f.kind) {
    case 'num':
      return rng.pick([() => rng.pick(p.numbers), () => rng.pick(NUMBERS), () => rng.double(), () => rng.int(-3, 30)])();
    case 'str':
      return rng.chance(0.7) ? rng.pick(p.strings) : randomString(rng);
    case 'enum':
      return rng.pick(f.values!);
    case 'bool':
      return rng.chance(0.5);
    case 'lstr':
      return [...rng.subset(p.strings), ...(rng.chance(0.2) ? [randomString(rng)] : [])];
    case 'lnum':
      return rng.subset([...p.numbers, ...NUMBERS], 4);
  }
}

function wrongValue(rng: Rng, p: GenPolicy, f: GenField): unknown {
  if (f.kind === 'enum' && rng.chance(0.5)) {
    const s = randomString(rng, 4);
    return f.values!.includes(s) ? `${s}?` : s;
  }
  if (f.kind === 'lstr' && rng.chance(0.5)) return [rng.pick(p.strings), rng.pick(JUNK)];
  if (f.kind === 'lnum' && rng.chance(0.5)) return [rng.pick(p.numbers), rng.pick(['1', null, Number.NaN])];
  return rng.pick(JUNK);
}

/** One field's value: undefined means "leave it out". */
function fieldValue(rng: Rng, p: GenPolicy, f: GenField): unknown {
  const r = rng.int(0, 9);
  if (r < 2) return undefined;
  return r < 8 ? validValue(rng, p, f) : wrongValue(rng, p, f);
}

function timestamp(rng: Rng): unknown {
  const r = rng.int(0, 19);
  if (r < 6) return undefined;
  if (r === 6) return rng.pick([0, -1, 1, -86400000, 1764000000000, 8.64e15]);
  if (r === 7) return rng.pick(['2025-01-01', Number.NaN, Number.POSITIVE_INFINITY, null, true]);
  return rng.int(-2e12, 4e12) + (r === 8 ? 0.5 : 0);
}

/** Generate one request (and decision options) for policy p. */
export function genRequest(rng: Rng, p: GenPolicy): GenRequest {
  if (rng.chance(0.03)) return { request: rng.pick([null, 1, 'x', [], true, [{}]]), options: undefined };
  const req: Record<string, unknown> = {};
  const ctx: Record<string, unknown> = {};
  const inline: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  const reqParams: Record<string, unknown> = {};
  const optParams: Record<string, unknown> = {};
  const r = rng.int(0, 59);
  put(req, 'assetId', r === 0 ? '' : r === 1 ? 42 : rng.chance(0.8) ? rng.pick(p.assetIds) : randomString(rng, 4) || 'a');
  if (!rng.chance(0.02)) put(req, 'action', rng.chance(0.97) ? rng.pick(p.actions) : randomString(rng, 3));
  const ts = timestamp(rng);
  if (ts !== undefined) put(req, 'timestamp', ts);
  for (const f of p.fields) {
    const v = fieldValue(rng, p, f);
    if (v === undefined) continue;
    const loc = f.loc;
    switch (loc.at) {
      case 'context':
        put(ctx, loc.key, v);
        break;
      case 'request':
        if (loc.key !== 'assetId' && loc.key !== 'action' && loc.key !== 'timestamp') put(req, loc.key, v);
        break;
      case 'asset':
        put(inline, loc.key, v);
        break;
      case 'metadata':
        put(meta, loc.key, v);
        break;
      case 'param':
        put(rng.chance(0.5) ? reqParams : optParams, loc.name, v);
        if (rng.chance(0.2)) put(reqParams, loc.name, validValue(rng, p, f));
        break;
      case 'time':
        break;
    }
  }
  if (rng.chance(0.1)) put(ctx, '__proto__', { tier: 'enterprise', tokenBalance: 100 });
  put(req, 'context', rng.chance(0.97) ? ctx : rng.pick(['ctx', [], null]));
  if (Object.keys(meta).length > 0) put(inline, 'metadata', rng.chance(0.9) ? meta : 'meta');
  if (Object.keys(inline).length > 0 || rng.chance(0.1)) put(req, 'asset', rng.chance(0.95) ? inline : rng.pick(['asset', [inline], null]));
  if (Object.keys(reqParams).length > 0) put(req, 'params', rng.chance(0.95) ? reqParams : [reqParams]);
  const options = Object.keys(optParams).length > 0 ? (rng.chance(0.95) ? { params: optParams } : rng.pick([null, 'x', { params: 'x' }])) : rng.chance(0.5) ? undefined : {};
  return { request: req, options };
}
