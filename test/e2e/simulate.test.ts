/**
 * `monetize simulate` end to end: the real binary, a real SQLite ledger. A small scenario whose
 * report is checked against totals worked out by hand; re-runs on the same --db; --strict; usage
 * errors; signatures; byte-stable reports; -o never overwriting an input; and the bundled example
 * (examples/simulate/) equal to its generator's output and showing every part of the report.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DIR, LOG_PATH, simExample, STRIPE_TEST_SECRET } from '../../scripts/gen-sim-example.js';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const POLICY = 'examples/marketplace-policy.yaml';
const dir = tempFolder('monetize-sim-e2e-');

/** Saturday 2025-11-22 07:00 UTC: off-peak (no surge), a weekend (no student pricing). */
const T = 1763794800000;
const MIN = 60_000;

const req = (id: string, at: number, userId: string, tier: string, tokenBalance: number, assetId: string, action: string, asset?: Record<string, unknown>): Record<string, unknown> => ({
  id,
  assetId,
  action,
  timestamp: at,
  context: { userId, tier, tokenBalance, entitlements: [], country: 'US' },
  ...(asset ? { asset } : {}),
});
const ARTICLE = { type: 'content', tags: [] };

/*
 * The scenario: three users, twelve requests, four webhooks (one delivered twice). Every request is
 * off-peak on a Saturday and from the US (no surge, no student price, no EU uplift), so:
 *   model:llm-base execute = 0.02 × 100 = 2, model:llm-large execute = 0.09 × 100 × 2 (premium) = 18,
 *   an article read = 1, dataset:training-corpus download = 1 × 10 (download) × 2 (premium) = 20.
 *
 *  #  time    user   request                    decision                                     balance after
 *  1  +0      alice  llm-base execute           allow model_inference, 2                     alice 10 → 8
 *  2  +1m     bob    llm-base execute           deny paywall upgrade_required (free tier)    bob 0  (funnel: paywalled)
 *  3  +2m     carol  llm-large execute          allow model_inference, 18                    carol 30 → 12
 *  4  +3m     alice  llm-large execute          allow 18 > 8: deny insufficient_balance      alice 8
 *  5  +4m     bob    article read               deny paywall upgrade_required                bob 0
 *     +5m     W1 Stripe payment_intent.succeeded, bob, tokens_100, 1190 (no tax in it)    bob +100 (applied; paid 1190; funnel: paid)
 *     +5m2s   W2 Stripe checkout.session.completed, same PaymentIntent, 1190 incl. tax 190: a second report of
 *             the same payment (ignored, grants nothing) that brings the tax: tax +190
 *     (W2 again, from a second file: duplicate)
 *  6  +6m     bob    llm-base execute           deny paywall upgrade_required (tokens do not make bob pro)
 *  7  +7m     bob    article read               allow token_access, 1                        bob 100 → 99 (funnel: accessed)
 *  8  +8m     bob    dataset download           allow token_access, 20                       bob 99 → 79
 *  9  +9m     carol  article read               allow token_access, 1                        carol 12 → 11
 *     +10m    W3 mock payment.succeeded, carol, pro_monthly, 3451 incl. tax 551            carol +500 → 511 (applied)
 * 10  +11m    alice  dataset derive             deny derive_needs_licence licence_required   alice 8
 * 11  +12m    carol  llm-large execute          allow model_inference, 18                    carol 511 → 493
 *     +15m    W4 Stripe charge.refunded, bob's charge, 1190 of 1190 (full)                 bob: 79 clawed back, 21 shortfall → 0 (applied; refunded 1190)
 * 12  +16m    bob    article read               deny paywall upgrade_required                bob 0
 *
 * decisions 12: allowed 6 (#1 3 7 8 9 11), denied 6: upgrade_required 4 (#2 5 6 12), insufficient_balance 1 (#4),
 *   licence_required 1 (#10); by rule: model_inference 4 (#1 3 4 11), paywall 4, token_access 3 (#7 8 9),
 *   derive_needs_licence 1.
 * tokens charged: 2 + 18 + 1 + 20 + 1 + 18 = 60.
 * revenue (EUR): gross 1190 + 3451 = 4641, refunded 1190, tax 190 + 551 = 741, net 4641 − 1190 = 3451.
 * webhooks: applied 3 (W1 W3 W4), ignored 1 (W2), duplicate 1 (W2 again).
 * insufficient balance: alice (1 user, 1 denial). funnel: bob paywalled → paid (W1) → accessed (#7): 1 → 1 → 1.
 * final balances: alice 8, bob 0, carol 493.
 */
const LOG = [
  req('r01', T, 'alice', 'pro', 10, 'model:llm-base', 'execute'),
  req('r02', T + 1 * MIN, 'bob', 'free', 0, 'model:llm-base', 'execute'),
  req('r03', T + 2 * MIN, 'carol', 'pro', 30, 'model:llm-large', 'execute'),
  req('r04', T + 3 * MIN, 'alice', 'pro', 10, 'model:llm-large', 'execute'),
  req('r05', T + 4 * MIN, 'bob', 'free', 0, 'content:article-1', 'read', ARTICLE),
  req('r06', T + 6 * MIN, 'bob', 'free', 0, 'model:llm-base', 'execute'),
  req('r07', T + 7 * MIN, 'bob', 'free', 0, 'content:article-2', 'read', ARTICLE),
  req('r08', T + 8 * MIN, 'bob', 'free', 0, 'dataset:training-corpus', 'download'),
  req('r09', T + 9 * MIN, 'carol', 'pro', 30, 'content:article-3', 'read', ARTICLE),
  req('r10', T + 11 * MIN, 'alice', 'pro', 10, 'dataset:training-corpus', 'derive'),
  req('r11', T + 12 * MIN, 'carol', 'pro', 30, 'model:llm-large', 'execute'),
  req('r12', T + 16 * MIN, 'bob', 'free', 0, 'content:article-4', 'read', ARTICLE),
];

const stripeEvent = (id: string, type: string, atMs: number, object: Record<string, unknown>): Record<string, unknown> => ({
  id,
  object: 'event',
  api_version: '2025-03-31.basil',
  created: atMs / 1000,
  data: { object },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
});
const W1 = stripeEvent('evt_bob_pi', 'payment_intent.succeeded', T + 5 * MIN, {
  id: 'pi_bob',
  object: 'payment_intent',
  amount: 1190,
  amount_received: 1190,
  currency: 'eur',
  latest_charge: 'ch_bob',
  metadata: { user_id: 'bob', offer_id: 'tokens_100' },
  status: 'succeeded',
});
const W2 = stripeEvent('evt_bob_cs', 'checkout.session.completed', T + 5 * MIN + 2000, {
  id: 'cs_test_bob',
  object: 'checkout.session',
  amount_subtotal: 1000,
  amount_total: 1190,
  client_reference_id: 'bob',
  currency: 'eur',
  metadata: { user_id: 'bob', offer_id: 'tokens_100' },
  mode: 'payment',
  payment_intent: 'pi_bob',
  payment_status: 'paid',
  status: 'complete',
  total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 190 },
});
const W3 = { provider: 'mock', id: 'carol-pro', type: 'payment.succeeded', occurred_at: T + 10 * MIN, user_id: 'carol', offer_id: 'pro_monthly', amount_minor: 3451, currency: 'EUR', tax_minor: 551, refs: { payment: 'pay-carol' } };
const W4 = stripeEvent('evt_bob_refund', 'charge.refunded', T + 15 * MIN, {
  id: 'ch_bob',
  object: 'charge',
  amount: 1190,
  amount_captured: 1190,
  amount_refunded: 1190,
  currency: 'eur',
  metadata: { user_id: 'bob' },
  payment_intent: 'pi_bob',
  refunded: true,
  status: 'succeeded',
});

interface Scenario {
  readonly log: string;
  readonly hooks: string;
}

/** Write the scenario under `sub` of the temp folder: the log and a webhook folder (W2 twice). */
function writeScenario(sub: string, lines: readonly string[] = LOG.map((l) => JSON.stringify(l))): Scenario {
  const root = join(dir(), sub);
  const hooks = join(root, 'hooks');
  mkdirSync(hooks, { recursive: true });
  const log = join(root, 'access.jsonl');
  writeFileSync(log, `${lines.join('\n')}\n`);
  writeFileSync(join(hooks, '1-pi.json'), JSON.stringify(W1));
  writeFileSync(join(hooks, '2-checkout.json'), JSON.stringify(W2));
  writeFileSync(join(hooks, '3-carol.json'), JSON.stringify(W3));
  writeFileSync(join(hooks, '4-refund.json'), JSON.stringify(W4));
  writeFileSync(join(hooks, 'retries.jsonl'), `${JSON.stringify(W2)}\n`);
  return { log, hooks };
}

interface Report {
  decisions: { total: number; allowed: number; denied: number; byReason: Record<string, number>; byPolicy: Record<string, number> };
  tokens: { charged: number; chargedMicro: number };
  revenue: { currency: string; grossMinor: number; refundedMinor: number; taxMinor: number; netMinor: number; otherCurrencies: string[] };
  webhooks: Record<string, unknown>;
  revocations: { count: number; samples: { userId: string; entitlement: string; kind: string }[] };
  insufficientBalance: { users: number; decisions: number; samples: string[] };
  funnel: { paywalled: number; paidAfter: number; accessedAfter: number };
  rejected: { count: number; samples: { file: string; line: number; message: string }[] };
}

function simulateJson(...args: string[]): Report {
  const r = monetize('simulate', POLICY, '--format', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** Every table a re-run must leave alone, read with better-sqlite3. */
function tables(db: string): Record<string, unknown[]> {
  const d = new Database(db, { readonly: true });
  try {
    return {
      accounts: d.prepare('SELECT * FROM accounts ORDER BY user_id').all(),
      ledger_entries: d.prepare('SELECT * FROM ledger_entries ORDER BY rowid').all(),
      payments: d.prepare('SELECT * FROM payments ORDER BY 1').all(),
      processed_events: d.prepare('SELECT * FROM processed_events ORDER BY provider, event_id').all(),
      decisions: d.prepare('SELECT * FROM decisions ORDER BY rowid').all(),
    };
  } finally {
    d.close();
  }
}

beforeAll(() => requireBuild());

describe('monetize simulate: a hand-checked scenario', () => {
  it('reports exactly the totals worked out by hand', () => {
    const s = writeScenario('hand');
    const r = simulateJson('--replay', s.log, '--webhooks', s.hooks);
    expect(r.decisions).toMatchObject({
      total: 12,
      allowed: 6,
      denied: 6,
      byReason: { upgrade_required: 4, insufficient_balance: 1, licence_required: 1 },
      byPolicy: { model_inference: 4, paywall: 4, token_access: 3, derive_needs_licence: 1 },
    });
    expect(Object.keys(r.decisions.byReason)).toHaveLength(3);
    expect(Object.keys(r.decisions.byPolicy)).toHaveLength(4);
    expect(r.tokens).toEqual({ charged: 60, chargedMicro: 60_000_000 });
    expect(r.revenue).toEqual({ currency: 'EUR', grossMinor: 4641, refundedMinor: 1190, taxMinor: 741, netMinor: 3451, otherCurrencies: [] });
    expect(r.webhooks).toMatchObject({ applied: 3, duplicate: 1, ignored: 1, unresolved: 0, invalidSignature: 0, outOfOrder: 0, malformed: 0 });
    expect(r.insufficientBalance).toEqual({ users: 1, decisions: 1, samples: ['alice'] });
    expect(r.funnel).toEqual({ paywalled: 1, paidAfter: 1, accessedAfter: 1 });
    expect(r.revocations.count).toBe(0);
    expect(r.rejected).toEqual({ count: 0, samples: [] });
  });

  it('leaves the balances worked out by hand in the --db ledger', () => {
    const s = writeScenario('balances');
    const db = join(dir(), 'balances', 'ledger.sqlite');
    simulateJson('--replay', s.log, '--webhooks', s.hooks, '--db', db);
    const d = new Database(db, { readonly: true });
    const balances = d.prepare('SELECT user_id, balance FROM accounts ORDER BY user_id').all();
    const shortfall = d.prepare("SELECT SUM(amount) AS n FROM ledger_entries WHERE kind = 'shortfall'").get() as { n: number };
    d.close();
    // Micro-tokens: alice 8, bob 0 (79 clawed back), carol 493; bob's shortfall is the 21 he spent.
    expect(balances).toEqual([
      { user_id: 'alice', balance: 8_000_000 },
      { user_id: 'bob', balance: 0 },
      { user_id: 'carol', balance: 493_000_000 },
    ]);
    expect(Math.abs(shortfall.n)).toBe(21_000_000);
  });

  it('re-run on the same --db changes nothing and reports the same history, byte for byte', () => {
    const s = writeScenario('rerun');
    const db = join(dir(), 'rerun', 'ledger.sqlite');
    const first = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--db', db, '--format', 'json');
    expect(first.status).toBe(0);
    const before = tables(db);
    expect(before['decisions']).toHaveLength(12);
    const second = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--db', db, '--format', 'json');
    expect(second.status).toBe(0);
    // Nothing charged or granted twice: every table is as the first run left it.
    expect(tables(db)).toEqual(before);
    // Decisions are answered from their records (tier included), each delivery from its recorded
    // effect, and the repeated delivery is a duplicate again: the report is the first run's.
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(second.stdout) as Report;
    expect(report.webhooks).toMatchObject({ applied: 3, duplicate: 1, ignored: 1 });
    expect(report.revenue.grossMinor).toBeGreaterThan(0);
    // The same deliveries through another path (a folder given twice) are still read once.
    const third = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--webhooks', s.hooks, '--db', db, '--format', 'json');
    expect(third.stdout).toBe(first.stdout);
  });

  it('gives a byte-identical json report for the same inputs', () => {
    const s = writeScenario('stable');
    const a = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--format', 'json');
    const b = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--format', 'json');
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(b.stdout).toBe(a.stdout);
    const out = join(dir(), 'stable', 'report.json');
    const c = monetize('simulate', POLICY, '--replay', s.log, '--webhooks', s.hooks, '--format', 'json', '-o', out);
    expect(c.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
  });
});

describe('monetize simulate: bad input', () => {
  it('--strict stops at a malformed line with exit 1; the batch it fell in is not in the db', () => {
    const root = join(dir(), 'strict');
    mkdirSync(root, { recursive: true });
    // 2,500 lines of one user reading articles (1 token each); line 2,200 is not JSON. The replay
    // commits 1,000 items a transaction: whole batches before the bad line are kept (how many
    // depends on how far the reorder window had released lines), the batch it fell in is not.
    const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify(req(`s${i + 1}`, T + i * 1000, 'dana', 'pro', 5000, 'content:article-1', 'read', ARTICLE)));
    lines[2199] = '{"id": "s2200", "timestamp": ';
    const log = join(root, 'access.jsonl');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const db = join(root, 'ledger.sqlite');
    const r = monetize('simulate', POLICY, '--replay', log, '--db', db, '--strict');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${log}:2200:`);
    expect(r.stderr).toContain('--strict');
    const d = new Database(db, { readonly: true });
    const decisions = d.prepare('SELECT COUNT(*) AS n FROM decisions').get() as { n: number };
    const balance = d.prepare("SELECT balance FROM accounts WHERE user_id = 'dana'").get() as { balance: number };
    d.close();
    expect(decisions.n).toBeGreaterThanOrEqual(1000);
    expect(decisions.n % 1000).toBe(0);
    expect(decisions.n).toBeLessThan(2199);
    expect(balance.balance).toBe((5000 - decisions.n) * 1_000_000);

    // Without --strict the same log replays every valid line and counts the bad one.
    const lenient = simulateJson('--replay', log);
    expect(lenient.decisions.total).toBe(2499);
    expect(lenient.rejected.count).toBe(1);
    expect(lenient.rejected.samples[0]).toMatchObject({ file: log, line: 2200 });
  });

  it('no --replay at all is a usage error (exit 2) with the fix, not an empty report', () => {
    const r = monetize('simulate', POLICY);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no access log: give one with --replay <log.jsonl>');
  });

  it('a missing log is a usage error (exit 2)', () => {
    const missing = join(dir(), 'no-such-log.jsonl');
    const r = monetize('simulate', POLICY, '--replay', missing);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toMatch(/no such file/);
  });

  it('a bad --webhook-secret is a usage error with a hint, and the secret is not repeated', () => {
    const s = writeScenario('secret');
    const typo = monetize('simulate', POLICY, '--replay', s.log, '--webhook-secret', 'strpe=whsec_do_not_print');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown provider');
    expect(typo.stderr).toMatch(/help: did you mean 'stripe'/);
    const bare = monetize('simulate', POLICY, '--replay', s.log, '--webhook-secret', 'whsec_do_not_print');
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/help: it looks like a stripe secret: write --webhook-secret stripe=whsec_/);
    for (const r of [typo, bare]) expect(r.stderr).not.toContain('do_not_print');
  });

  it('a tampered envelope is counted as an invalid signature when a secret is given', () => {
    const s = writeScenario('signed');
    const secret = 'whsec_e2e_test_secret';
    const body = JSON.stringify(W1);
    const header = new Stripe('sk_test_not_used_offline').webhooks.generateTestHeaderString({ payload: body, secret, timestamp: T / 1000 + 5 * 60 + 1 });
    // The signed PaymentIntent replaces the bare one; W1 signed and intact, then the same with its amount changed.
    writeFileSync(join(s.hooks, '1-pi.json'), JSON.stringify({ headers: { 'Stripe-Signature': header }, body }));
    const good = simulateJson('--replay', s.log, '--webhooks', s.hooks, '--webhook-secret', `stripe=${secret}`);
    expect(good.webhooks).toMatchObject({ applied: 3, invalidSignature: 0 });
    expect(good.revenue.grossMinor).toBe(4641);

    writeFileSync(join(s.hooks, '1-pi.json'), JSON.stringify({ headers: { 'Stripe-Signature': header }, body: body.replace('"amount":1190', '"amount":119') }));
    const bad = simulateJson('--replay', s.log, '--webhooks', s.hooks, '--webhook-secret', `stripe=${secret}`);
    expect(bad.webhooks).toMatchObject({ invalidSignature: 1 });
    expect(bad.rejected.count).toBe(1);
    expect(bad.rejected.samples[0]!.file).toBe(join(s.hooks, '1-pi.json'));
    expect(bad.rejected.samples[0]!.message).not.toContain(secret);
    // The payment now first arrives with the Checkout Session: the same money, once.
    expect(bad.revenue.grossMinor).toBe(4641);
  });

  it('-o refuses to write over the policy or the log, and leaves them as they were', () => {
    const s = writeScenario('overwrite');
    const policyBefore = readFileSync(join(ROOT, POLICY), 'utf8');
    const logBefore = readFileSync(s.log, 'utf8');
    const copy = join(dir(), 'overwrite', 'policy.yaml');
    copyFileSync(join(ROOT, POLICY), copy);
    for (const [policy, target] of [
      [POLICY, s.log],
      [POLICY, `./${POLICY}`],
      [copy, copy],
    ] as const) {
      const r = monetize('simulate', policy, '--replay', s.log, '-o', target);
      expect(r.status, `-o ${target}`).toBe(2);
      expect(r.stderr).toMatch(/refusing to write .* over the input/);
    }
    expect(readFileSync(join(ROOT, POLICY), 'utf8')).toBe(policyBefore);
    expect(readFileSync(s.log, 'utf8')).toBe(logBefore);
    expect(readFileSync(copy, 'utf8')).toBe(policyBefore);
  });
});

describe('the bundled example (examples/simulate)', () => {
  it('is the output of scripts/gen-sim-example.ts (regenerate: npm run build && node dist/scripts/gen-sim-example.js)', () => {
    const ex = simExample();
    expect(gunzipSync(readFileSync(join(ROOT, LOG_PATH))).toString('utf8')).toBe(ex.log);
    expect(ex.log.split('\n').length - 1).toBeGreaterThan(2000);
    const hooksDir = join(ROOT, EXAMPLE_DIR, 'webhooks');
    const onDisk: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d).sort()) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else onDisk.push(relative(hooksDir, p));
      }
    };
    walk(hooksDir);
    expect(onDisk.sort()).toEqual(ex.webhooks.map((h) => h.path).sort());
    for (const h of ex.webhooks) expect(readFileSync(join(hooksDir, h.path), 'utf8'), h.path).toBe(h.content);
    expect(readFileSync(join(ROOT, EXAMPLE_DIR, 'README.md'), 'utf8')).toContain(STRIPE_TEST_SECRET);
  });

  it('replays into a report with revenue, a refund, revocations, short users, a duplicate and the funnel', () => {
    const args = ['--replay', LOG_PATH, '--webhooks', `${EXAMPLE_DIR}/webhooks`, '--webhook-secret', `stripe=${STRIPE_TEST_SECRET}`];
    const r = simulateJson(...args);
    expect(r.decisions.total).toBe(2410);
    expect(r.rejected.count).toBe(0);
    expect(r.revenue.grossMinor).toBeGreaterThan(0);
    expect(r.revenue.refundedMinor).toBeGreaterThan(0);
    expect(r.revenue.taxMinor).toBeGreaterThan(0);
    expect(r.revenue.otherCurrencies).toEqual(['USD']);
    expect(r.revocations.samples.map((x) => `${x.userId} ${x.kind}`).sort()).toEqual(['fraud_01 dispute.lost', 'up_08 payment.succeeded']);
    expect(r.insufficientBalance.users).toBeGreaterThan(0);
    expect(r.webhooks).toMatchObject({ duplicate: 1, unresolved: 1, invalidSignature: 0 });
    expect(r.funnel.paywalled).toBeGreaterThan(r.funnel.paidAfter);
    expect(r.funnel.accessedAfter).toBeGreaterThan(0);
    expect(r.decisions.byReason['insufficient_balance']).toBeGreaterThan(0);
    // The pretty report names each of them.
    const pretty = monetize('simulate', POLICY, ...args);
    expect(pretty.status).toBe(0);
    for (const words of ['Revenue', 'refunded', 'Revocations  2', 'Insufficient balance', 'duplicate 1', 'Paywall funnel', 'payments in USD']) expect(pretty.stdout).toContain(words);
    // With another secret the signed envelope is refused, not applied.
    const wrong = simulateJson('--replay', LOG_PATH, '--webhooks', `${EXAMPLE_DIR}/webhooks`, '--webhook-secret', 'stripe=whsec_not_the_one');
    expect(wrong.webhooks).toMatchObject({ invalidSignature: 1 });
  });
});
