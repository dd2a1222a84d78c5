/**
 * `monetize quote`: the real binary prices baskets exactly (USD cents, JPY without a minor unit,
 * KWD in fils), applies bundles and tax as the compiled module does, and turns every quote that
 * cannot be given into exit 2 with the fix.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { quotePretty } from '../../src/cli/commands/quote.js';
import { loadPolicy } from '../../src/index.js';
import { createQuoter } from '../../src/money/engine.js';
import { monetize, requireBuild } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

beforeAll(() => requireBuild());

const SEED = 'examples/monetization-policy.yaml';
const STARTER = 'model:llm-base,dataset:training-corpus';
const SUITE = 'dataset:financial,dataset:market,api:analytics';

const JPY = `version: "1.0"
currency: JPY
default_price: 1000
assets:
  - id: "model:a"
    price: 1234
  - id: "model:b"
    price: "2345"
    tax_code: reduced
  - id: "model:c"
bundles:
  - id: pair
    assets: ["model:a", "model:b"]
    price_multiplier: 0.85
tax:
  default_code: none
  rules:
    - region: JP
      code: jct
      rate: 0.10
    - region: EU
      code: eu_vat
      rate: vat
      reverse_charge: true
rules:
  - id: all
    action: {allow: true}
`;

const KWD = `version: "1.0"
currency: KWD
assets:
  - id: "report:q1"
    price: "1.234"
  - id: "report:q2"
    price: "2.5005"
  - id: "report:free"
tax:
  inclusive: true
  rules:
    - region: [KW]
      code: kw_vat
      rate: 0.05
rules:
  - id: all
    action: {allow: true}
`;

const tmp = tempFolder('monetize-quote-');
let jpy = '';
let kwd = '';
beforeAll(() => {
  jpy = join(tmp(), 'jpy.yaml');
  kwd = join(tmp(), 'kwd.yaml');
  writeFileSync(jpy, JPY);
  writeFileSync(kwd, KWD);
});

/** Run a quote that must succeed as JSON and return the parsed quote. */
function quoteJson(...args: string[]): unknown {
  const r = monetize('quote', ...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

/** Run a quote that must fail with exit 2 and return its stderr. */
function quoteFails(...args: string[]): string {
  const r = monetize('quote', ...args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  return r.stderr;
}

describe('monetize quote: the seed policy (no registry: every asset costs the default 1 USD)', () => {
  it('prices the starter kit at 1.60, the data suite at 2.10 and a lone asset at 1.00, without tax when no country is given', () => {
    expect(quoteJson(SEED, '--assets', `${STARTER},${SUITE},model:other`)).toEqual({
      currency: 'USD',
      lines: [
        { bundleId: 'ai_starter_kit', assets: ['model:llm-base', 'dataset:training-corpus'], amountMinor: 160, taxCode: 'digital_goods', taxMinor: 0 },
        { bundleId: 'enterprise_data_suite', assets: ['dataset:financial', 'dataset:market', 'api:analytics'], amountMinor: 210, taxCode: 'digital_goods', taxMinor: 0 },
        { assets: ['model:other'], amountMinor: 100, taxCode: 'digital_goods', taxMinor: 0 },
      ],
      subtotalMinor: 470,
      tax: [{ code: 'digital_goods', rate: 0, amountMinor: 0 }],
      taxMinor: 0,
      totalMinor: 470,
      inclusive: false,
      vatRatesAsOf: '2025-08-01',
    });
  });

  it('adds German VAT (19 %) per line, rounded half-even', () => {
    // 160 × 0.19 = 30.4 → 30; 100 × 0.19 = 19.
    expect(quoteJson(SEED, '--assets', `${STARTER},model:other`, '--user', '{"country":"DE"}')).toEqual({
      currency: 'USD',
      lines: [
        { bundleId: 'ai_starter_kit', assets: ['model:llm-base', 'dataset:training-corpus'], amountMinor: 160, taxCode: 'digital_services_eu', taxMinor: 30 },
        { assets: ['model:other'], amountMinor: 100, taxCode: 'digital_services_eu', taxMinor: 19 },
      ],
      subtotalMinor: 260,
      tax: [{ code: 'digital_services_eu', rate: 0.19, amountMinor: 49 }],
      taxMinor: 49,
      totalMinor: 309,
      inclusive: false,
      country: 'DE',
      vatRatesAsOf: '2025-08-01',
    });
  });

  it('adds French VAT (20 %) to the data suite', () => {
    expect(quoteJson(SEED, '--assets', SUITE, '--user', '{"country": "FR", "userId": "u_1", "tier": "pro"}')).toEqual({
      currency: 'USD',
      lines: [{ bundleId: 'enterprise_data_suite', assets: ['dataset:financial', 'dataset:market', 'api:analytics'], amountMinor: 210, taxCode: 'digital_services_eu', taxMinor: 42 }],
      subtotalMinor: 210,
      tax: [{ code: 'digital_services_eu', rate: 0.2, amountMinor: 42 }],
      taxMinor: 42,
      totalMinor: 252,
      inclusive: false,
      country: 'FR',
      vatRatesAsOf: '2025-08-01',
    });
  });

  it('prints an invoice-like table', () => {
    const r = monetize('quote', SEED, '--assets', `${STARTER},model:other`, '--user', '{"country":"DE"}');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^bundle +assets +amount$/);
    expect(lines).toContain('ai_starter_kit  model:llm-base, dataset:training-corpus  1.60 USD');
    expect(lines).toContain('—               model:other                              1.00 USD');
    expect(lines).toContain('subtotal                                                 2.60 USD');
    expect(lines).toContain('tax digital_services_eu 19%                              0.49 USD');
    expect(lines).toContain('total                                                    3.09 USD');
    expect(lines).toContain('country DE · VAT rates as of 2025-08-01');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('says when no country was given', () => {
    const r = monetize('quote', SEED, '--assets', 'model:llm-base');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\nno country given: no tax rule applies · VAT rates as of 2025-08-01\n');
  });

  it('colours the table only when the terminal wants colour: the same text either way', () => {
    const q = createQuoter(loadPolicy(SEED).ir.quote)(['a'], { context: { country: 'DE' } });
    if ('error' in q) throw new Error(q.message);
    const plain = quotePretty(q, 2, false);
    const coloured = quotePretty(q, 2, true);
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toContain('\u001b[1mtotal');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});

describe('monetize quote: currencies without and with three minor digits', () => {
  it('prices yen in whole units: a bundle of 1,234 + 2,345 at 0.85 is 3,042 JPY, Japanese consumption tax 10 %', () => {
    expect(quoteJson(jpy, '--assets', 'model:a,model:b,model:c', '--user', '{"country":"JP"}')).toEqual({
      currency: 'JPY',
      lines: [
        // Assets with different tax codes: the line has none of its own, its tax is split by price.
        { bundleId: 'pair', assets: ['model:a', 'model:b'], amountMinor: 3042, taxMinor: 304 },
        { assets: ['model:c'], amountMinor: 1000, taxCode: 'jct', taxMinor: 100 },
      ],
      subtotalMinor: 4042,
      tax: [
        { code: 'jct', rate: 0.1, amountMinor: 205 },
        { code: 'reduced', rate: 0.1, amountMinor: 199 },
      ],
      taxMinor: 404,
      totalMinor: 4446,
      inclusive: false,
      country: 'JP',
      vatRatesAsOf: '2025-08-01',
    });
    const pretty = monetize('quote', jpy, '--assets', 'model:a,model:b,model:c', '--user', '{"country":"JP"}');
    expect(pretty.stdout).toContain('pair    model:a, model:b  3,042 JPY\n');
    expect(pretty.stdout).toContain('\ntotal                     4,446 JPY\n');
  });

  it('reverse-charges an EU business buyer with a VAT id', () => {
    const q = quoteJson(jpy, '--assets', 'model:a', '--user', '{"country":"FR","vatId":"FR40303265045"}');
    expect(q).toMatchObject({ tax: [{ code: 'eu_vat', rate: 0, amountMinor: 0, reverseCharge: true }], taxMinor: 0, totalMinor: 1234, country: 'FR' });
    const pretty = monetize('quote', jpy, '--assets', 'model:a', '--user', '{"country":"FR","vatId":"FR40303265045"}');
    expect(pretty.stdout).toMatch(/^tax eu_vat 0% \(reverse charge\) +0 JPY$/m);
  });

  it('prices dinars in fils (three digits), half-even, with tax included in the price', () => {
    // 2.5005 rounds half-even to 2.500; 5 % included: 1234 × 5/105 = 58.76 → 59, 2500 × 5/105 = 119.05 → 119.
    expect(quoteJson(kwd, '--assets', 'report:q1,report:q2', '--user', '{"country":"KW"}')).toEqual({
      currency: 'KWD',
      lines: [
        { assets: ['report:q1'], amountMinor: 1234, taxCode: 'kw_vat', taxMinor: 59 },
        { assets: ['report:q2'], amountMinor: 2500, taxCode: 'kw_vat', taxMinor: 119 },
      ],
      subtotalMinor: 3734,
      tax: [{ code: 'kw_vat', rate: 0.05, amountMinor: 178 }],
      taxMinor: 178,
      totalMinor: 3734,
      inclusive: true,
      country: 'KW',
      vatRatesAsOf: '2025-08-01',
    });
    const r = monetize('quote', kwd, '--assets', 'report:q1,report:q2', '--user', '{"country":"KW"}');
    const lines = r.stdout.split('\n');
    expect(lines).toContain('—       report:q1    1.234 KWD');
    expect(lines).toContain('incl. tax kw_vat 5%  0.178 KWD');
    expect(lines).toContain('total                3.734 KWD');
    expect(lines).toContain('country KW · VAT rates as of 2025-08-01 · prices include tax');
  });

  it('reads --user from a file', () => {
    const file = join(tmp(), 'buyer.json');
    writeFileSync(file, '{"country": "KW"}\n');
    expect(quoteJson(kwd, '--assets', 'report:q1', '--user', `@${file}`)).toMatchObject({ country: 'KW', totalMinor: 1234, taxMinor: 59 });
  });
});

describe('monetize quote: errors (exit 2, the message and the fix)', () => {
  it('an asset outside the registry, with a did-you-mean over the registry ids', () => {
    expect(quoteFails(kwd, '--assets', 'report:q1,report:qq2')).toBe("monetize: error: asset 'report:qq2' is not in the policy's assets registry\n  = help: did you mean 'report:q2'?\n");
    expect(quoteFails(kwd, '--assets', 'something-else')).toBe("monetize: error: asset 'something-else' is not in the policy's assets registry\n  = help: add 'something-else' to the policy's assets registry, or check the id\n");
  });

  it('an asset without a price when the policy sets no default_price', () => {
    expect(quoteFails(kwd, '--assets', 'report:free')).toBe("monetize: error: asset 'report:free' has no price and the policy sets no default_price\n  = help: give 'report:free' a price in the policy's assets registry, or set default_price\n");
  });

  it('an asset named twice', () => {
    expect(quoteFails(SEED, '--assets', 'a,b,a')).toBe("monetize: error: asset 'a' is named twice\n  = help: name 'a' once in --assets\n");
  });

  it('a country that is not an ISO code: EL → GR, UK → GB, lower case, not a string', () => {
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":"EL"}')).toBe("monetize: error: country 'EL' is not an ISO 3166-1 alpha-2 code such as 'DE'\n  = help: EL is the EU's own code for Greece; the ISO code is GR (EL → GR)\n");
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":"UK"}')).toContain('  = help: UK is not an ISO 3166-1 code; the ISO code is GB (UK → GB)\n');
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":"de"}')).toContain("  = help: country codes are upper case: 'DE'\n");
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":"XX"}')).toContain('  = help: use the two-letter ISO 3166-1 code: DE for Germany, GR for Greece, GB for the United Kingdom\n');
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":49}')).toBe(
      "monetize: error: country of the request is not an ISO 3166-1 alpha-2 code such as 'DE'\n  = help: give \"country\" as a string; use the two-letter ISO 3166-1 code: DE for Germany, GR for Greece, GB for the United Kingdom\n",
    );
  });

  it('too many assets', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `a${i}`).join(',');
    expect(quoteFails(SEED, '--assets', ids)).toBe('monetize: error: a quote may name at most 1000 assets, not 1001\n  = help: split the basket into quotes of at most 1000 assets\n');
  });

  it('--assets missing, empty, or with an empty item', () => {
    expect(quoteFails(SEED)).toContain("error: required option '-a, --assets <ids>' not specified");
    expect(quoteFails(SEED, '--assets', '')).toBe('monetize: error: --assets is empty: name at least one asset id\n  = help: for example --assets model:llm-base,dataset:training-corpus\n');
    expect(quoteFails(SEED, '--assets', 'a,,b')).toBe('monetize: error: --assets: item 2 of 3 is empty\n  = help: separate asset ids with single commas, without a trailing comma: --assets a,b,c\n');
    expect(quoteFails(SEED, '--assets', 'a,b,')).toContain('monetize: error: --assets: item 3 of 3 is empty\n');
  });

  it('--user that is not a JSON object, or has a misspelt key pricing would ignore', () => {
    expect(quoteFails(SEED, '--assets', 'a', '--user', '["DE"]')).toBe(`monetize: error: --user must be a JSON object, the buyer's context\n  = help: for example --user '{"country": "DE", "vatId": "DE123456789"}'\n`);
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":')).toMatch(/^monetize: error: --user:1:12: invalid JSON: /);
    expect(quoteFails(SEED, '--assets', 'a', '--user', '{"country":"DE","vat_id":"DE1"}')).toBe("monetize: error: --user: 'vat_id' is not a key pricing reads, so it would be ignored\n  = help: did you mean 'vatId'?\n");
  });

  it('shows control characters in an asset id instead of sending them to the terminal', () => {
    const err = quoteFails(SEED, '--assets', 'a\u001b[2J,a\u001b[2J');
    expect(err).toBe("monetize: error: asset 'a␛[2J' is named twice\n  = help: name 'a␛[2J' once in --assets\n");
  });

  it('a policy with errors is exit 1, an unreadable one exit 2', () => {
    const bad = join(tmp(), 'bad.yaml');
    writeFileSync(bad, 'version: "1.0"\ncurrency: XYZ\nrules:\n  - id: a\n    action: {allow: true}\n');
    const r = monetize('quote', bad, '--assets', 'a');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[M117]');
    expect(monetize('quote', join(tmp(), 'missing.yaml'), '--assets', 'a').status).toBe(2);
  });
});

describe('monetize quote --help', () => {
  it('names the options and the exit codes', () => {
    const r = monetize('quote', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: monetize quote [options] <policy>');
    for (const s of ['-a, --assets <ids>', '-u, --user <json|@file>', '-f, --format <format>', 'Exit codes: 0 quoted, 1 the policy has errors, 2 usage error']) expect(r.stdout).toContain(s);
  });

  it('is listed among the commands', () => {
    expect(monetize('--help').stdout).toMatch(/^ {2}quote \[options\] <policy> +price a set of assets/m);
  });
});
