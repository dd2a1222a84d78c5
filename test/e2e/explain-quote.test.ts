/**
 * End-to-end tests of `monetize explain --quote`, through the real binary: the quote, the bundle
 * covers considered and the tax rule matched, as text and as JSON; usage errors and quote errors
 * exit 2 with the message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild } from '../helpers/cli.js';
import { VAT_RATES_AS_OF } from '../../src/money/vat.js';

const SEED = 'examples/monetization-policy.yaml';
const MARKET = 'examples/marketplace-policy.yaml';
const KIT = 'model:llm-base,dataset:training-corpus';

let tmp = '';
beforeAll(() => {
  requireBuild();
  tmp = mkdtempSync(join(tmpdir(), 'monetize-explain-quote-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('monetize explain --quote', () => {
  it('shows the quote, the covers considered and the tax rule matched', () => {
    const r = monetize('explain', SEED, '--quote', `${KIT},content:article-7`, '--user', '{"country": "DE"}');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'quote: 3.09 USD for 3 assets',
        '  ai_starter_kit (model:llm-base, dataset:training-corpus)  1.60 USD  tax 0.30 USD digital_services_eu',
        '  content:article-7                                         1.00 USD  tax 0.19 USD digital_services_eu',
        '  subtotal                                                  2.60 USD',
        '  tax                                                       0.49 USD  (digital_services_eu 19%: 0.49 USD)',
        '  total                                                     3.09 USD',
        `  buyer in DE; VAT rates as of ${VAT_RATES_AS_OF}`,
        '',
        'Bundle covers considered (2; 1 bundle applies), pre-tax subtotal:',
        '  ✓ ai_starter_kit                            2.60 USD  chosen',
        '  · (no bundle: every asset on its own line)  3.00 USD  dearer by 0.40 USD',
        '',
        `tax: tax.rules[0] (region EU) holds DE: code digital_services_eu, rate 19% (the standard VAT rate of DE, as of ${VAT_RATES_AS_OF})`,
        '',
      ].join('\n'),
    );
  });

  it('--format json: the engine quote, every cover with its subtotal and why it lost, the tax match', () => {
    const r = monetize('explain', SEED, '--quote', KIT, '--user', '{"country": "DE"}', '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.quote).toEqual({
      currency: 'USD',
      lines: [{ bundleId: 'ai_starter_kit', assets: ['model:llm-base', 'dataset:training-corpus'], amountMinor: 160, taxCode: 'digital_services_eu', taxMinor: 30 }],
      subtotalMinor: 160,
      tax: [{ code: 'digital_services_eu', rate: 0.19, amountMinor: 30 }],
      taxMinor: 30,
      totalMinor: 190,
      inclusive: false,
      country: 'DE',
      vatRatesAsOf: VAT_RATES_AS_OF,
    });
    expect(out.covers).toEqual([
      { bundles: ['ai_starter_kit'], subtotalMinor: 160, chosen: true },
      { bundles: [], subtotalMinor: 200, chosen: false, why: 'dearer by 0.40 USD' },
    ]);
    expect(out.coverCount).toBe(2);
    expect(out.coversComplete).toBe(true);
    expect(out.tax).toEqual({ country: 'DE', rule: 0, region: ['EU'], code: 'digital_services_eu', rate: 0.19, vat: true, reverseCharge: false, inclusive: false, vatRatesAsOf: VAT_RATES_AS_OF });
  });

  it('reads --user from a file; a buyer with a VAT id under a reverse-charge rule pays no tax', () => {
    const user = join(tmp, 'buyer.json');
    writeFileSync(user, '{"country": "FR", "vatId": "FR12345678901"}');
    const r = monetize('explain', MARKET, '--quote', KIT, '--user', `@${user}`, '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { quote: { taxMinor: number; totalMinor: number; tax: unknown[] }; tax: unknown };
    expect(out.quote.taxMinor).toBe(0);
    expect(out.quote.totalMinor).toBe(13520);
    expect(out.quote.tax).toEqual([
      { code: 'digital_services_eu', rate: 0, amountMinor: 0, reverseCharge: true },
      { code: 'digital_data', rate: 0, amountMinor: 0, reverseCharge: true },
    ]);
    expect(out.tax).toMatchObject({ country: 'FR', rule: 0, reverseCharge: true, rate: 0 });
  });

  it('without a buyer: no rule, the default code at rate 0', () => {
    const r = monetize('explain', SEED, '--quote', KIT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\ntax: no rule (the request names no country): default code digital_goods, rate 0\n');
    expect(r.stdout).toContain('  total                                                     1.60 USD');
  });

  it('a quote that cannot be given exits 2 with the engine message', () => {
    const r = monetize('explain', MARKET, '--quote', 'model:llm-base,model:nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("monetize: error: cannot quote: unknown_asset: asset 'model:nope' is not in the policy's assets registry\n");
    const country = monetize('explain', SEED, '--quote', KIT, '--user', '{"country": "XX"}', '--format', 'json');
    expect(country.status).toBe(2);
    expect(country.stdout).toBe('');
    expect(country.stderr).toContain("cannot quote: unknown_country: country 'XX' is not an ISO 3166-1 alpha-2 code");
  });

  it.each([
    ['neither --request nor --quote', [SEED], 'give --request (a decision to explain) or --quote (a quote to explain)'],
    ['both --request and --quote', [SEED, '--request', '{}', '--quote', KIT], 'give --request or --quote, not both'],
    ['--user without --quote', [SEED, '--request', '{}', '--user', '{}'], '--user goes with --quote'],
    ['--params with --quote', [SEED, '--quote', KIT, '--params', '{}'], '--params goes with --request'],
    ['--user that is not an object', [SEED, '--quote', KIT, '--user', '"DE"'], '--user must be a JSON object'],
    ['--user that is not JSON', [SEED, '--quote', KIT, '--user', '{country: DE}'], '--user:1:2: invalid JSON'],
  ])('%s is a usage error (exit 2)', (_what, args, message) => {
    const r = monetize('explain', ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`monetize: error: ${message}`);
  });

  it('--help names --quote and --user', () => {
    const r = monetize('explain', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/-q, --quote <ids>\s+explain a quote instead/);
    expect(r.stdout).toMatch(/-u, --user <json\|@file>\s+with --quote: the buyer/);
  });
});
