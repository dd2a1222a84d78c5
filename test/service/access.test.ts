/** checkAccess on a real SQLite file: the ledger as the source of the user, atomic deduction, decision records, modes, webhooks. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccessService } from '../../src/service/service.js';
import { openSqliteLedger } from '../../src/ledger/sqlite.js';
import { tempFolder } from '../helpers/tmp.js';
import { MIN, T0, dumpState, query, refund, service, testPolicy, tokenPack } from './fixture.js';

const dir = tempFolder('ledger-access-');

const req = (user: string, ctx: Record<string, unknown> = {}, action = 'read', assetId = 'doc:1') => ({ assetId, action, timestamp: T0, context: { userId: user, tier: 'free', tokenBalance: 0, entitlements: [], ...ctx } });

describe('checkAccess', () => {
  it('production: a context tokenBalance of 1e9 (or a tier, or entitlements) never raises what the ledger holds', () => {
    const { svc, store, path } = service(dir(), 'prod');
    const rich = req('u1', { tokenBalance: 1e9, tier: 'pro', entitlements: ['premium_pack'] });
    expect(svc.checkAccess(rich)).toEqual({ allowed: false, reason: 'insufficient_balance', policyId: 'token_read', cost: 2.5 });
    expect(svc.checkAccess({ ...rich, assetId: 'premium:x' })).toMatchObject({ allowed: false, reason: 'upgrade_required' });
    expect(query(path, 'SELECT tier, balance, opened_by FROM accounts')).toEqual([{ tier: 'free', balance: 0, opened_by: 'default' }]);
    svc.applyEvent(tokenPack('p', 'u1', 'pi_1', T0));
    expect(svc.checkAccess(rich)).toEqual({ allowed: true, policyId: 'token_read', cost: 2.5 });
    expect(query(path, 'SELECT balance FROM accounts')).toEqual([{ balance: 97_500_000 }]);
    store.close();
  });

  it('replay: the first request opens the account from its context; after that the ledger wins', () => {
    let now = T0;
    const { svc, store, path } = service(dir(), 'replay', 'replay', () => now);
    expect(svc.checkAccess(req('u2', { tokenBalance: 5, entitlements: ['premium_pack'] })).allowed).toBe(true);
    expect(query(path, 'SELECT balance, opened_by FROM accounts')).toEqual([{ balance: 2_500_000, opened_by: 'context' }]);
    now += 1000;
    // The second line claims 1000 tokens: ignored, the ledger's 2.5 pay for one more read, then the balance is empty.
    expect(svc.checkAccess(req('u2', { tokenBalance: 1000 })).allowed).toBe(true);
    expect(svc.checkAccess(req('u2', { tokenBalance: 1000 }))).toMatchObject({ allowed: false, reason: 'insufficient_balance' });
    // The context's entitlements were kept from the first line.
    expect(svc.checkAccess(req('u2', {}, 'read', 'premium:y')).allowed).toBe(true);
    expect(query(path, "SELECT kind, amount FROM ledger_entries ORDER BY id")).toEqual([
      { kind: 'open', amount: 5_000_000 },
      { kind: 'consume', amount: -2_500_000 },
      { kind: 'consume', amount: -2_500_000 },
    ]);
    store.close();
  });

  it('records every decision, denials and invalid requests included, with the policy hash', () => {
    const { svc, store, path } = service(dir(), 'records');
    svc.checkAccess(req('u3'));
    svc.checkAccess(42);
    svc.checkAccess({ assetId: 'doc:1', action: 'read', context: {} });
    expect(svc.checkAccess({ assetId: 'doc:1', action: 'read', context: { tier: 'pro' } })).toMatchObject({ allowed: false, reason: 'invalid_request', errors: [expect.stringMatching(/userId/)] });
    const rows = query(path, 'SELECT user_id, allowed, reason, policy_id, cost, charged, balance_after, policy_hash FROM decisions ORDER BY id');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ user_id: 'u3', allowed: 0, reason: 'insufficient_balance', policy_id: 'token_read', cost: 2_500_000, charged: 0, balance_after: 0, policy_hash: testPolicy().ir.hash });
    expect(rows.slice(1).map((r) => r.reason)).toEqual(['invalid_request', 'invalid_request', 'invalid_request']);
    store.close();
  });

  it('re-running the same requests (same request ids) and events on the same database charges and grants nothing twice', () => {
    const path = `${dir()}/rerun.sqlite`;
    const run = (): void => {
      const store = openSqliteLedger(path);
      const svc = createAccessService({ policy: testPolicy(), store, mode: 'replay', clock: () => T0 });
      svc.runBatch([
        { kind: 'event', event: tokenPack('p1', 'u4', 'pi_4', T0) },
        ...Array.from({ length: 30 }, (_, i) => ({ kind: 'access' as const, request: req(i % 2 ? 'u4' : 'u5', { tokenBalance: 10 }), requestId: `log:${i}` })),
      ]);
      store.close();
    };
    run();
    const balances = query(path, 'SELECT user_id, balance FROM accounts ORDER BY user_id');
    const counts = query(path, 'SELECT (SELECT COUNT(*) FROM decisions) AS d, (SELECT COUNT(*) FROM ledger_entries) AS l');
    expect(balances).toEqual([
      { user_id: 'u4', balance: 100_000_000 - 15 * 2_500_000 },
      { user_id: 'u5', balance: 0 },
    ]);
    run();
    expect(query(path, 'SELECT user_id, balance FROM accounts ORDER BY user_id')).toEqual(balances);
    expect(query(path, 'SELECT (SELECT COUNT(*) FROM decisions) AS d, (SELECT COUNT(*) FROM ledger_entries) AS l')).toEqual(counts);
  });

  it('a named delivery met again answers its recorded effect (replayed); another delivery of the event is a duplicate', () => {
    const { svc, store, path } = service(dir(), 'delivery', 'replay');
    const pack = tokenPack('p9', 'u9', 'pi_9', T0, { offerId: 'lifetime', amountMinor: 1999, currency: 'EUR', taxMinor: 319 });
    const back = refund('re_9', 'pi_9', T0 + MIN, 1999, true);
    const first = svc.runBatch([
      { kind: 'event', event: pack, delivery: 'hooks/pack.json' },
      { kind: 'event', event: back, delivery: 'hooks/all.jsonl:2' },
    ]);
    expect(first.map((r) => (r.kind === 'event' ? r.replayed : 'no'))).toEqual([undefined, undefined]);
    const state = dumpState(path);
    const again = svc.runBatch([
      { kind: 'event', event: pack, delivery: 'hooks/pack.json' },
      { kind: 'event', event: back, delivery: 'hooks/all.jsonl:2' },
      { kind: 'event', event: pack, delivery: 'hooks/copy.json' },
      { kind: 'event', event: pack },
    ]);
    expect(dumpState(path)).toEqual(state);
    const strip = ({ replayed: _r, ...rest }: Record<string, unknown>) => rest;
    expect(again[0]).toEqual({ ...first[0], replayed: true });
    expect(again[1]).toEqual({ ...first[1], replayed: true });
    expect(strip(again[1] as unknown as Record<string, unknown>)).toMatchObject({ outcome: 'applied', money: { currency: 'EUR', paidMinor: 0, taxMinor: 0, refundedMinor: 1999 }, revoked: ['premium_pack'] });
    expect(again[0]).toMatchObject({ outcome: 'applied', money: { currency: 'EUR', paidMinor: 1999, taxMinor: 319, refundedMinor: 0 } });
    expect(again[2]).toMatchObject({ outcome: 'duplicate', tokenDelta: 0 });
    expect(again[2]).not.toHaveProperty('money');
    expect(again[3]).toMatchObject({ outcome: 'duplicate' });
    store.close();
  });

  it('a batch is one transaction: a failure inside rolls back every item', () => {
    const { svc, store, path } = service(dir(), 'batch');
    const boom = { kind: 'event' as const, event: null as unknown as never };
    expect(() => svc.runBatch([{ kind: 'event', event: tokenPack('p', 'u6', 'pi_6', T0) }, boom])).toThrow();
    expect(query(path, 'SELECT COUNT(*) AS n FROM accounts')).toEqual([{ n: 0 }]);
    store.close();
  });

  it('never lets consumption take a balance below zero (micro-token costs included)', () => {
    const { svc, store, path } = service(dir(), 'floor');
    svc.applyEvent(tokenPack('p', 'u7', 'pi_7', T0));
    let allowed = 0;
    for (let i = 0; i < 45; i++) if (svc.checkAccess(req('u7')).allowed) allowed++;
    expect(allowed).toBe(40);
    expect(query(path, 'SELECT balance FROM accounts')).toEqual([{ balance: 0 }]);
    expect(svc.checkAccess(req('u7', {}, 'execute'))).toMatchObject({ allowed: false, reason: 'insufficient_balance', policyId: 'token_execute' });
    const sum = query(path, 'SELECT SUM(charged) AS s FROM decisions')[0]!.s;
    expect(sum).toBe(100_000_000);
    store.close();
  });
});

describe('handleWebhook', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ provider: 'mock', id: 'w1', type: 'payment.succeeded', occurred_at: T0, user_id: 'u8', offer_id: 'tokens_100', refs: { payment: 'pi_8' } });

  it('a bad signature or body is an outcome, never a throw; a missing secret is refused unless unsigned deliveries are allowed', () => {
    const { svc, store, path } = service(dir(), 'hook');
    expect(svc.handleWebhook({ headers: { 'stripe-signature': 't=1,v1=00' }, body: '{"object":"event"' }, { stripe: [secret] })).toMatchObject({ outcome: 'malformed' });
    expect(svc.handleWebhook({ headers: {}, body }, {})).toMatchObject({ outcome: 'invalid_signature', detail: expect.stringMatching(/no signing secret/) });
    expect(query(path, 'SELECT COUNT(*) AS n FROM processed_events')).toEqual([{ n: 0 }]);
    expect(svc.handleWebhook({ headers: {}, body: Buffer.from(body) }, {}, { allowUnsigned: true })).toMatchObject({ outcome: 'applied', userId: 'u8' });
    expect(svc.handleWebhook({ headers: {}, body }, {}, { allowUnsigned: true })).toMatchObject({ outcome: 'duplicate' });
    store.close();
  });

  it('verifies a Stripe signature before applying', () => {
    const { svc, store } = service(dir(), 'stripe');
    const t = Math.floor(T0 / 1000);
    const stripeBody = JSON.stringify({
      id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', created: t, livemode: false,
      data: { object: { id: 'pi_s1', object: 'payment_intent', amount_received: 1000, currency: 'eur', metadata: { user_id: 'u9', offer_id: 'tokens_100' }, latest_charge: 'ch_s1' } },
    });
    const sig = createHmac('sha256', secret).update(`${t}.${stripeBody}`).digest('hex');
    expect(svc.handleWebhook({ headers: { 'Stripe-Signature': `t=${t},v1=${'0'.repeat(64)}` }, body: stripeBody }, { stripe: [secret] })).toMatchObject({ outcome: 'invalid_signature' });
    expect(svc.handleWebhook({ headers: { 'Stripe-Signature': `t=${t},v1=${sig}` }, body: stripeBody }, { stripe: [secret] })).toMatchObject({ outcome: 'applied', userId: 'u9', tokenDelta: 100 });
    store.close();
  });
});
