/**
 * A generated replay scenario for `examples/marketplace-policy.yaml` whose users spread over
 * shards and whose webhooks exercise everything a split replay has to get right: token-pack
 * payments consumed and then refunded in full by a refund that names only the charge (its user is
 * known only through the payment: clawback and shortfall), a refund that arrives before its
 * payment (a tombstone), the same event delivered twice, `pro_monthly` passes (one refunded in
 * full: a revocation), a partial refund, unresolved events (no user; an unknown offer), and
 * requests without a user. Deterministic (fixed seed, no clock).
 */
import { rng } from '../../bench/gen-policy.js';

/** Saturday 2025-11-22 07:00 UTC. */
export const SCENARIO_START = 1763794800000;

/** Users `s00` … `s<n-1>`. */
export function scenarioUser(i: number): string {
  return `s${String(i).padStart(2, '0')}`;
}

const ASSETS: readonly (readonly [string, string, Record<string, unknown> | undefined])[] = [
  ['model:llm-base', 'execute', undefined],
  ['model:llm-large', 'execute', undefined],
  ['content:article-1', 'read', { type: 'content', tags: [] }],
  ['dataset:training-corpus', 'download', undefined],
  ['dataset:training-corpus', 'derive', undefined],
];

/** The access log (JSON Lines text) and the webhook collection (JSON Lines text). */
export interface Scenario {
  readonly log: string;
  readonly webhooks: string;
  readonly users: readonly string[];
}

function mock(id: string, type: string, at: number, fields: Record<string, unknown>): Record<string, unknown> {
  return { provider: 'mock', id, type, occurred_at: at, ...fields };
}

/** `lines` requests of `users` users over about `lines × 20 s`, with their payments and refunds. */
export function generateScenario(users = 40, lines = 900, seed = 4242): Scenario {
  const r = rng(seed);
  const ids = Array.from({ length: users }, (_, i) => scenarioUser(i));
  const span = lines * 20_000;
  const at = (fraction: number): number => SCENARIO_START + Math.floor(span * fraction);
  const events: Record<string, unknown>[] = [];
  ids.forEach((u, i) => {
    if (i % 4 === 0) {
      // A token pack early on, spent, then (every other one) refunded in full naming only the charge.
      const pay = mock(`pay-${u}`, 'payment.succeeded', at(0.1 + (i / users) * 0.2), {
        user_id: u,
        offer_id: 'tokens_100',
        amount_minor: 1190,
        tax_minor: 190,
        currency: 'EUR',
        refs: { payment: `pi_${u}`, charge: `ch_${u}` },
      });
      events.push(pay);
      if (i % 8 === 0) events.push(pay); // delivered twice: a duplicate
      if (i % 8 === 4) events.push(mock(`refund-${u}`, 'refund.succeeded', at(0.7), { refs: { charge: `ch_${u}` }, refund: { full: true, amount_minor: 1190 } }));
    }
    if (i % 5 === 1) {
      events.push(mock(`pass-${u}`, 'payment.succeeded', at(0.3 + (i / users) * 0.3), { user_id: u, offer_id: 'pro_monthly', amount_minor: 3451, tax_minor: 551, currency: 'EUR', refs: { payment: `pi_pass_${u}`, charge: `ch_pass_${u}` } }));
    }
  });
  // A refund that arrives before its payment: the payment grants nothing.
  const late = ids[3]!;
  events.push(mock(`early-refund-${late}`, 'refund.succeeded', at(0.4), { refs: { charge: `ch_late_${late}` }, refund: { full: true, amount_minor: 1190 } }));
  events.push(mock(`late-pay-${late}`, 'payment.succeeded', at(0.4) + 5000, { user_id: late, offer_id: 'tokens_100', amount_minor: 1190, tax_minor: 190, currency: 'EUR', refs: { payment: `pi_late_${late}`, charge: `ch_late_${late}` } }));
  // A partial refund of a pass, naming only the payment.
  events.push(mock(`partial-${ids[1]!}`, 'refund.succeeded', at(0.8), { refs: { payment: `pi_pass_${ids[1]!}` }, refund: { full: false, amount_minor: 1000 } }));
  // A pass refunded in full, naming only the charge: its entitlement is revoked.
  events.push(mock(`pass-refund-${ids[6]!}`, 'refund.succeeded', at(0.75), { refs: { charge: `ch_pass_${ids[6]!}` }, refund: { full: true, amount_minor: 3451 } }));
  // Unresolved: a payment for no user, and one for an offer the policy does not have.
  events.push(mock('orphan-pay', 'payment.succeeded', at(0.5), { offer_id: 'tokens_100', amount_minor: 1190, currency: 'EUR', refs: { payment: 'pi_orphan' } }));
  events.push(mock(`legacy-${ids[2]!}`, 'payment.succeeded', at(0.55), { user_id: ids[2]!, offer_id: 'tokens_500', amount_minor: 4900, currency: 'EUR', refs: { payment: `pi_legacy_${ids[2]!}` } }));

  const tiers = ids.map(() => (r() < 0.5 ? 'free' : 'pro'));
  const balances = ids.map(() => Math.floor(r() * 40));
  const log: string[] = [];
  let time = SCENARIO_START;
  for (let n = 0; n < lines; n++) {
    time += 1 + Math.floor(r() * 39_000);
    const [assetId, action, asset] = ASSETS[Math.floor(r() * ASSETS.length)]!;
    const i = Math.floor(r() * users);
    const context = n % 97 === 50 ? { tier: 'free' } : { userId: ids[i]!, tier: tiers[i]!, tokenBalance: balances[i]!, entitlements: [], country: 'US' };
    log.push(JSON.stringify({ id: `q${n}`, assetId, action, timestamp: time, context, ...(asset ? { asset } : {}) }));
  }
  return { log: log.join('\n') + '\n', webhooks: events.map((e) => JSON.stringify(e)).join('\n') + '\n', users: ids };
}
