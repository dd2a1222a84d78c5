/**
 * A deterministic access log for `examples/marketplace-policy.yaml` (fixed seed): a fixed
 * population of users across tiers and segments, each with a starting token balance and
 * entitlements, requesting the policy's registry assets (and a few public-beta ids) with
 * increasing timestamps over about a week, so off-peak, peak and weekend prices all occur.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { rng } from './gen-policy.js';

/** What one generated user carries in every request's `context`. */
interface User {
  readonly json: string;
}

/** Monday 2025-11-24 00:00 UTC. */
const START = 1763942400000;
/** The registry's assets, with a few ids in public beta. */
const ASSETS = ['model:llm-base', 'model:llm-large', 'dataset:training-corpus', 'code:sdk'];
const BETA = ['beta:agent-v0', 'beta:vision-v1'];
const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'GB', 'NO', 'JP'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function makeUsers(r: () => number, n: number): User[] {
  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const t = r();
    const tier = t < 0.5 ? 'free' : t < 0.93 ? 'pro' : 'enterprise';
    // Free users mostly hold no tokens; paying users a few dozen to a few hundred.
    const balance = tier === 'free' ? (r() < 0.6 ? 0 : Math.floor(r() * 30)) : Math.floor(r() * 400);
    const e = r();
    const entitlements = e < 0.01 ? ['all_access'] : e < 0.06 ? ['derive_licence'] : [];
    const context: Record<string, unknown> = { userId: `u${String(i).padStart(6, '0')}`, tier, tokenBalance: balance, entitlements };
    if (r() < 0.1) context['segment'] = 'student';
    if (r() < 0.7) context['country'] = pick(r, COUNTRIES);
    if (r() < 0.2) context['vat_id'] = `VAT${i}`;
    users.push({ json: JSON.stringify(context) });
  }
  return users;
}

/** The number of users a generated log draws from, whatever its length (memory must not grow with the log). */
export const LOG_USERS = 10_000;

/**
 * How request ids look. `long` (the default): `req-` and the line number padded to 8 digits, 12
 * characters, in the order of the log, as time-ordered request ids are. `short`: `r` and the line
 * number (`r0` … `r999999`). V8's `JSON.parse` interns every string value of at most 10
 * characters; with short ids each line leaves an interned string in old space and an entry in
 * V8's string table until the next full garbage collection, so memory climbs for the first few
 * hundred thousand lines before it levels off (see docs/performance.md).
 */
export type LogIds = 'long' | 'short';

/** A request id of the chosen style. */
function requestId(i: number, ids: LogIds): string {
  return ids === 'short' ? `r${i}` : `req-${String(i).padStart(8, '0')}`;
}

/**
 * Write `lines` requests to `path` as JSON Lines (the same seed gives the same bytes). Each line:
 * `{"id","assetId","action","timestamp","context":{userId,tier,tokenBalance,entitlements,…}}`.
 * Returns the file's size in bytes.
 */
export function generateLog(path: string, lines: number, seed = 1010, ids: LogIds = 'long'): number {
  const r = rng(seed);
  const users = makeUsers(r, LOG_USERS);
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    let time = START;
    let chunk = '';
    for (let i = 0; i < lines; i++) {
      time += Math.floor(r() * 1200);
      const a = r();
      const action = a < 0.4 ? 'execute' : a < 0.7 ? 'read' : a < 0.9 ? 'download' : 'derive';
      const asset = r() < 0.03 ? pick(r, BETA) : pick(r, ASSETS);
      // A user's activity is skewed: a fifth of the users make most of the requests.
      const u = r() < 0.6 ? Math.floor(r() * (LOG_USERS / 5)) : Math.floor(r() * LOG_USERS);
      chunk += `{"id":"${requestId(i, ids)}","assetId":"${asset}","action":"${action}","timestamp":${time},"context":${users[u]!.json}}\n`;
      if (chunk.length > 1 << 20) {
        bytes += writeSync(fd, chunk);
        chunk = '';
      }
    }
    bytes += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return bytes;
}
