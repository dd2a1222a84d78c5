/**
 * Generates the `monetize simulate` example in examples/simulate/ for examples/marketplace-policy.yaml:
 * two weeks of an access log (a few thousand lines) and the Stripe and Paddle webhooks of the same
 * users. Deterministic: a fixed seed, fixed dates, no clock; the same output on every run. Run after a
 * build: `node dist/scripts/gen-sim-example.js` (a test keeps the committed files equal to the output).
 *
 * The stories in the data:
 * - enterprise users use everything for free; students run models off-peak at half price;
 * - pro users run models, read articles and download datasets; some try to derive from a premium
 *   asset without a licence;
 * - free users read a few articles with their starter tokens and hit the paywall on models; eight
 *   of them buy `pro_monthly` (five through Stripe subscriptions, three through Paddle, one of those
 *   in USD) and come back; two buy a `tokens_100` top-up;
 * - heavy pro users run out of tokens (insufficient balance, then the paywall), buy `tokens_100`
 *   (Stripe or Paddle) and come back;
 * - one Stripe top-up is delivered twice; one is refunded in full after some of it was spent; one
 *   `pro_monthly` pass is disputed and the dispute lost; one Paddle `pro_monthly` transaction is
 *   refunded by an adjustment dated before the transaction completed (the refund arrives first);
 *   one checkout names an offer the policy no longer has; one delivery is a signed envelope.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Stripe from 'stripe';
import { rng as prng } from '../bench/gen-policy.js';

/** The folder the example is written to, relative to the package root. */
export const EXAMPLE_DIR = 'examples/simulate';
/** The access log, relative to the package root. */
export const LOG_PATH = `${EXAMPLE_DIR}/access.jsonl.gz`;
/** The Stripe test signing secret of the one signed envelope (written in examples/simulate/README.md). */
export const STRIPE_TEST_SECRET = 'whsec_monetize_example_0123456789abcdef';

/** Monday 2025-11-03 00:00 UTC: the first day of the log. */
const T0 = Date.UTC(2025, 10, 3);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const DAYS = 14;


/** The seed: change it and the whole example changes. */
const SEED = 20251103;
let rand = prng(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (n: number): string => Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');
const lower = (n: number): string => Array.from({ length: n }, () => '0123456789abcdefghjkmnpqrstvwxyz'[Math.floor(rand() * 32)]).join('');

// ---------------------------------------------------------------------------------------------
// The access log

interface User {
  readonly id: string;
  readonly tier: 'free' | 'pro' | 'enterprise';
  readonly tokenBalance: number;
  readonly country: string;
  readonly segment?: 'student';
}

type Use = 'model' | 'large' | 'article' | 'sdk' | 'dataset' | 'derive' | 'beta';

interface Line {
  readonly timestamp: number;
  readonly user: User;
  readonly use: Use;
}

const COUNTRIES = ['DE', 'DE', 'FR', 'NL', 'US', 'US', 'GB', 'ES', 'NO'];

function request(id: string, line: Line): Record<string, unknown> {
  const u = line.user;
  const context = { userId: u.id, tier: u.tier, tokenBalance: u.tokenBalance, entitlements: [], country: u.country, ...(u.segment ? { segment: u.segment } : {}) };
  const base = { id, timestamp: line.timestamp };
  switch (line.use) {
    case 'model':
      return { ...base, assetId: 'model:llm-base', action: 'execute', context };
    case 'large':
      return { ...base, assetId: 'model:llm-large', action: 'execute', context };
    case 'article':
      return { ...base, assetId: `content:article-${int(1, 40)}`, action: 'read', context, asset: { type: 'content', tags: [] } };
    case 'sdk':
      return { ...base, assetId: 'code:sdk', action: 'download', context };
    case 'dataset':
      return { ...base, assetId: 'dataset:training-corpus', action: 'download', context };
    case 'derive':
      return { ...base, assetId: 'dataset:training-corpus', action: 'derive', context };
    case 'beta':
      return { ...base, assetId: 'beta:agent-v0', action: 'execute', context, asset: { type: 'model', tags: [] } };
  }
}

/** `n` requests of one user in one sitting starting at `start`, 20 s to 3 min apart. */
function session(user: User, start: number, uses: readonly Use[], n: number): Line[] {
  const out: Line[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    out.push({ timestamp: t, user, use: pick(uses) });
    t += int(20, 180) * 1000 + int(0, 999);
  }
  return out;
}

/** A time on day `day` (0-based) between `fromHour` and `toHour` (UTC). */
const at = (day: number, fromHour: number, toHour: number): number => T0 + day * DAY + int(fromHour * 60, toHour * 60 - 1) * 60_000 + int(0, 59_999);

/** Sessions of one user on random days in [fromDay, toDay]. */
function sessions(user: User, fromDay: number, toDay: number, count: number, uses: readonly Use[], perSession: [number, number], hours: [number, number] = [7, 23]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < count; i++) out.push(...session(user, at(int(fromDay, toDay), hours[0], hours[1]), uses, int(...perSession)));
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Webhooks

interface Webhook {
  /** Path under examples/simulate/webhooks/. */
  readonly path: string;
  readonly content: string;
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const secs = (ms: number): number => Math.floor(ms / 1000);
const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '123Z');

/** Prices with EU VAT at 19 % (Germany) unless said otherwise, in cents. */
const TOKENS_100 = { net: 1000, tax: 190 };
const PRO_MONTHLY = { net: 2900, tax: 551 };

function stripeEvent(type: string, createdMs: number, object: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `evt_${token(24)}`,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: secs(createdMs),
    data: { object, ...extra },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

interface StripeCheckout {
  readonly event: Record<string, unknown>;
  readonly paymentIntent: string | null;
  readonly charge: string;
  readonly customer: string;
}

/** A Checkout Session paid in payment mode (a one-time purchase). */
function stripeCheckoutPayment(userId: string, offerId: string, price: { net: number; tax: number }, paidMs: number): StripeCheckout {
  const pi = `pi_3${token(23)}`;
  const customer = `cus_${token(14)}`;
  const object = {
    id: `cs_test_${token(24)}`,
    object: 'checkout.session',
    amount_subtotal: price.net,
    amount_total: price.net + price.tax,
    client_reference_id: userId,
    created: secs(paidMs) - 95,
    currency: 'eur',
    customer,
    expires_at: secs(paidMs) + 86_305,
    invoice: null,
    livemode: false,
    metadata: { user_id: userId, offer_id: offerId },
    mode: 'payment',
    payment_intent: pi,
    payment_status: 'paid',
    status: 'complete',
    subscription: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: price.tax },
    url: null,
  };
  return { event: stripeEvent('checkout.session.completed', paidMs, object), paymentIntent: pi, charge: `ch_3${token(23)}`, customer };
}

/** The PaymentIntent of a one-time Checkout purchase: the same payment reported again, with its charge. */
function stripePaymentIntent(userId: string, offerId: string, c: StripeCheckout, amount: number, paidMs: number): Record<string, unknown> {
  return stripeEvent('payment_intent.succeeded', paidMs - 2000, {
    id: c.paymentIntent,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: amount,
    capture_method: 'automatic_async',
    created: secs(paidMs) - 60,
    currency: 'eur',
    customer: c.customer,
    latest_charge: c.charge,
    livemode: false,
    metadata: { user_id: userId, offer_id: offerId },
    payment_method_types: ['card'],
    status: 'succeeded',
  });
}

/** A subscription bought through Checkout: the session, the subscription and its first invoice. */
function stripeSubscription(userId: string, paidMs: number): Record<string, unknown>[] {
  const sub = `sub_1${token(23)}`;
  const inv = `in_1${token(23)}`;
  const customer = `cus_${token(14)}`;
  const periodEnd = secs(paidMs + 30 * DAY);
  const total = PRO_MONTHLY.net + PRO_MONTHLY.tax;
  const session = stripeEvent('checkout.session.completed', paidMs, {
    id: `cs_test_${token(24)}`,
    object: 'checkout.session',
    amount_subtotal: PRO_MONTHLY.net,
    amount_total: total,
    client_reference_id: userId,
    created: secs(paidMs) - 120,
    currency: 'eur',
    customer,
    invoice: inv,
    livemode: false,
    metadata: { user_id: userId, offer_id: 'pro_monthly' },
    mode: 'subscription',
    payment_intent: null,
    payment_status: 'paid',
    status: 'complete',
    subscription: sub,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: PRO_MONTHLY.tax },
    url: null,
  });
  const subscription = stripeEvent('customer.subscription.created', paidMs + 1000, {
    id: sub,
    object: 'subscription',
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    collection_method: 'charge_automatically',
    created: secs(paidMs) - 3,
    currency: 'eur',
    customer,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${token(14)}`,
          object: 'subscription_item',
          current_period_end: periodEnd,
          current_period_start: secs(paidMs) - 3,
          price: { id: 'price_pro_monthly_eur_2025', object: 'price', active: true, currency: 'eur', product: 'prod_MarketplacePro', recurring: { interval: 'month', interval_count: 1 }, type: 'recurring', unit_amount: PRO_MONTHLY.net },
          quantity: 1,
          subscription: sub,
        },
      ],
      has_more: false,
      total_count: 1,
    },
    latest_invoice: inv,
    livemode: false,
    metadata: { user_id: userId, offer_id: 'pro_monthly' },
    start_date: secs(paidMs) - 3,
    status: 'active',
  });
  const taxes = [{ amount: PRO_MONTHLY.tax, tax_behavior: 'exclusive', taxability_reason: 'standard_rated', taxable_amount: PRO_MONTHLY.net, type: 'tax_rate_details', tax_rate_details: { tax_rate: 'txr_DE19' } }];
  const invoice = stripeEvent('invoice.paid', paidMs + 2000, {
    id: inv,
    object: 'invoice',
    account_country: 'IE',
    amount_due: total,
    amount_paid: total,
    amount_remaining: 0,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_create',
    collection_method: 'charge_automatically',
    created: secs(paidMs) - 3,
    currency: 'eur',
    customer,
    lines: {
      object: 'list',
      data: [
        {
          id: `il_${token(24)}`,
          object: 'line_item',
          amount: PRO_MONTHLY.net,
          currency: 'eur',
          description: '1 × Marketplace Pro (at €29.00 / month)',
          metadata: {},
          parent: { type: 'subscription_item_details', subscription_item_details: { subscription: sub, proration: false } },
          period: { end: periodEnd, start: secs(paidMs) - 3 },
          pricing: { price_details: { price: 'price_pro_monthly_eur_2025', product: 'prod_MarketplacePro' }, type: 'price_details', unit_amount_decimal: String(PRO_MONTHLY.net) },
          quantity: 1,
          taxes,
        },
      ],
      has_more: false,
      total_count: 1,
    },
    livemode: false,
    metadata: {},
    parent: { type: 'subscription_details', subscription_details: { metadata: { user_id: userId, offer_id: 'pro_monthly' }, subscription: sub } },
    status: 'paid',
    subtotal: PRO_MONTHLY.net,
    total,
    total_taxes: taxes,
  });
  return [session, subscription, invoice];
}

function stripeRefund(userId: string, c: StripeCheckout, amount: number, refundedMs: number): Record<string, unknown> {
  return stripeEvent(
    'charge.refunded',
    refundedMs,
    {
      id: c.charge,
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: amount,
      captured: true,
      created: secs(refundedMs) - 3 * 86_400,
      currency: 'eur',
      customer: c.customer,
      disputed: false,
      livemode: false,
      metadata: { user_id: userId },
      paid: true,
      payment_intent: c.paymentIntent,
      refunded: true,
      status: 'succeeded',
    },
    { previous_attributes: { amount_refunded: 0, refunded: false } },
  );
}

function stripeDispute(type: 'charge.dispute.created' | 'charge.dispute.closed', status: string, c: StripeCheckout, disputeId: string, amount: number, ms: number, openedMs: number): Record<string, unknown> {
  return stripeEvent(type, ms, {
    id: disputeId,
    object: 'dispute',
    amount,
    balance_transactions: [],
    charge: c.charge,
    created: secs(openedMs),
    currency: 'eur',
    evidence_details: { due_by: secs(openedMs) + 9 * 86_400, has_evidence: status === 'lost', past_due: false, submission_count: status === 'lost' ? 1 : 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: c.paymentIntent,
    reason: 'fraudulent',
    status,
  });
}

interface PaddleTxn {
  readonly event: Record<string, unknown>;
  readonly transaction: string;
  readonly subscription: string | null;
  readonly customer: string;
  readonly itemId: string;
}

function paddleEvent(type: string, ms: number, data: Record<string, unknown>): Record<string, unknown> {
  return { event_id: `evt_01${lower(24)}`, event_type: type, occurred_at: iso(ms), notification_id: `ntf_01${lower(24)}`, data };
}

/** A completed Paddle transaction; `subscription` for a recurring price. */
function paddleTransaction(userId: string, offerId: string, priceId: string, price: { net: number; tax: number; rate: string }, currency: string, ms: number, recurring: boolean): PaddleTxn {
  const txn = `txn_01${lower(24)}`;
  const sub = recurring ? `sub_01${lower(24)}` : null;
  const customer = `ctm_01${lower(24)}`;
  const itemId = `txnitm_01${lower(24)}`;
  const total = String(price.net + price.tax);
  const totals = { fee: String(Math.round((price.net + price.tax) * 0.05 + 50)), tax: String(price.tax), total, credit: '0', balance: '0', discount: '0', earnings: String(price.net - Math.round((price.net + price.tax) * 0.05 + 50)), subtotal: String(price.net), grand_total: total, currency_code: currency, credit_to_balance: '0' };
  const event = paddleEvent('transaction.completed', ms, {
    id: txn,
    items: [
      {
        price: {
          id: priceId,
          name: offerId === 'pro_monthly' ? 'Marketplace Pro, monthly' : '100 tokens',
          type: 'standard',
          status: 'active',
          tax_mode: 'account_setting',
          product_id: offerId === 'pro_monthly' ? 'pro_01jmarketplacepro0000000000' : 'pro_01jmarkettokens1000000000',
          unit_price: { amount: String(price.net), currency_code: currency },
          custom_data: null,
          billing_cycle: recurring ? { interval: 'month', frequency: 1 } : null,
        },
        quantity: 1,
        price_id: priceId,
      },
    ],
    origin: 'web',
    status: 'completed',
    details: {
      totals,
      line_items: [{ id: itemId, totals: { tax: String(price.tax), total, discount: '0', subtotal: String(price.net) }, price_id: priceId, quantity: 1, tax_rate: price.rate }],
    },
    payments: [{ amount: total, status: 'captured', created_at: iso(ms - 16_000), captured_at: iso(ms - 2000), method_details: { type: 'card', card: { type: 'visa', last4: String(int(1000, 9999)) } } }],
    billed_at: iso(ms - 1500),
    created_at: iso(ms - 360_000),
    updated_at: iso(ms + 100),
    custom_data: { user_id: userId, offer_id: offerId },
    customer_id: customer,
    currency_code: currency,
    billing_period: recurring ? { starts_at: iso(ms - 1500), ends_at: iso(ms - 1500 + 30 * DAY) } : null,
    collection_mode: 'automatic',
    subscription_id: sub,
  });
  return { event, transaction: txn, subscription: sub, customer, itemId };
}

function paddleSubscriptionCreated(t: PaddleTxn, userId: string, priceId: string, currency: string, ms: number): Record<string, unknown> {
  return paddleEvent('subscription.created', ms, {
    id: t.subscription,
    status: 'active',
    customer_id: t.customer,
    currency_code: currency,
    created_at: iso(ms - 900),
    started_at: iso(ms - 900),
    first_billed_at: iso(ms - 900),
    next_billed_at: iso(ms - 900 + 30 * DAY),
    collection_mode: 'automatic',
    billing_cycle: { interval: 'month', frequency: 1 },
    current_billing_period: { starts_at: iso(ms - 900), ends_at: iso(ms - 900 + 30 * DAY) },
    scheduled_change: null,
    items: [{ status: 'active', quantity: 1, recurring: true, price: { id: priceId, description: 'Marketplace Pro, monthly', unit_price: { amount: String(PRO_MONTHLY.net), currency_code: currency } } }],
    custom_data: { user_id: userId, offer_id: 'pro_monthly' },
  });
}

function paddleRefund(t: PaddleTxn, price: { net: number; tax: number; rate: string }, currency: string, ms: number): Record<string, unknown> {
  const adj = `adj_01${lower(24)}`;
  const sums = { subtotal: String(price.net), tax: String(price.tax), total: String(price.net + price.tax) };
  return paddleEvent('adjustment.created', ms, {
    id: adj,
    action: 'refund',
    type: 'full',
    transaction_id: t.transaction,
    subscription_id: t.subscription,
    customer_id: t.customer,
    reason: 'Customer bought the wrong plan',
    credit_applied_to_balance: null,
    currency_code: currency,
    status: 'approved',
    items: [{ id: `adjitm_01${lower(24)}`, item_id: t.itemId, type: 'full', amount: sums.total, proration: null, totals: sums }],
    totals: { ...sums, fee: '0', earnings: '0', currency_code: currency },
    payout_totals: { ...sums, fee: '0', chargeback_fee: { amount: '0', original: null }, earnings: '0', currency_code: currency },
    tax_rates_used: [{ tax_rate: price.rate, totals: sums }],
    created_at: iso(ms),
    updated_at: iso(ms),
  });
}

// ---------------------------------------------------------------------------------------------
// The scenario

/** The example: the access log as JSON Lines text and the webhook files. */
export interface SimExample {
  readonly log: string;
  readonly webhooks: readonly Webhook[];
}

/** Build the whole example (deterministic). */
export function simExample(): SimExample {
  rand = prng(SEED);
  const lines: Line[] = [];
  const hooks: Webhook[] = [];
  const stripe = new Stripe('sk_test_not_used_offline');
  const paddleDE = { ...PRO_MONTHLY, rate: '0.19' };
  const paddleTokens = { ...TOKENS_100, rate: '0.19' };
  const paddleUSD = { net: 3200, tax: 0, rate: '0' };

  // Enterprise customers: everything, for free.
  for (let i = 1; i <= 5; i++) {
    const u: User = { id: `ent_${pad(i)}`, tier: 'enterprise', tokenBalance: 0, country: pick(COUNTRIES) };
    lines.push(...sessions(u, 0, DAYS - 1, 6, ['model', 'large', 'large', 'dataset', 'sdk', 'derive'], [4, 9], [8, 19]));
  }
  // Students: half-price models off-peak on weekdays (days 0-4 and 7-11); at peak, the paywall.
  for (let i = 1; i <= 6; i++) {
    const u: User = { id: `stu_${pad(i)}`, tier: 'free', tokenBalance: 40, country: pick(COUNTRIES), segment: 'student' };
    for (let s = 0; s < 6; s++) lines.push(...session(u, at(pick([0, 1, 2, 3, 4, 7, 8, 9, 10, 11]), 18, 23), ['model', 'model', 'beta', 'article'], int(3, 7)));
    lines.push(...session(u, at(int(0, 11), 10, 16), ['model'], int(1, 3)));
  }
  // Regular pro users: well funded.
  for (let i = 1; i <= 22; i++) {
    const u: User = { id: `pro_${pad(i)}`, tier: 'pro', tokenBalance: int(15, 60) * 10, country: pick(COUNTRIES) };
    lines.push(...sessions(u, 0, DAYS - 1, int(6, 10), ['model', 'model', 'model', 'large', 'article', 'article', 'sdk', 'beta'], [3, 9]));
    if (i % 4 === 0) lines.push(...session(u, at(int(0, 13), 9, 17), ['derive', 'dataset'], int(1, 3)));
  }
  // Free users who never pay: their starter tokens, then the paywall.
  for (let i = 1; i <= 30; i++) {
    const u: User = { id: `free_${pad(i)}`, tier: 'free', tokenBalance: int(0, 6), country: pick(COUNTRIES) };
    lines.push(...sessions(u, 0, DAYS - 1, int(2, 5), ['article', 'article', 'model', 'beta', 'sdk'], [2, 6]));
  }

  // Upgraders: free users who hit the paywall on models, buy pro_monthly and come back.
  const upgraders: { u: User; payDay: number; via: 'stripe' | 'paddle' | 'paddle-usd' | 'paddle-refunded' }[] = [
    { u: { id: 'up_01', tier: 'free', tokenBalance: 3, country: 'DE' }, payDay: 2, via: 'stripe' },
    { u: { id: 'up_02', tier: 'free', tokenBalance: 0, country: 'DE' }, payDay: 3, via: 'stripe' },
    { u: { id: 'up_03', tier: 'free', tokenBalance: 5, country: 'DE' }, payDay: 4, via: 'stripe' },
    { u: { id: 'up_04', tier: 'free', tokenBalance: 2, country: 'DE' }, payDay: 5, via: 'stripe' },
    { u: { id: 'up_05', tier: 'free', tokenBalance: 0, country: 'DE' }, payDay: 6, via: 'stripe' },
    { u: { id: 'up_06', tier: 'free', tokenBalance: 1, country: 'DE' }, payDay: 3, via: 'paddle' },
    { u: { id: 'up_07', tier: 'free', tokenBalance: 4, country: 'US' }, payDay: 5, via: 'paddle-usd' },
    { u: { id: 'up_08', tier: 'free', tokenBalance: 0, country: 'DE' }, payDay: 4, via: 'paddle-refunded' },
  ];
  for (const { u, payDay, via } of upgraders) {
    // Before: an article or two, then models behind the paywall.
    lines.push(...session(u, T0 + (payDay - 1) * DAY + 10 * HOUR + int(0, 3_600_000), ['article'], 2));
    lines.push(...session(u, T0 + payDay * DAY + 9 * HOUR + int(0, 1_800_000), ['model'], int(2, 4)));
    const paidMs = T0 + payDay * DAY + 11 * HOUR + int(0, 1_800_000);
    // After: pro usage until the end of the log.
    lines.push(...sessions(u, payDay + 1, DAYS - 1, int(5, 8), ['model', 'model', 'large', 'article', 'derive', 'dataset'], [3, 8]));
    if (via === 'stripe') {
      stripeSubscription(u.id, paidMs).forEach((e, k) => hooks.push({ path: `stripe/${u.id}-pro-${['checkout', 'subscription', 'invoice'][k]}.json`, content: json(e) }));
    } else {
      const usd = via === 'paddle-usd';
      const price = usd ? paddleUSD : paddleDE;
      const currency = usd ? 'USD' : 'EUR';
      const priceId = usd ? 'pri_01jmarketprousd000000000000' : 'pri_01jmarketproeur000000000000';
      const t = paddleTransaction(u.id, 'pro_monthly', priceId, price, currency, paidMs, true);
      hooks.push({ path: `paddle/${u.id}-pro-transaction.json`, content: json(t.event) });
      hooks.push({ path: `paddle/${u.id}-pro-subscription.json`, content: json(paddleSubscriptionCreated(t, u.id, priceId, currency, paidMs + 1500)) });
      // The refund adjustment was created while the transaction was still being completed: it is dated first.
      if (via === 'paddle-refunded') hooks.push({ path: `paddle/${u.id}-pro-refund-before-payment.json`, content: json(paddleRefund(t, price, currency, paidMs - 4000)) });
    }
  }

  // Heavy pro users: run out (large models at peak), buy tokens_100, come back.
  const toppers: { u: User; payDay: number; via: 'stripe' | 'stripe-twice' | 'stripe-signed' | 'paddle' }[] = [
    { u: { id: 'heavy_01', tier: 'pro', tokenBalance: 60, country: 'DE' }, payDay: 4, via: 'stripe-twice' },
    { u: { id: 'heavy_02', tier: 'pro', tokenBalance: 50, country: 'DE' }, payDay: 5, via: 'stripe' },
    { u: { id: 'heavy_03', tier: 'pro', tokenBalance: 70, country: 'DE' }, payDay: 6, via: 'paddle' },
    { u: { id: 'heavy_04', tier: 'pro', tokenBalance: 45, country: 'DE' }, payDay: 7, via: 'stripe-signed' },
  ];
  for (const { u, payDay, via } of toppers) {
    lines.push(...session(u, T0 + payDay * DAY + 9 * HOUR + int(0, 1_800_000), ['large', 'large', 'model'], 6));
    lines.push(...session(u, T0 + payDay * DAY + 12 * HOUR + int(0, 1_800_000), ['article', 'article', 'model'], 8));
    const paidMs = T0 + payDay * DAY + 15 * HOUR + int(0, 1_800_000);
    lines.push(...sessions(u, payDay + 1, DAYS - 1, int(3, 5), ['model', 'article', 'large'], [2, 5], [18, 23]));
    if (via === 'paddle') {
      const t = paddleTransaction(u.id, 'tokens_100', 'pri_01jmarkettokens100eur00000', paddleTokens, 'EUR', paidMs, false);
      hooks.push({ path: `paddle/${u.id}-tokens-transaction.json`, content: json(t.event) });
      continue;
    }
    const c = stripeCheckoutPayment(u.id, 'tokens_100', TOKENS_100, paidMs);
    if (via === 'stripe-signed') {
      // The HTTP request as the endpoint received it: the raw body and Stripe's signature header.
      const body = JSON.stringify(c.event, null, 2);
      const created = c.event['created'] as number;
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_TEST_SECRET, timestamp: created + 1 });
      hooks.push({ path: `stripe/${u.id}-tokens-checkout.envelope.json`, content: json({ headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': header }, body }) });
      continue;
    }
    hooks.push({ path: `stripe/${u.id}-tokens-checkout.json`, content: json(c.event) });
    // Stripe retried a delivery it thought had failed: the same event again, in the retries collection.
    if (via === 'stripe-twice') hooks.push({ path: 'stripe-retries.jsonl', content: `${JSON.stringify(c.event)}\n` });
  }

  // A top-up refunded in full after part of it was spent: the rest is clawed back, the spent part is a shortfall.
  {
    const u: User = { id: 'refund_01', tier: 'pro', tokenBalance: 6, country: 'DE' };
    lines.push(...session(u, T0 + 2 * DAY + 20 * HOUR, ['model'], 3));
    const paidMs = T0 + 2 * DAY + 21 * HOUR;
    lines.push(...session(u, paidMs + 10 * 60_000, ['model', 'article'], 12));
    const c = stripeCheckoutPayment(u.id, 'tokens_100', TOKENS_100, paidMs);
    hooks.push({ path: `stripe/${u.id}-tokens-checkout.json`, content: json(c.event) });
    hooks.push({ path: `stripe/${u.id}-tokens-refund.json`, content: json(stripeRefund(u.id, c, TOKENS_100.net + TOKENS_100.tax, T0 + 4 * DAY + 10 * HOUR)) });
    lines.push(...sessions(u, 5, DAYS - 1, 3, ['model', 'article'], [2, 4]));
  }

  // A pro_monthly pass bought with a stolen card: disputed, the dispute lost, access revoked.
  {
    const u: User = { id: 'fraud_01', tier: 'free', tokenBalance: 0, country: 'NL' };
    lines.push(...session(u, T0 + 1 * DAY + 13 * HOUR, ['model', 'article'], 3));
    const paidMs = T0 + 1 * DAY + 14 * HOUR;
    const c = stripeCheckoutPayment(u.id, 'pro_monthly', PRO_MONTHLY, paidMs);
    const amount = PRO_MONTHLY.net + PRO_MONTHLY.tax;
    hooks.push({ path: `stripe/${u.id}-pro-checkout.json`, content: json(c.event) });
    hooks.push({ path: `stripe/${u.id}-pro-payment-intent.json`, content: json(stripePaymentIntent(u.id, 'pro_monthly', c, amount, paidMs)) });
    lines.push(...sessions(u, 1, 3, 4, ['large', 'large', 'dataset', 'derive'], [4, 8], [15, 23]));
    const opened = T0 + 4 * DAY + 8 * HOUR;
    const dispute = `dp_1${token(23)}`;
    hooks.push({ path: `stripe/${u.id}-pro-dispute-created.json`, content: json(stripeDispute('charge.dispute.created', 'needs_response', c, dispute, amount, opened + 1000, opened)) });
    lines.push(...sessions(u, 5, 8, 2, ['large', 'model'], [2, 4]));
    hooks.push({ path: `stripe/${u.id}-pro-dispute-lost.json`, content: json(stripeDispute('charge.dispute.closed', 'lost', c, dispute, amount, T0 + 9 * DAY + 16 * HOUR, opened)) });
    lines.push(...sessions(u, 10, 13, 2, ['large', 'model', 'article'], [2, 4]));
  }

  // A checkout for an offer the policy no longer sells: unresolved, nothing granted.
  {
    const u: User = { id: 'legacy_01', tier: 'pro', tokenBalance: 20, country: 'FR' };
    lines.push(...sessions(u, 0, 13, 3, ['model', 'article'], [2, 5]));
    const c = stripeCheckoutPayment(u.id, 'tokens_500', { net: 4000, tax: 800 }, T0 + 6 * DAY + 17 * HOUR);
    hooks.push({ path: `stripe/${u.id}-retired-offer-checkout.json`, content: json(c.event) });
  }

  // One log, in time order (ties by user id, then the order they were made in: stable).
  const ordered = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.timestamp - b.l.timestamp || (a.l.user.id < b.l.user.id ? -1 : a.l.user.id > b.l.user.id ? 1 : a.i - b.i));
  const log = ordered.map(({ l }, i) => JSON.stringify(request(`req-${String(i + 1).padStart(5, '0')}`, l))).join('\n') + '\n';

  // Collections are appended to: merge the lines of the same path.
  const byPath = new Map<string, string>();
  for (const h of hooks) byPath.set(h.path, (byPath.get(h.path) ?? '') + h.content);
  const webhooks = [...byPath].map(([path, content]) => ({ path, content })).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { log, webhooks };
}

/** Write the example under `root` (the package root), replacing what was there. */
export function writeSimExample(root: string): SimExample {
  const ex = simExample();
  const dir = join(root, EXAMPLE_DIR);
  rmSync(join(dir, 'webhooks'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // mtime 0 and no file name in the gzip header: the same bytes on every run.
  writeFileSync(join(root, LOG_PATH), gzipSync(ex.log, { level: 9 }));
  for (const h of ex.webhooks) {
    const p = join(dir, 'webhooks', h.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, h.content);
  }
  return ex;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const ex = writeSimExample(root);
  process.stdout.write(`wrote ${LOG_PATH} (${ex.log.split('\n').length - 1} lines) and ${ex.webhooks.length} webhook files under ${EXAMPLE_DIR}/webhooks\n`);
}
