/**
 * What Stripe's and Paddle's webhook signatures share: a header found whatever its case, an
 * HMAC-SHA256 hex digest over a timestamp and the raw body, any of several signatures accepted
 * against any of several secrets (both providers send more than one signature while a secret is
 * being rolled), compared in constant time, and a timestamp tolerance measured against the event's
 * own time, so that replaying old fixtures gives the same answer on any day.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isObject, own } from './read.js';

/** How far (in seconds) a signature's timestamp may be from the event's own time, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options for signature checks. */
export interface VerifyOptions {
  /** Seconds a signature's timestamp may differ from the event's own time (default 300). */
  readonly toleranceSeconds?: number;
}

/** The result of checking a signature. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly outcome: 'invalid_signature' | 'malformed'; readonly message: string };

/** A failed check. */
export function rejected(message: string): VerifyResult {
  return { ok: false, outcome: 'invalid_signature', message };
}

/**
 * The value of header `name` (any case) in an envelope's headers, or a message saying why there
 * is no single value: absent, not a string, or given twice under different cases.
 */
export function headerValue(headers: unknown, name: string): { value: string } | { missing: string } {
  if (!isObject(headers)) return { missing: 'the envelope has no headers object' };
  const wanted = name.toLowerCase();
  const found = Object.keys(headers).filter((k) => k.toLowerCase() === wanted);
  if (found.length === 0) return { missing: `no ${name} header` };
  if (found.length > 1) return { missing: `the ${name} header is given more than once (${found.join(', ')})` };
  const v = own(headers, found[0]!);
  if (typeof v !== 'string' || v === '') return { missing: `the ${name} header is not a non-empty string` };
  return { value: v };
}

/** The lower-case hex HMAC-SHA256 of `content` under `secret`. */
export function hmacHex(secret: string, content: string): string {
  return createHmac('sha256', secret).update(content, 'utf8').digest('hex');
}

/**
 * Whether any candidate signature equals the digest of `content` under any secret. Every pair is
 * compared with `timingSafeEqual` on equal-length buffers (a candidate of another length cannot
 * match and is skipped without looking at its bytes), and no comparison stops early.
 */
export function anySignatureMatches(secrets: readonly string[], content: string, candidates: readonly string[]): boolean {
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, content), 'utf8');
    for (const candidate of candidates) {
      const given = Buffer.from(candidate, 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
    }
  }
  return matched;
}

/**
 * A failure when the signed timestamp is further than the tolerance from the event's own time.
 * Both are compared in whole seconds (the event time's fraction dropped), as signatures carry them.
 */
export function checkTolerance(signedAtSeconds: number, eventTimeMs: number, what: string, options: VerifyOptions | undefined): VerifyResult {
  const tolerance = options?.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skew = Math.abs(signedAtSeconds - Math.floor(eventTimeMs / 1000));
  if (skew > tolerance) return rejected(`the signature's timestamp ${signedAtSeconds} is ${skew} s from the event's ${what} (tolerance ${tolerance} s)`);
  return { ok: true };
}

/** Split a signature header into `key=value` pairs; undefined when a part has no `=`. */
export function headerPairs(header: string, separator: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  for (const part of header.split(separator)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return pairs;
}

const SECONDS = /^[0-9]{1,12}$/;

/**
 * The timestamp and signatures of a `t=…,v1=…` (Stripe) or `ts=…;h1=…` (Paddle) header, or a
 * message saying what is wrong with it. Pairs with other keys (Stripe's `v0`) are ignored.
 */
export function parseSignatureHeader(header: string, name: string, separator: string, timeKey: string, sigKey: string): { signedAt: number; signatures: string[] } | { error: string } {
  const form = `${timeKey}=…${separator}${sigKey}=…`;
  const pairs = headerPairs(header, separator);
  if (pairs === undefined) return { error: `the ${name} header is not of the form ${form}` };
  const times = pairs.filter(([k]) => k === timeKey).map(([, v]) => v);
  if (times.length !== 1) return { error: `the ${name} header must have exactly one ${timeKey}= timestamp (form ${form})` };
  if (!SECONDS.test(times[0]!)) return { error: `the ${name} header's ${timeKey}= is not a Unix time in seconds` };
  const signatures = pairs.filter(([k]) => k === sigKey).map(([, v]) => v);
  if (signatures.length === 0) return { error: `the ${name} header has no ${sigKey}= signature (form ${form})` };
  return { signedAt: Number(times[0]), signatures };
}
