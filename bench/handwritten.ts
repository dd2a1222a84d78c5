/**
 * The seed policy written by hand in plain JavaScript, with the same guarantees as the compiled
 * module: own-property reads (list elements included: a hole is absent), every request value read
 * once per decision, type checks, fail-closed on absent or mistyped fields, `invalid_request` for
 * malformed requests, never throws. The baseline `decide` is measured against.
 */
import type { AccessDecision } from '../src/ir/decision.js';
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty) as (o: object, k: PropertyKey) => boolean;

type Decision = AccessDecision;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(req: unknown): Decision {
  const errors: string[] = [];
  if (!isObj(req)) errors.push('the request must be an object');
  else {
    const a = hasOwn(req, 'assetId') ? req.assetId : undefined;
    if (typeof a !== 'string' || a === '') errors.push('assetId must be a non-empty string');
    const act = hasOwn(req, 'action') ? req.action : undefined;
    if (act !== 'read' && act !== 'download' && act !== 'execute' && act !== 'derive') errors.push('action must be one of read, download, execute, derive');
    if (!isObj(hasOwn(req, 'context') ? req.context : undefined)) errors.push('context must be an object');
    const ts = hasOwn(req, 'timestamp') ? req.timestamp : undefined;
    if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) errors.push('timestamp must be a finite number of milliseconds');
  }
  return { allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors };
}

function decideUnsafe(req: unknown): Decision {
  if (!isObj(req)) return invalid(req);
  const assetId = hasOwn(req, 'assetId') ? req.assetId : undefined;
  const action = hasOwn(req, 'action') ? req.action : undefined;
  const ctx = hasOwn(req, 'context') ? req.context : undefined;
  const ts = hasOwn(req, 'timestamp') ? req.timestamp : undefined;
  if (
    typeof assetId !== 'string' ||
    assetId === '' ||
    (action !== 'read' && action !== 'download' && action !== 'execute' && action !== 'derive') ||
    !isObj(ctx) ||
    (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts)))
  ) {
    return invalid(req);
  }
  // Every field the policy uses is read once, up front, as the compiled module reads it; the
  // tags' elements too, each once and as own properties (a hole makes the list invalid), with the
  // membership test done in the same pass instead of on a copy.
  const tier = hasOwn(ctx, 'tier') ? ctx.tier : undefined;
  const balance = hasOwn(ctx, 'tokenBalance') ? ctx.tokenBalance : undefined;
  const assetRaw = hasOwn(req, 'asset') ? req.asset : undefined;
  const asset = isObj(assetRaw) ? assetRaw : undefined;
  const type = asset !== undefined && hasOwn(asset, 'type') ? asset.type : undefined;
  const tags = asset !== undefined && hasOwn(asset, 'tags') ? asset.tags : undefined;
  let tagsOk = true;
  let premium = false;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) tagsOk = false;
    else {
      const n = tags.length;
      for (let i = 0; i < n; i++) {
        const t: unknown = hasOwn(tags, i) ? tags[i] : undefined;
        if (typeof t !== 'string') {
          tagsOk = false;
          break;
        }
        if (t === 'premium') premium = true;
      }
    }
  }
  if (tier === 'enterprise') return { allowed: true, policyId: 'enterprise_unlimited', cost: 0 };
  if (typeof balance === 'number' && Number.isFinite(balance) && balance > 0) {
    const typeOk = type === 'content' || type === 'code' || type === 'data' || type === 'model';
    if (typeOk && tagsOk) {
      let cost = 1;
      if (type === 'model') cost *= 5;
      if (premium) cost *= 2;
      return { allowed: true, policyId: 'dynamic_token_pricing', cost };
    }
  }
  if (tier === 'free') return { allowed: false, policyId: 'free_tier_paywall', reason: 'upgrade_required', redirect: '/pricing' };
  return { allowed: false, policyId: 'default_deny', reason: 'no_matching_policy' };
}

/** The hand-written baseline decide of the seed policy. */
export function handwrittenDecide(req: unknown): Decision {
  try {
    return decideUnsafe(req);
  } catch {
    return { allowed: false, policyId: 'invalid_request', reason: 'invalid_request', errors: ['the request could not be read'] };
  }
}
