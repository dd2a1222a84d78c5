/**
 * Which shard a user, a request and an event belong to (FNV-1a 32 over UTF-16 code units, modulo
 * the count), and where the shard ledgers of a `--db` live: a folder of `shard-K-of-N.sqlite`,
 * refused when written with another number of shards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnv1a32, shardLedgers, shardOfEvent, shardOfRequest, shardOfUser } from '../../src/sim/shards.js';
import { tempFolder } from '../helpers/tmp.js';

const dir = tempFolder('monetize-shards-');

describe('fnv1a32', () => {
  it('is FNV-1a 32 (the published test vectors for ASCII)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('takes each UTF-16 code unit whole: "é" hashes as the single unit 0xE9, "€" as 0x20AC', () => {
    // 0x811c9dc5 ^ 0xe9 = 0x811c9d2c; × 0x01000193 mod 2^32 = 0x6c0b6c44 (FNV-1a of the byte 0xE9, not of UTF-8 C3 A9).
    expect(fnv1a32('é')).toBe(0x6c0b6c44);
    expect(fnv1a32('€')).toBe(0xa93e2c4b);
  });
});

describe('shards of users, requests and events', () => {
  it('is the hash modulo the count', () => {
    // fnv1a32('a') = 3826002220 = 2 × 1913001110 = 3 × 1275334073 + 1.
    expect([shardOfUser('a', 1), shardOfUser('a', 2), shardOfUser('a', 3)]).toEqual([0, 0, 1]);
    // fnv1a32('foobar') = 3214735720: mod 2 = 0, mod 3 = 1, mod 7 = 3214735720 − 7 × 459247960 = 0.
    expect([shardOfUser('foobar', 2), shardOfUser('foobar', 3), shardOfUser('foobar', 7)]).toEqual([0, 1, 0]);
  });

  it("reads a request's user as the access service does: an own, non-empty string context.userId, else shard 0", () => {
    expect(shardOfRequest({ context: { userId: 'a' } }, 3)).toBe(1);
    expect(shardOfRequest({ context: { userId: '' } }, 3)).toBe(0);
    expect(shardOfRequest({ context: { userId: 42 } }, 3)).toBe(0);
    expect(shardOfRequest({ context: 'a' }, 3)).toBe(0);
    expect(shardOfRequest({}, 3)).toBe(0);
    expect(shardOfRequest({ context: Object.create({ userId: 'a' }) as Record<string, unknown> }, 3)).toBe(0);
  });

  it("puts an event with the user it resolved to, and one without (a duplicate, an unresolved event) in shard 0", () => {
    expect(shardOfEvent('a', 3)).toBe(1);
    expect(shardOfEvent(undefined, 3)).toBe(0);
  });
});

describe('shardLedgers', () => {
  it('is the file itself with one job, and a folder of one file per shard with more (created when missing)', () => {
    const f = join(dir(), 'one.sqlite');
    expect(shardLedgers(f, 1)).toEqual({ paths: [f] });
    const d = join(dir(), 'many');
    expect(shardLedgers(d, 3)).toEqual({ paths: [join(d, 'shard-0-of-3.sqlite'), join(d, 'shard-1-of-3.sqlite'), join(d, 'shard-2-of-3.sqlite')], create: d });
  });

  it('continues a folder written with the same number of shards, or an empty one', () => {
    const d = join(dir(), 'same');
    mkdirSync(d);
    expect(shardLedgers(d, 2)).toEqual({ paths: [join(d, 'shard-0-of-2.sqlite'), join(d, 'shard-1-of-2.sqlite')] });
    writeFileSync(join(d, 'shard-0-of-2.sqlite'), '');
    writeFileSync(join(d, 'shard-0-of-2.sqlite-wal'), '');
    expect(shardLedgers(d, 2)).toEqual({ paths: [join(d, 'shard-0-of-2.sqlite'), join(d, 'shard-1-of-2.sqlite')] });
  });

  it('refuses a folder written with another number of shards, whichever way round', () => {
    const d = join(dir(), 'three');
    mkdirSync(d);
    writeFileSync(join(d, 'shard-1-of-3.sqlite'), '');
    expect(shardLedgers(d, 2)).toEqual({
      problem: `${d} holds shard ledgers written with --jobs 3: users are split by shard count, so continuing them with --jobs 2 would replay users again in shards that never saw them`,
      hint: 're-run with --jobs 3, or give --db a new folder',
    });
    expect(shardLedgers(d, 1)).toEqual({ problem: `${d} is a folder of shard ledgers written with --jobs 3`, hint: 're-run with --jobs 3 to continue that ledger, or give --db a new file' });
  });

  it('refuses a single-file ledger with --jobs, and a folder of other files', () => {
    const f = join(dir(), 'single.sqlite');
    writeFileSync(f, '');
    expect(shardLedgers(f, 2)).toEqual({
      problem: `${f} is a file: with --jobs 2, --db names a folder that holds one ledger per shard`,
      hint: `re-run without --jobs to continue the ledger in ${f}, or give --db a new folder`,
    });
    const d = join(dir(), 'other');
    mkdirSync(d);
    writeFileSync(join(d, 'notes.txt'), '');
    expect(shardLedgers(d, 2)).toEqual({ problem: `${d} is a folder that holds files other than shard ledgers`, hint: 'give --db a new or empty folder' });
    expect(shardLedgers(d, 1)).toEqual({ problem: `${d} is a folder, not a ledger file`, hint: 'give --db a new file, or a ledger this monetize made' });
  });
});
