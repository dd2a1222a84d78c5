/**
 * The seed policy written by hand in plain JavaScript, with the same guarantees as the compiled
 * module: own-property reads, type checks, fail-closed on absent or mistyped fields,
 * `invalid_request` for malformed requests, never throws. The baseline `decide` is measured against.
 */
import type { AccessDecision } from '../src/ir/decision.js';
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty) as (o: object, k: string) => boolean;

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
  const tier = hasOwn(ctx, 'tier') ? ctx.tier : undefined;
  if (tier === 'enterprise') return { allowed: true, policyId: 'enterprise_unlimited', cost: 0 };
  const balance = hasOwn(ctx, 'tokenBalance') ? ctx.tokenBalance : undefined;
  if (typeof balance === 'number' && Number.isFinite(balance) && balance > 0) {
    const asset = hasOwn(req, 'asset') && isObj(req.asset) ? req.asset : undefined;
    const type = asset !== undefined && hasOwn(asset, 'type') ? asset.type : undefined;
    const tags = asset !== undefined && hasOwn(asset, 'tags') ? asset.tags : [];
    const typeOk = type === 'content' || type === 'code' || type === 'data' || type === 'model';
    let tagsOk = Array.isArray(tags);
    if (tagsOk) for (let i = 0; i < (tags as unknown[]).length; i++) if (typeof (tags as unknown[])[i] !== 'string') tagsOk = false;
    if (typeOk && tagsOk) {
      let cost = 1;
      if (type === 'model') cost *= 5;
      if ((tags as string[]).includes('premium')) cost *= 2;
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
