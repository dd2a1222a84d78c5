/**
 * One door for every webhook delivery. A delivery is a raw provider event, an envelope
 * `{headers, body: "<raw string>"}` as received over HTTP, or a hand-written normalised mock event;
 * `parseDelivery` finds the adapter that recognises it, checks the signature when it can, and
 * returns one `PaymentEvent` or a failure with a message. It never throws on bad input.
 *
 * Adding a provider: write its adapter (one file exporting a `PaymentAdapter`), add it to
 * `ADAPTERS` below and its name to `Provider` in event.ts.
 */
import { findJsonError, lineColumn } from '../diag/json-error.js';
import type { NormalizeResult, ParseFailure, ParseResult, Provider } from './event.js';
import { mockAdapter } from './mock.js';
import { paddleAdapter } from './paddle.js';
import { describe, isObject, own } from './read.js';
import type { VerifyOptions, VerifyResult } from './signature.js';
import { stripeAdapter } from './stripe.js';

export type { NormalizeResult } from './event.js';
export type { VerifyOptions, VerifyResult } from './signature.js';
export { DEFAULT_TOLERANCE_SECONDS } from './signature.js';

/** One payment provider: how to recognise its events, check their signatures and normalise them. */
export interface PaymentAdapter {
  readonly provider: Provider;
  /** Whether a parsed body is this provider's (by its documented top-level shape only). */
  detect(body: unknown): boolean;
  /**
   * Check the signature headers of a delivery against the raw body, accepting any of `secrets`
   * (more than one while a secret is rolled). The tolerance is measured against the time the body
   * itself gives the event, never the wall clock.
   */
  verify(headers: unknown, rawBody: string, secrets: readonly string[], options?: VerifyOptions): VerifyResult;
  /** Turn a parsed body this adapter detected into the event model. */
  normalize(body: unknown): NormalizeResult;
}

/** Every adapter, in detection order (the first whose `detect` accepts a body normalises it). */
export const ADAPTERS: readonly PaymentAdapter[] = [mockAdapter, stripeAdapter, paddleAdapter];

/** Signing secrets per provider (any of a provider's secrets is accepted). */
export type WebhookSecrets = Readonly<Partial<Record<Provider, readonly string[]>>>;

/** The adapter for a provider name. */
export function adapterFor(provider: Provider): PaymentAdapter {
  return ADAPTERS.find((a) => a.provider === provider)!;
}

/** The adapter that recognises a parsed body, if any. */
export function detectAdapter(body: unknown): PaymentAdapter | undefined {
  return ADAPTERS.find((a) => a.detect(body));
}

const ENVELOPE_KEYS = new Set(['headers', 'body']);

function malformed(message: string): ParseFailure {
  return { outcome: 'malformed', message };
}

function unrecognised(body: unknown, where: string): ParseFailure {
  if (!isObject(body)) return malformed(`${where} must be a JSON object, found ${describe(body)}`);
  const provider = own(body, 'provider');
  if (provider !== undefined) {
    const known = ADAPTERS.map((a) => a.provider).join(', ');
    return malformed(`${where} names provider ${describe(provider)}, but a normalised event must say "provider": "mock" (adapters: ${known})`);
  }
  return malformed(
    `${where} is not a webhook: expected a Stripe event ("object": "event"), a Paddle event ("event_id", "event_type"), ` +
      `a normalised event ("provider": "mock") or an envelope {"headers", "body"}`,
  );
}

/**
 * Parse one delivery. `input` is a parsed JSON value (one fixture file, or one line of a `.jsonl`
 * file). An envelope is verified when `secrets` has a secret for its provider and is otherwise
 * accepted as `not_checked`; a bare body or mock event carries no signature (`none`): the caller
 * decides whether unsigned events are acceptable.
 */
export function parseDelivery(input: unknown, secrets: WebhookSecrets = {}, options?: VerifyOptions): ParseResult {
  if (!isObject(input)) return malformed(`a webhook must be a JSON object, found ${describe(input)}`);
  if (Object.hasOwn(input, 'headers') && Object.hasOwn(input, 'body')) return parseEnvelope(input, secrets, options);
  const adapter = detectAdapter(input);
  if (adapter === undefined) return unrecognised(input, 'the webhook');
  const normalized = adapter.normalize(input);
  return 'event' in normalized ? { event: normalized.event, signature: 'none' } : normalized;
}

function parseEnvelope(input: Readonly<Record<string, unknown>>, secrets: WebhookSecrets, options: VerifyOptions | undefined): ParseResult {
  const extra = Object.keys(input).filter((k) => !ENVELOPE_KEYS.has(k));
  if (extra.length > 0) return malformed(`an envelope has only "headers" and "body"; unexpected ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  const headers = own(input, 'headers');
  const raw = own(input, 'body');
  if (!isObject(headers)) return malformed(`the envelope's "headers" must be an object of header names to values, found ${describe(headers)}`);
  if (typeof raw !== 'string') {
    return malformed(`the envelope's "body" must be the raw request body as a string (signatures cover its exact bytes), found ${describe(raw)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    const problem = findJsonError(raw);
    const at = problem ? lineColumn(raw, problem.offset) : undefined;
    return malformed(`the envelope's body is not JSON${at && problem ? ` (line ${at.line}, column ${at.column}: ${problem.message})` : ''}`);
  }
  const adapter = detectAdapter(body);
  if (adapter === undefined) return unrecognised(body, "the envelope's body");
  // Only usable secrets count: an unset environment variable (undefined) or an empty string is no
  // secret, so the envelope is unchecked rather than a crash in the HMAC.
  const given: unknown = Object.hasOwn(secrets, adapter.provider) ? secrets[adapter.provider] : undefined;
  const keys = Array.isArray(given) ? given.filter((k): k is string => typeof k === 'string' && k !== '') : [];
  if (keys.length > 0) {
    const verified = adapter.verify(headers, raw, keys, options);
    if (!verified.ok) return { outcome: verified.outcome, message: `${adapter.provider}: ${verified.message}` };
  }
  const normalized = adapter.normalize(body);
  return 'event' in normalized ? { event: normalized.event, signature: keys.length > 0 ? 'verified' : 'not_checked' } : normalized;
}
