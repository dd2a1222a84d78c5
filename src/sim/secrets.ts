/**
 * `--webhook-secret provider=secret`, repeatable: the signing secrets envelopes are verified with.
 * A provider may have several (while a secret is rolled, the old and the new one). Messages never
 * repeat a secret: they end up in terminals and CI logs.
 */
import { didYouMean } from '../diag/suggest.js';
import type { Provider } from '../payments/event.js';
import { ADAPTERS, type WebhookSecrets } from '../payments/gateway.js';

/** A `--webhook-secret` value that cannot be used: a usage error, with a hint. */
export interface SecretsError {
  readonly message: string;
  readonly hint: string;
}

/** Providers whose deliveries carry a signature (hand-written mock events carry none). */
export const SIGNING_PROVIDERS: readonly Provider[] = ADAPTERS.map((a) => a.provider).filter((p) => p !== 'mock');

/** How each provider's secrets usually begin, to recognise a secret given without its provider. */
const SECRET_PREFIXES: readonly (readonly [string, Provider])[] = [
  ['whsec_', 'stripe'],
  ['pdl_ntfset_', 'paddle'],
];

const EXAMPLE = 'write --webhook-secret PROVIDER=SECRET, e.g. --webhook-secret stripe=whsec_…, once per secret';

/** Parse the `--webhook-secret` values, in the order given (duplicates dropped). */
export function parseWebhookSecrets(values: readonly string[]): { readonly secrets: WebhookSecrets } | { readonly error: SecretsError } {
  const secrets: Partial<Record<Provider, string[]>> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq < 0) {
      const known = SECRET_PREFIXES.find(([prefix]) => value.startsWith(prefix));
      return {
        error: {
          message: '--webhook-secret needs a provider and a secret as PROVIDER=SECRET, and the value given has no "="',
          hint: known !== undefined ? `it looks like a ${known[1]} secret: write --webhook-secret ${known[1]}=${known[0]}…` : `${EXAMPLE}; providers: ${SIGNING_PROVIDERS.join(', ')}`,
        },
      };
    }
    const name = value.slice(0, eq).trim().toLowerCase();
    const secret = value.slice(eq + 1);
    const provider = SIGNING_PROVIDERS.find((p) => p === name);
    if (provider === undefined) {
      const raw = value.slice(0, eq);
      const looksLikeSecret = SECRET_PREFIXES.find(([prefix]) => raw.startsWith(prefix));
      // The part before "=" may itself be a secret (one that contains "="): show it only when it reads like a name.
      const shownName = /^[A-Za-z][A-Za-z0-9_-]{0,19}$/.test(raw) && looksLikeSecret === undefined ? ` ${JSON.stringify(raw)}` : '';
      if (looksLikeSecret !== undefined) {
        return {
          error: {
            message: '--webhook-secret needs a provider and a secret as PROVIDER=SECRET, and the value given begins with a secret',
            hint: `it looks like a ${looksLikeSecret[1]} secret: write --webhook-secret ${looksLikeSecret[1]}=${looksLikeSecret[0]}…`,
          },
        };
      }
      if (name === 'mock') return { error: { message: '--webhook-secret: mock events carry no signature, so they take no secret', hint: `secrets are for ${SIGNING_PROVIDERS.join(', ')}` } };
      const mean = name === '' ? undefined : didYouMean(name, SIGNING_PROVIDERS);
      return {
        error: {
          message: shownName === '' ? '--webhook-secret: the part before "=" is not a provider name' : `--webhook-secret: unknown provider${shownName}`,
          hint: `${mean !== undefined ? `${mean} ` : ''}providers with signatures: ${SIGNING_PROVIDERS.join(', ')}; ${EXAMPLE}`,
        },
      };
    }
    if (secret.trim() === '') return { error: { message: `--webhook-secret ${provider}=: the secret is empty`, hint: EXAMPLE } };
    if (secret !== secret.trim()) {
      return { error: { message: `--webhook-secret ${provider}=…: the secret begins or ends with white space`, hint: 'a signing secret has no spaces: check the quoting of the value' } };
    }
    const list = (secrets[provider] ??= []);
    if (!list.includes(secret)) list.push(secret);
  }
  return { secrets };
}
