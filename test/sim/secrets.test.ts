import { describe, expect, it } from 'vitest';
import { parseWebhookSecrets, SIGNING_PROVIDERS } from '../../src/sim/secrets.js';

const errorOf = (values: string[]) => {
  const r = parseWebhookSecrets(values);
  if (!('error' in r)) throw new Error('expected an error');
  return r.error;
};

describe('--webhook-secret', () => {
  it('collects provider=secret values, several per provider in the order given, duplicates once', () => {
    expect(parseWebhookSecrets(['stripe=whsec_new', 'paddle=pdl_ntfset_1', 'stripe=whsec_old', 'Stripe=whsec_new', 'paddle=a=b'])).toStrictEqual({
      secrets: { stripe: ['whsec_new', 'whsec_old'], paddle: ['pdl_ntfset_1', 'a=b'] },
    });
    expect(parseWebhookSecrets([])).toStrictEqual({ secrets: {} });
    expect(SIGNING_PROVIDERS).toStrictEqual(['stripe', 'paddle']);
  });

  it('an unknown provider is a usage error with a did-you-mean and the list of providers', () => {
    expect(errorOf(['strpe=whsec_abc'])).toStrictEqual({
      message: '--webhook-secret: unknown provider "strpe"',
      hint: "did you mean 'stripe'? providers with signatures: stripe, paddle; write --webhook-secret PROVIDER=SECRET, e.g. --webhook-secret stripe=whsec_…, once per secret",
    });
    expect(errorOf(['braintree=x']).hint).toMatch(/^providers with signatures: stripe, paddle;/);
    expect(errorOf(['=whsec_abc']).message).toBe('--webhook-secret: the part before "=" is not a provider name');
    expect(errorOf(['whsec_abc=']).hint).toBe('it looks like a stripe secret: write --webhook-secret stripe=whsec_…');
    expect(errorOf(['mock=x']).message).toBe('--webhook-secret: mock events carry no signature, so they take no secret');
  });

  it('a value without "=" is a usage error; a recognisable secret gets its provider in the hint', () => {
    expect(errorOf(['whsec_abc123'])).toStrictEqual({
      message: '--webhook-secret needs a provider and a secret as PROVIDER=SECRET, and the value given has no "="',
      hint: 'it looks like a stripe secret: write --webhook-secret stripe=whsec_…',
    });
    expect(errorOf(['pdl_ntfset_01abc']).hint).toBe('it looks like a paddle secret: write --webhook-secret paddle=pdl_ntfset_…');
    expect(errorOf(['s3cr3t']).hint).toMatch(/^write --webhook-secret PROVIDER=SECRET/);
  });

  it('an empty secret or one with surrounding spaces is refused', () => {
    expect(errorOf(['stripe=']).message).toBe('--webhook-secret stripe=: the secret is empty');
    expect(errorOf(['paddle= pdl_x']).message).toBe('--webhook-secret paddle=…: the secret begins or ends with white space');
  });

  it('never repeats a secret in a message or hint', () => {
    const secret = 'whsec_TOPSECRET_9f8e7d';
    for (const values of [[secret], [`strpe=${secret}`], [`mock=${secret}`], [`stripe= ${secret}`], ['stripe=ok', secret], [`${secret}==`], ['TOPSECRETbase64xyzAbcdefg==']]) {
      const e = errorOf(values);
      expect(`${e.message} ${e.hint}`).not.toContain('TOPSECRET');
    }
  });
});
