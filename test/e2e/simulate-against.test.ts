/**
 * `monetize simulate <candidate> --against <live>` end to end: the real binary, two real SQLite
 * ledgers. A small scenario whose diff is worked out by hand (transitions, flips, per-user charge
 * changes, tokens and revenue before and after); each gate just above and at its threshold; usage
 * errors; the Markdown report with a hostile request id; the bundled candidate example and the CI
 * workflow of docs/ci.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const dir = tempFolder('monetize-sim-against-');

/** What runs today: models 4 tokens for pro users, articles 1 token, free users paywalled; two token offers. */
const LIVE = `version: "1.0"
currency: "EUR"
rules:
  - id: pro_model
    priority: 60
    condition: "user.tier == 'pro' and asset.type == 'model'"
    action: { allow: true, cost: 4 }
  - id: read_tokens
    priority: 50
    condition: "asset.type == 'content' and user.token_balance > 0"
    action: { allow: true, cost: 1 }
  - id: paywall
    priority: 10
    condition: "user.tier == 'free'"
    action: { allow: false, reason: upgrade_required }
offers:
  - id: tokens_10
    price_ids: [price_t10]
    grants: { tokens: 10 }
  - id: tokens_20
    price_ids: [price_t20]
    grants: { tokens: 20 }
`;

/** The candidate: models cost 6, preview articles are free for everyone, the tokens_20 offer is gone. */
const CANDIDATE = `version: "1.0"
currency: "EUR"
rules:
  - id: pro_model
    priority: 60
    condition: "user.tier == 'pro' and asset.type == 'model'"
    action: { allow: true, cost: 6 }
  - id: free_preview
    priority: 55
    condition: "asset.type == 'content' and asset.tags contains 'preview'"
    action: { allow: true, cost: 0 }
  - id: read_tokens
    priority: 50
    condition: "asset.type == 'content' and user.token_balance > 0"
    action: { allow: true, cost: 1 }
  - id: paywall
    priority: 10
    condition: "user.tier == 'free'"
    action: { allow: false, reason: upgrade_required }
offers:
  - id: tokens_10
    price_ids: [price_t10]
    grants: { tokens: 10 }
`;

const T = 1763794800000;
const MIN = 60_000;
const HOSTILE = 'a|b<script>';
const MODEL = { type: 'model', tags: [] };
const ARTICLE = { type: 'content', tags: [] };
const PREVIEW = { type: 'content', tags: ['preview'] };
const START: Record<string, [string, number]> = { alice: ['pro', 20], bob: ['free', 0], carol: ['pro', 5], dave: ['free', 3], eve: ['pro', 50] };

const req = (id: string, minute: number, userId: string, asset: { type: string; tags: string[] }, assetId: string, action = asset.type === 'model' ? 'execute' : 'read'): Record<string, unknown> => ({
  id,
  assetId,
  action,
  timestamp: T + minute * MIN,
  context: { userId, tier: START[userId]![0], tokenBalance: START[userId]![1], entitlements: [] },
  asset,
});

/*
 * Two ledgers, one per policy; balances below are before (live) | after (candidate).
 *
 *  #    user   request         live (before)                         candidate (after)                       changed
 *  r01  alice  model           allow pro_model 4     20→16           allow pro_model 6      20→14            cost
 *  r02  bob    preview read    deny upgrade_required (free, 0)       allow free_preview 0                    deny→allow
 *  r03  carol  model           allow pro_model 4     5→1             deny insufficient_balance (6 > 5)       allow→deny
 *  r04  alice  model           allow pro_model 4     16→12           allow pro_model 6      14→8             cost
 *  HOS  dave   preview read    allow read_tokens 1   3→2             allow free_preview 0   3                rule
 *  r06  dave   article read    allow read_tokens 1   2→1             allow read_tokens 1    3→2              -
 *  r07  bob    article read    deny upgrade_required                 deny upgrade_required                   -
 *       +8m  W1 bob buys tokens_10 (595, tax 95): applied in both, bob +10
 *       +8m  W2 carol buys tokens_20 (1190, tax 190): live applied (carol 1→21); candidate unresolved (no such offer)
 *  r08  bob    article read    allow read_tokens 1   10→9            allow read_tokens 1    10→9             -
 *  r09  carol  model           allow pro_model 4     21→17           deny insufficient_balance (6 > 5)       allow→deny
 *  r10  carol  article read    allow read_tokens 1   17→16           allow read_tokens 1    5→4              -
 *  r11  bob    preview read    allow read_tokens 1   9→8             allow free_preview 0   9                rule
 *  r12  alice  model           allow pro_model 4     12→8            allow pro_model 6      8→2              cost
 *  r13  alice  model           allow pro_model 4     8→4             deny insufficient_balance (6 > 2)       allow→deny
 *  r14  alice  model           allow pro_model 4     4→0             deny insufficient_balance (6 > 2)       allow→deny
 *  r15  alice  model           deny insufficient_balance (4 > 0)     deny insufficient_balance (6 > 2)       cost only
 *  r16  alice  article read    deny no_matching_policy (pro, 0)      allow read_tokens 1    2→1              deny→allow
 *  r17  eve    model           allow pro_model 4     50→46           allow pro_model 6      50→44            cost
 *
 * decisions 17; changed 13 (all but r06 r07 r08 r10): 76.47 %.
 * transitions: allow:pro_model → allow:pro_model 4 (r01 r04 r12 r17); allow:pro_model → deny:insufficient_balance 4
 *   (r03 r09 r13 r14); allow:read_tokens → allow:free_preview 2 (HOS r11); deny:insufficient_balance →
 *   deny:insufficient_balance 1 (r15); deny:no_matching_policy → allow:read_tokens 1 (r16);
 *   deny:upgrade_required → allow:free_preview 1 (r02). Flips: allow→deny 4, deny→allow 2.
 * tokens: live 4·8 (r01 r03 r04 r09 r12 r13 r14 r17) + 1·5 (HOS r06 r08 r10 r11) = 37;
 *   candidate 6·4 (r01 r04 r12 r17) + 1·4 (r06 r08 r10 r16) = 28; change −9, −24.32 %.
 * per user (live → candidate): alice 20 → 19 (−1), bob 2 → 1 (−1), carol 9 → 1 (−8), dave 2 → 1 (−1),
 *   eve 4 → 6 (+2); all 5 affected, 1 charged more, 4 less. Sorted changes −8 −1 −1 −1 +2: nearest rank
 *   p50 = rank ⌈2.5⌉ = 3 = −1, p95 = rank ⌈4.75⌉ = 5 = +2, min −8, max +2.
 * decisions: live allowed 13, denied 4 (r02 r07 r15 r16); candidate allowed 11, denied 6 (r03 r07 r09 r13 r14 r15).
 * revenue: live gross 1785 (tax 285), net 1785; candidate gross 595 (tax 95), net 595; change −1190, −66.67 %.
 * rules: free_preview 0 → 3 (+3), read_tokens 5 → 4 (−1), paywall 2 → 1 (−1), default_deny 1 → 0 (−1);
 *   pro_model 9 → 9 (every model request; insufficient_balance counts under the rule that allowed it).
 * webhooks: 2, 1 with another outcome.
 */
const LOG = [
  req('r01', 0, 'alice', MODEL, 'model:m'),
  req('r02', 1, 'bob', PREVIEW, 'content:p1'),
  req('r03', 2, 'carol', MODEL, 'model:m'),
  req('r04', 3, 'alice', MODEL, 'model:m'),
  req(HOSTILE, 4, 'dave', PREVIEW, 'content:p2'),
  req('r06', 5, 'dave', ARTICLE, 'content:a1'),
  req('r07', 6, 'bob', ARTICLE, 'content:a2'),
  req('r08', 9, 'bob', ARTICLE, 'content:a3'),
  req('r09', 10, 'carol', MODEL, 'model:m'),
  req('r10', 11, 'carol', ARTICLE, 'content:a4'),
  req('r11', 12, 'bob', PREVIEW, 'content:p3'),
  req('r12', 13, 'alice', MODEL, 'model:m'),
  req('r13', 14, 'alice', MODEL, 'model:m'),
  req('r14', 15, 'alice', MODEL, 'model:m'),
  req('r15', 16, 'alice', MODEL, 'model:m'),
  req('r16', 17, 'alice', ARTICLE, 'content:a5'),
  req('r17', 18, 'eve', MODEL, 'model:m'),
];
const W1 = { provider: 'mock', id: 'bob-t10', type: 'payment.succeeded', occurred_at: T + 8 * MIN, user_id: 'bob', offer_id: 'tokens_10', amount_minor: 595, currency: 'EUR', tax_minor: 95, refs: { payment: 'pay-bob' } };
const W2 = { provider: 'mock', id: 'carol-t20', type: 'payment.succeeded', occurred_at: T + 8 * MIN + 1000, user_id: 'carol', offer_id: 'tokens_20', amount_minor: 1190, currency: 'EUR', tax_minor: 190, refs: { payment: 'pay-carol' } };

interface Files {
  readonly live: string;
  readonly candidate: string;
  readonly log: string;
  readonly hooks: string;
  readonly root: string;
}

let f: Files;

beforeAll(() => {
  requireBuild();
  const root = dir();
  const hooks = join(root, 'hooks');
  mkdirSync(hooks, { recursive: true });
  f = { live: join(root, 'live.yaml'), candidate: join(root, 'candidate.yaml'), log: join(root, 'access.jsonl'), hooks, root };
  writeFileSync(f.live, LIVE);
  writeFileSync(f.candidate, CANDIDATE);
  writeFileSync(f.log, `${LOG.map((l) => JSON.stringify(l)).join('\n')}\n`);
  writeFileSync(join(hooks, 'w1.json'), JSON.stringify(W1));
  writeFileSync(join(hooks, 'w2.json'), JSON.stringify(W2));
});

/** `monetize simulate candidate --against live` over the scenario, with more arguments. */
const against = (...args: string[]) => monetize('simulate', f.candidate, '--against', f.live, '--replay', f.log, '--webhooks', f.hooks, ...args);

interface Side {
  allowed: boolean;
  policyId: string;
  reason?: string;
  cost?: number;
  charged: number;
}
interface Json {
  policy: { file: string; hash: string; currency: string };
  decisions: { total: number; allowed: number; denied: number; byPolicy: Record<string, number> };
  tokens: { charged: number };
  revenue: { netMinor: number };
  against: { policy: { file: string; hash: string }; decisions: { total: number; allowed: number; denied: number; byPolicy: Record<string, number> }; tokens: { charged: number }; revenue: { grossMinor: number; netMinor: number } };
  diff: {
    total: number;
    changed: number;
    percent: number | null;
    flips: { allowToDeny: number; denyToAllow: number };
    transitions: { from: string; to: string; count: number; samples: { id: string; userId?: string; before: Side; after: Side }[] }[];
    tokens: Record<string, number | null>;
    revenue: { currency: string; before: Record<string, number>; after: Record<string, number>; changeMinor: number; percent: number | null };
    users: { total: number; affected: number; chargedMore: number; chargedLess: number; chargeChange: Record<string, number | null>; samples: { userId: string; before: number; after: number; change: number; percent: number | null }[] };
    rules: { policyId: string; before: number; after: number; change: number }[];
    webhooks: { total: number; changed: number };
  };
}

function json(...args: string[]): Json {
  const r = against('--format', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

describe('monetize simulate --against: a hand-checked diff', () => {
  it('counts the changed decisions and groups them by transition, with samples in stream order', () => {
    const d = json().diff;
    expect(d.total).toBe(17);
    expect(d.changed).toBe(13);
    expect(d.percent).toBe(76.47);
    expect(d.flips).toEqual({ allowToDeny: 4, denyToAllow: 2 });
    expect(d.transitions.map((t) => [t.from, t.to, t.count, t.samples.map((s) => s.id)])).toEqual([
      ['allow:pro_model', 'allow:pro_model', 4, ['r01', 'r04', 'r12', 'r17']],
      ['allow:pro_model', 'deny:insufficient_balance', 4, ['r03', 'r09', 'r13', 'r14']],
      ['allow:read_tokens', 'allow:free_preview', 2, [HOSTILE, 'r11']],
      ['deny:insufficient_balance', 'deny:insufficient_balance', 1, ['r15']],
      ['deny:no_matching_policy', 'allow:read_tokens', 1, ['r16']],
      ['deny:upgrade_required', 'allow:free_preview', 1, ['r02']],
    ]);
  });

  it('shows each sample as both policies decided it', () => {
    const d = json().diff;
    const sample = (id: string) => d.transitions.flatMap((t) => t.samples).find((s) => s.id === id)!;
    expect(sample('r03')).toMatchObject({ userId: 'carol', before: { allowed: true, policyId: 'pro_model', cost: 4, charged: 4 }, after: { allowed: false, policyId: 'pro_model', reason: 'insufficient_balance', cost: 6, charged: 0 } });
    expect(sample('r15')).toMatchObject({ before: { allowed: false, reason: 'insufficient_balance', cost: 4, charged: 0 }, after: { allowed: false, reason: 'insufficient_balance', cost: 6, charged: 0 } });
    expect(sample('r02')).toEqual({ id: 'r02', time: T + MIN, userId: 'bob', assetId: 'content:p1', before: { allowed: false, policyId: 'paywall', reason: 'upgrade_required', charged: 0 }, after: { allowed: true, policyId: 'free_preview', cost: 0, charged: 0 } });
  });

  it('reports tokens, revenue, users and rules before and after', () => {
    const r = json();
    const d = r.diff;
    expect(d.tokens).toEqual({ before: 37, after: 28, change: -9, beforeMicro: 37e6, afterMicro: 28e6, changeMicro: -9e6, percent: -24.32 });
    expect(d.revenue).toEqual({
      currency: 'EUR',
      before: { grossMinor: 1785, refundedMinor: 0, taxMinor: 285, netMinor: 1785 },
      after: { grossMinor: 595, refundedMinor: 0, taxMinor: 95, netMinor: 595 },
      changeMinor: -1190,
      percent: -66.67,
    });
    expect(d.users).toEqual({
      total: 5,
      affected: 5,
      chargedMore: 1,
      chargedLess: 4,
      chargeChange: { min: -8, p50: -1, p95: 2, max: 2 },
      samples: [
        { userId: 'carol', before: 9, after: 1, change: -8, percent: -88.89 },
        { userId: 'eve', before: 4, after: 6, change: 2, percent: 50 },
        { userId: 'alice', before: 20, after: 19, change: -1, percent: -5 },
        { userId: 'bob', before: 2, after: 1, change: -1, percent: -50 },
        { userId: 'dave', before: 2, after: 1, change: -1, percent: -50 },
      ],
    });
    expect(d.rules).toEqual([
      { policyId: 'free_preview', before: 0, after: 3, change: 3 },
      { policyId: 'default_deny', before: 1, after: 0, change: -1 },
      { policyId: 'paywall', before: 2, after: 1, change: -1 },
      { policyId: 'read_tokens', before: 5, after: 4, change: -1 },
    ]);
    expect(d.webhooks).toEqual({ total: 2, changed: 1 });
  });

  it('keeps the candidate report at the top level and adds the other policy\'s report under `against`', () => {
    const r = json();
    expect(Object.keys(r)).toEqual(['policy', 'decisions', 'tokens', 'revenue', 'webhooks', 'revocations', 'insufficientBalance', 'funnel', 'rejected', 'timeline', 'against', 'diff']);
    expect(r.policy).toMatchObject({ file: f.candidate, currency: 'EUR' });
    expect(r.decisions).toMatchObject({ total: 17, allowed: 11, denied: 6 });
    expect(r.tokens.charged).toBe(28);
    expect(r.against.policy.file).toBe(f.live);
    expect(r.against.policy.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.against.policy.hash).not.toBe(r.policy.hash);
    expect(r.against.decisions).toMatchObject({ total: 17, allowed: 13, denied: 4, byPolicy: { pro_model: 9, read_tokens: 5, paywall: 2, default_deny: 1 } });
    expect(r.against.tokens.charged).toBe(37);
    expect(r.against.revenue).toMatchObject({ grossMinor: 1785, netMinor: 1785 });
  });

  it('is byte-stable', () => {
    const a = against('--format', 'json');
    const b = against('--format', 'json');
    expect(a.stdout).toBe(b.stdout);
  });

  it('a policy against itself changes nothing', () => {
    const r = monetize('simulate', f.live, '--against', f.live, '--replay', f.log, '--webhooks', f.hooks, '--format', 'json', '--fail-on-change', '0', '--fail-on-flip', 'any', '--fail-on-charge-change', '0', '--fail-on-revenue-change', '0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = (JSON.parse(r.stdout) as Json).diff;
    expect(d).toMatchObject({ total: 17, changed: 0, percent: 0, transitions: [], rules: [], flips: { allowToDeny: 0, denyToAllow: 0 } });
    expect(d.users).toMatchObject({ total: 5, affected: 0, chargeChange: { min: null, p50: null, p95: null, max: null }, samples: [] });
  });

  it('shows a concise "Against" section in the pretty report', () => {
    const r = against();
    expect(r.status).toBe(0);
    const section = r.stdout.slice(r.stdout.indexOf(`Against ${f.live}`));
    expect(section.split('\n')).toEqual([
      `Against ${f.live}`,
      '  Decisions changed  13 of 17 (76.47%)   allow→deny 4, deny→allow 2',
      '    allow:pro_model → allow:pro_model                            4   e.g. r01, r04',
      '    allow:pro_model → deny:insufficient_balance                  4   e.g. r03, r09',
      `    allow:read_tokens → allow:free_preview                       2   e.g. ${HOSTILE}, r11`,
      '    deny:insufficient_balance → deny:insufficient_balance        1   e.g. r15',
      '    deny:no_matching_policy → allow:read_tokens                  1   e.g. r16',
      '    deny:upgrade_required → allow:free_preview                   1   e.g. r02',
      '  Tokens charged  37 → 28   -9 (-24.32%)',
      '  Revenue net  17.85 EUR → 5.95 EUR   -11.90 EUR (-66.67%)',
      '  Users affected  5 of 5   charged more 1, less 4   per-user change p50 -1, p95 +2, max +2, min -8',
      '  Rules  free_preview 0 → 3, default_deny 1 → 0, paywall 2 → 1, read_tokens 5 → 4',
      '  Webhooks  1 of 2 with another outcome',
      '',
    ]);
  });
});

describe('monetize simulate --against: the gates', () => {
  const gate = (option: string, value: string) => against('--format', 'json', option, value);

  it.each([
    ['--fail-on-change', '76.46', '76.47', '--fail-on-change 76.46: 76.47% of decisions changed (13 of 17), above 76.46%'],
    ['--fail-on-charge-change', '24.31', '24.32', '--fail-on-charge-change 24.31: tokens charged changed by -24.32% (37 → 28), above 24.31%'],
    ['--fail-on-revenue-change', '66.66', '66.67', '--fail-on-revenue-change 66.66: net revenue changed by -66.67% (17.85 EUR → 5.95 EUR), above 66.66%'],
  ])('%s exits 1 just above the measured value, with the report written, and 0 at it', (option, below, at, message) => {
    const failed = gate(option, below);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(`monetize: gate failed: ${message}\n`);
    expect((JSON.parse(failed.stdout) as Json).diff.changed).toBe(13);
    const passed = gate(option, at);
    expect(passed.stderr).toBe('');
    expect(passed.status).toBe(0);
    expect(gate(option, '100').status).toBe(0);
  });

  it('--fail-on-flip fails on a flip in the direction named, in either spelling, repeatable', () => {
    const a = gate('--fail-on-flip', 'allow->deny');
    expect(a.status).toBe(1);
    expect(a.stderr).toBe('monetize: gate failed: --fail-on-flip allow→deny: 4 decisions went from allow to deny\n');
    expect(gate('--fail-on-flip', 'deny→allow').stderr).toBe('monetize: gate failed: --fail-on-flip deny→allow: 2 decisions went from deny to allow\n');
    const both = against('--format', 'json', '--fail-on-flip', 'any', '--fail-on-change', '80');
    expect(both.status).toBe(1);
    expect(both.stderr.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('--fail-on-flip passes when no decision flips that way', () => {
    // Only a raised price: balances run out sooner, nothing denied before is allowed now.
    const pricier = join(f.root, 'pricier.yaml');
    writeFileSync(pricier, LIVE.replace('cost: 4', 'cost: 5'));
    const r = monetize('simulate', pricier, '--against', f.live, '--replay', f.log, '--webhooks', f.hooks, '--format', 'json', '--fail-on-flip', 'deny->allow');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Json).diff.flips.denyToAllow).toBe(0);
  });

  it('the Markdown report is written with the verdict when a gate fails', () => {
    const out = join(f.root, 'gated.md');
    const r = against('--format', 'markdown', '-o', out, '--fail-on-change', '50');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('monetize: gate failed: --fail-on-change 50: 76.47% of decisions changed (13 of 17), above 50%');
    expect(existsSync(out)).toBe(true);
  });
});

describe('monetize simulate --against: usage errors', () => {
  it.each([
    [['--fail-on-change', '5'], '--fail-on-change needs --against'],
    [['--fail-on-flip', 'any'], '--fail-on-flip needs --against'],
    [['--against-db', 'x.sqlite'], '--against-db needs --against'],
  ])('%j without --against is a usage error', (args, message) => {
    const r = monetize('simulate', f.candidate, '--replay', f.log, ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`monetize: error: ${message}`);
    expect(r.stdout).toBe('');
  });

  it.each([['-1'], ['abc'], ['5%'], ['']])('--fail-on-change %j is a usage error', (value) => {
    const r = against('--fail-on-change', value);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`monetize: error: --fail-on-change takes a percentage (a number, 0 or more), got '${value}'`);
  });

  it('an unknown --fail-on-flip direction is a usage error', () => {
    const r = against('--fail-on-flip', 'allow→allow');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--fail-on-flip takes allow→deny, deny→allow or any, got 'allow→allow'");
  });

  it('policies in two currencies are a usage error with a hint', () => {
    const usd = join(f.root, 'usd.yaml');
    writeFileSync(usd, LIVE.replace('currency: "EUR"', 'currency: "USD"'));
    const r = monetize('simulate', f.candidate, '--against', usd, '--replay', f.log);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`monetize: error: ${f.candidate} is in EUR and ${usd} in USD`);
    expect(r.stderr).toContain('= help: compare policies with the same currency');
  });

  it('an --against policy with errors is reported like the main one, exit 1', () => {
    const bad = join(f.root, 'bad.yaml');
    writeFileSync(bad, LIVE.replace("user.tier == 'free'", "user.tier == "));
    const r = monetize('simulate', f.candidate, '--against', bad, '--replay', f.log);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:`);
    expect(r.stderr).toContain(`monetize: ${bad} has 1 error`);
    expect(r.stdout).toBe('');
  });

  it('--against-db must not be the --db ledger', () => {
    const db = join(f.root, 'same.sqlite');
    const r = against('--db', db, '--against-db', db);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is the --db ledger: each policy needs a ledger of its own');
  });

  it('-o must not overwrite the --against policy', () => {
    const r = against('-o', f.live);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`refusing to write '${f.live}' over the input`);
  });
});

describe('monetize simulate --against: ledgers', () => {
  it('--db and --against-db keep both ledgers; a re-run on them reports the same diff', () => {
    const db = join(f.root, 'cand.sqlite');
    const adb = join(f.root, 'live.sqlite');
    const first = json('--db', db, '--against-db', adb);
    expect(existsSync(db) && existsSync(adb)).toBe(true);
    const again = json('--db', db, '--against-db', adb);
    expect(again.diff.transitions).toEqual(first.diff.transitions);
    expect(again.diff.tokens).toEqual(first.diff.tokens);
  });

  it('with --db alone, the --against ledger is temporary', () => {
    const db = join(f.root, 'only.sqlite');
    expect(json('--db', db).diff.changed).toBe(13);
  });
});

describe('monetize simulate --format markdown', () => {
  it('leads with the verdict and escapes ids from the log', () => {
    const r = against('--format', 'markdown');
    expect(r.status).toBe(0);
    const md = r.stdout;
    expect(md.split('\n')[0]).toBe('### ⚠️ monetize simulate: 13 of 17 decisions change (76.47%)');
    expect(md).toContain('| `allow:read_tokens` | `allow:free_preview` | 2 | 15.4% | `a\\|b<script>`, `r11` |');
    // Never the raw id: a bare `|` would split the table cell, a bare `<script>` is HTML.
    expect(md).not.toContain(HOSTILE);
    expect(md).toContain('| tokens charged | 37 | 28 | -9 (-24.32%) |');
    expect(md).toContain('| revenue, net | 17.85 EUR | 5.95 EUR | -11.90 EUR (-66.67%) |');
    expect(md).toContain('| -1 | +2 | +2 | -8 |');
    expect(md).toContain('| `free_preview` | 0 | 3 | +3 |');
    expect(md).toContain('<details>\n<summary>Sample requests</summary>\n');
  });

  it('says the gates pass when they do', () => {
    const r = against('--format', 'markdown', '--fail-on-change', '80');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('### ✅ monetize simulate: 13 of 17 decisions change (76.47%), within the gates');
  });

  it('works without --against: the report of one policy', () => {
    const r = monetize('simulate', f.live, '--replay', f.log, '--webhooks', f.hooks, '--format', 'markdown');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`### monetize simulate: \`${f.live}\``);
    expect(r.stdout).toContain('| 17 | 13 (76.5%) | 4 (23.5%) | 37 | 17.85 EUR | 17.85 EUR | 0.00 EUR | 2.85 EUR |');
    expect(r.stdout).not.toContain('<script>');
  });
});

describe('the bundled candidate example', () => {
  const CANDIDATE_EXAMPLE = 'examples/simulate/marketplace-policy-candidate.yaml';

  it('lints clean', () => {
    const r = monetize('lint', CANDIDATE_EXAMPLE);
    expect(r.status, r.stdout).toBe(0);
  });

  it('replays against the marketplace policy', () => {
    const r = monetize('simulate', CANDIDATE_EXAMPLE, '--against', 'examples/marketplace-policy.yaml', '--replay', 'examples/simulate/access.jsonl.gz', '--webhooks', 'examples/simulate/webhooks', '--webhook-secret', 'stripe=whsec_monetize_example_0123456789abcdef', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = (JSON.parse(r.stdout) as Json).diff;
    expect(d).toMatchObject({ total: 2410, changed: 361, percent: 14.98, flips: { allowToDeny: 45, denyToAllow: 15 } });
    expect(d.tokens).toMatchObject({ before: 8313.2, after: 9816.7, percent: 18.09 });
    expect(d.users).toMatchObject({ total: 78, affected: 40, chargedMore: 31, chargedLess: 9, chargeChange: { p50: 31.5, p95: 90, max: 99, min: -11.5 } });
  });
});

describe('the pricing-diff CI workflow', () => {
  const WORKFLOW = 'examples/ci/pricing-diff.yml';
  const text = (): string => readFileSync(join(ROOT, WORKFLOW), 'utf8');
  interface Step {
    uses?: string;
    run?: string;
    id?: string;
    if?: string;
    with?: Record<string, unknown>;
    'continue-on-error'?: boolean;
  }

  it('is the workflow shown in docs/ci.md', () => {
    const doc = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
    const block = /```yaml\n(# \.github\/workflows\/pricing-diff\.yml[\s\S]*?)```/.exec(doc);
    expect(block, 'docs/ci.md shows the workflow in a ```yaml block').not.toBeNull();
    expect(block![1]).toBe(text());
  });

  it('is valid YAML: both checkouts, the replay with gates, the summary, the comment, the failing step', () => {
    const wf = load(text()) as { on: Record<string, { paths: string[] }>; jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }> };
    expect(wf.on.pull_request!.paths).toContain('policy/**');
    const job = Object.values(wf.jobs)[0]!;
    expect(job.permissions).toMatchObject({ 'pull-requests': 'write' });
    const checkouts = job.steps.filter((s) => s.uses === 'actions/checkout@v4');
    expect(checkouts).toHaveLength(2);
    expect(checkouts[1]!.with).toMatchObject({ ref: '${{ github.event.pull_request.base.sha }}', path: 'base' });
    const sim = job.steps.find((s) => s.id === 'simulate')!;
    expect(sim['continue-on-error']).toBe(true);
    expect(sim.run).toBe(
      "npx monetize simulate policy/pricing.yaml --against base/policy/pricing.yaml --replay history/access.jsonl.gz --webhooks history/webhooks --format markdown -o pricing-diff.md --fail-on-change 5 --fail-on-revenue-change 2 --fail-on-flip 'allow->deny'",
    );
    const runs = job.steps.map((s) => s.run ?? '');
    expect(runs).toContain('cat pricing-diff.md >> "$GITHUB_STEP_SUMMARY"');
    expect(runs.some((r) => r.includes('gh api --method PATCH') && r.includes('gh pr comment'))).toBe(true);
    expect(job.steps.at(-1)!.if).toBe("${{ steps.simulate.outcome == 'failure' }}");
    // Only actions GitHub maintains.
    expect(job.steps.flatMap((s) => (s.uses ? [s.uses] : [])).every((u) => u.startsWith('actions/'))).toBe(true);
  });

  it('uses only options that `monetize simulate` accepts', () => {
    const help = monetize('simulate', '--help');
    expect(help.status).toBe(0);
    const line = /npx monetize simulate ([^\n]*(?:\n {10}[^\n]*)*)/.exec(text())![1]!;
    const used = [...line.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['--against', '--replay', '--webhooks', '--format', '-o', '--fail-on-change', '--fail-on-revenue-change', '--fail-on-flip']));
    for (const flag of used) expect(help.stdout, flag).toContain(flag);
  });
});
