/**
 * Splitting a replay by user. The ledger is per user — a request reads and writes only its own
 * user's rows, an event only the rows of the user it resolves to plus rows that only events write
 * (payments, refunds, processed event ids) — so users can be replayed in separate shards, each
 * with its own ledger, and the shards' records merged back by `seq` are the single-threaded run's.
 *
 * Which shard a user belongs to is a pure function of the user id and the number of shards:
 * FNV-1a (32 bits) of the id modulo the count. The same function decides where each shard's
 * ledger lives on disk (`shardLedgers`), so a ledger written with N shards is only ever continued
 * with N shards.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord, own } from '../runtime/runtime.js';

/** The largest `--jobs`: more shards than this buys nothing on any machine monetize runs on. */
export const MAX_JOBS = 64;

/** One shard of a replay: `index` in 0 … count − 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a, 32 bits, over the UTF-16 code units of `s` (each unit XORed in whole, then multiplied by
 * the FNV prime modulo 2³²). For an id made of ASCII characters this is exactly FNV-1a over its
 * UTF-8 bytes, the form other systems compute; JavaScript and JVM strings are UTF-16 already, so
 * no encoding is needed on the replay's hot path.
 */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** The shard of a user id. */
export function shardOfUser(userId: string, count: number): number {
  return count <= 1 ? 0 : fnv1a32(userId) % count;
}

/**
 * The shard an access request belongs to: its user's, read exactly as the access service reads it
 * (`context.userId`, an own property, a non-empty string). A request without one is decided
 * `invalid_request` without touching any user's rows; those all go to shard 0.
 */
export function shardOfRequest(request: Readonly<Record<string, unknown>>, count: number): number {
  const context = own(request, 'context');
  const userId = isRecord(context) ? own(context, 'userId') : undefined;
  return typeof userId === 'string' && userId !== '' ? shardOfUser(userId, count) : 0;
}

/** The shard that reports an applied event: the one of the user the event resolved to; shard 0 when none (a duplicate, an unresolved event). */
export function shardOfEvent(userId: string | undefined, count: number): number {
  return userId === undefined ? 0 : shardOfUser(userId, count);
}

/** The file of shard `index` of `count` inside a `--db` folder. */
export function shardFileName(index: number, count: number): string {
  return `shard-${index}-of-${count}.sqlite`;
}

const SHARD_FILE = /^shard-(\d+)-of-(\d+)\.sqlite$/;

/** Where the shard ledgers of a `--db` go, or why that path cannot hold them. */
export type ShardLedgers = { readonly paths: readonly string[]; readonly create?: string } | { readonly problem: string; readonly hint: string };

/** The shard counts the `shard-K-of-N.sqlite` files of a folder were written with (empty for none). */
function countsIn(entries: readonly string[]): number[] {
  const counts = new Set<number>();
  for (const name of entries) {
    const m = SHARD_FILE.exec(name);
    if (m) counts.add(Number(m[2]));
  }
  return [...counts].sort((a, b) => a - b);
}

function jobsFlag(n: number): string {
  return n === 1 ? 'without --jobs (or --jobs 1)' : `with --jobs ${n}`;
}

/**
 * The ledger files of `--db db` (or `--against-db`: `option`) for a run with `jobs` shards. With one job `db` is one SQLite
 * file, as it always was. With more, `db` is a folder holding `shard-K-of-N.sqlite` for K in
 * 0 … N − 1 (created when missing: `create` names it). A ledger written with another number of
 * shards is refused: its users were split differently, and continuing it would decide and charge
 * a user again in a shard that has never seen them.
 */
export function shardLedgers(db: string, jobs: number, option = '--db'): ShardLedgers {
  let st;
  try {
    st = statSync(db);
  } catch {
    st = undefined;
  }
  if (jobs === 1) {
    if (st?.isDirectory() !== true) return { paths: [db] };
    const counts = countsIn(readdirSync(db));
    if (counts.length > 0) return { problem: `${db} is a folder of shard ledgers written ${jobsFlag(counts[0]!)}`, hint: `re-run ${jobsFlag(counts[0]!)} to continue that ledger, or give ${option} a new file` };
    return { problem: `${db} is a folder, not a ledger file`, hint: `give ${option} a new file, or a ledger this monetize made` };
  }
  const paths = Array.from({ length: jobs }, (_, k) => join(db, shardFileName(k, jobs)));
  if (st === undefined) return { paths, create: db };
  if (!st.isDirectory()) {
    return {
      problem: `${db} is a file: with --jobs ${jobs}, ${option} names a folder that holds one ledger per shard`,
      hint: `re-run without --jobs to continue the ledger in ${db}, or give ${option} a new folder`,
    };
  }
  const entries = readdirSync(db);
  const counts = countsIn(entries);
  const other = counts.find((n) => n !== jobs);
  if (other !== undefined) {
    return {
      problem: `${db} holds shard ledgers written with --jobs ${other}: users are split by shard count, so continuing them with --jobs ${jobs} would replay users again in shards that never saw them`,
      hint: `re-run with --jobs ${other}, or give ${option} a new folder`,
    };
  }
  if (counts.length === 0 && entries.some((name) => !name.startsWith('.'))) {
    return { problem: `${db} is a folder that holds files other than shard ledgers`, hint: `give ${option} a new or empty folder` };
  }
  return { paths };
}
