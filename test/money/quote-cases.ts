/**
 * Quote scenarios with their answers worked out by hand: policy text, a basket of asset ids and
 * the buyer's context in, the exact quote (or error) out. The arithmetic is written next to every
 * expected number, so a reader can check the table without running the engine; the engine is
 * never used to produce an expectation. Every surface that gives quotes (the library engine, the
 * in-process module, compiled ESM and CJS files, the CLI) must answer each case exactly.
 *
 * Money is in integer minor units; "→" marks one half-even rounding. Tax is computed per line and
 * summed; with `inclusive: true` the tax of a line is amount × r / (1 + r) and the total is the
 * subtotal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quote, QuoteErrorCode } from '../../src/money/engine.js';

/** The dated VAT table every quote names. */
export const AS_OF = '2025-08-01';

/** A quote that cannot be given, exactly as `quote()` returns it. */
export interface ExpectedError {
  readonly error: QuoteErrorCode;
  readonly message: string;
  readonly assetId?: string;
}

export interface QuoteCase {
  readonly name: string;
  /** The whole policy file. */
  readonly policy: string;
  /** The first argument of `quote` (an array of ids, or something that is not one). */
  readonly assets: unknown;
  /** The second argument of `quote`; a buyer is `{ context: { country?, vatId? } }`. */
  readonly request?: unknown;
  readonly expect: Quote | ExpectedError;
}

/** A case the CLI can run: string ids and at most a buyer's country and VAT id. */
export interface CliCase {
  readonly name: string;
  readonly policy: string;
  readonly assets: readonly string[];
  readonly context?: { readonly country?: string; readonly vatId?: string };
  readonly expect: Quote | ExpectedError;
}

/** Policy text: the header every case shares (no access rules: quotes do not read them), then `body`. */
function policy(currency: string, body: string): string {
  return `version: "1.0"\ncurrency: ${currency}\nrules: []\n${body}`;
}

/** The example policy the product ships. */
export const SEED_POLICY = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'monetization-policy.yaml'), 'utf8');

// ---------------------------------------------------------------------------------------------
// Policies

/** Four assets and four overlapping bundles: the best cover is neither the first nor the largest bundle. */
const OVERLAP = policy(
  'USD',
  `assets:
  - {id: a, price: "12.00"}
  - {id: b, price: "8.00"}
  - {id: c, price: "10.00"}
  - {id: d, price: "6.00"}
bundles:
  - {id: first, assets: [a, b], price_multiplier: 0.9}
  - {id: largest, assets: [a, b, c, d], price_multiplier: 0.8}
  - {id: ac, assets: [a, c], price_multiplier: 0.75}
  - {id: bd, assets: [b, d], price_multiplier: 0.75}
`,
);
// first   = (12.00 + 8.00) × 0.9            = 18.00 → 1800, saving 2000 − 1800 = 200
// largest = (12 + 8 + 10 + 6) × 0.8 = 36 × 0.8 = 28.80 → 2880, saving 3600 − 2880 = 720 (the biggest one-bundle saving)
// ac      = (12.00 + 10.00) × 0.75          = 16.50 → 1650, saving 2200 − 1650 = 550
// bd      = (8.00 + 6.00) × 0.75            = 10.50 → 1050, saving 1400 − 1050 = 350
// Disjoint covers of {a,b,c,d}: {first} 200, {largest} 720, {ac} 550, {bd} 350, {ac, bd} 900 ← best.
// ({first} overlaps ac and bd; {largest} overlaps everything.)

/** Bundle plus unbundled extras. */
const EXTRAS = policy(
  'USD',
  `assets:
  - {id: x, price: "5.00"}
  - {id: y, price: "7.50"}
  - {id: z, price: "2.25"}
  - {id: w, price: "1.00"}
bundles:
  - {id: xy, assets: [x, y], price_multiplier: 0.8}
`,
);
// xy = (5.00 + 7.50) × 0.8 = 10.00 → 1000 (saving 1250 − 1000 = 250)

/** Two bundles with equal savings over one shared asset. */
const TIE_PAIR = policy(
  'USD',
  `assets:
  - {id: p, price: 10}
  - {id: q, price: 10}
  - {id: r, price: 10}
bundles:
  - {id: pq, assets: [p, q], price_multiplier: 0.9}
  - {id: qr, assets: [q, r], price_multiplier: 0.9}
`,
);
// pq = 20 × 0.9 = 18.00 → 1800, saving 200; qr the same: a tie, the earlier (pq) wins.

/** One bundle against two smaller ones that together save exactly as much. */
const TIE_WHOLE = policy(
  'USD',
  `assets:
  - {id: a, price: 10}
  - {id: b, price: 10}
  - {id: c, price: 10}
  - {id: d, price: 10}
bundles:
  - {id: whole, assets: [a, b, c, d], price_multiplier: 0.9}
  - {id: ab, assets: [a, b], price_multiplier: 0.9}
  - {id: cd, assets: [c, d], price_multiplier: 0.9}
`,
);
// whole = 40 × 0.9 = 36.00 → 3600, saving 400; ab = cd = 20 × 0.9 = 18.00 → 1800, saving 200 each.
// Covers {whole} = 400 and {ab, cd} = 200 + 200 = 400 tie; they first differ at `whole`, which
// {whole} takes → {whole}.

/** The same two covers with the small bundles declared first. */
const TIE_WHOLE_LAST = policy(
  'USD',
  `assets:
  - {id: a, price: 10}
  - {id: b, price: 10}
  - {id: c, price: 10}
  - {id: d, price: 10}
bundles:
  - {id: ab, assets: [a, b], price_multiplier: 0.9}
  - {id: cd, assets: [c, d], price_multiplier: 0.9}
  - {id: whole, assets: [a, b, c, d], price_multiplier: 0.9}
`,
);
// Same savings; now the covers first differ at `ab`, which {ab, cd} takes → {ab, cd}.

/** Savings one yen apart: the later bundle saves more and must win. */
const NEAR = policy(
  'JPY',
  `assets:
  - {id: a, price: 10}
  - {id: b, price: 10}
  - {id: c, price: 12}
bundles:
  - {id: ab, assets: [a, b], price_multiplier: 0.5}
  - {id: ac, assets: [a, c], price_multiplier: 0.5}
`,
);
// ab = 20 × 0.5 = 10, saving 10; ac = 22 × 0.5 = 11, saving 11: ac wins by one yen.
// ({ac} + b = 11 + 10 = 21 against {ab} + c = 10 + 12 = 22.)

/** A bundle dearer than its parts (never chosen) next to a cheaper one, and a bundle saving exactly 0. */
const DEAR = policy(
  'USD',
  `assets:
  - {id: m, price: "3.00"}
  - {id: n, price: "4.00"}
  - {id: o, price: "1.00"}
  - {id: s, price: "2.00"}
  - {id: t, price: "3.00"}
bundles:
  - {id: dear, assets: [m, n], price_multiplier: 1.2}
  - {id: mo, assets: [m, o], price_multiplier: 0.9}
  - {id: even, assets: [s, t], price_multiplier: 1}
`,
);
// dear = 7.00 × 1.2 = 8.40 → 840 > 300 + 400 = 700: saving −140, never chosen.
// mo   = 4.00 × 0.9 = 3.60 → 360, saving 400 − 360 = 40.
// even = 5.00 × 1   = 5.00 → 500, saving 0: a cover with it ties the cover without it, and the
//        tie goes to the cover that takes the earlier bundle → the bundle line is used.

/** JPY has no minor unit: half-even on .5 yen, in prices, bundles and tax. */
const JPY = policy(
  'JPY',
  `assets:
  - {id: j1, price: "100.5"}
  - {id: j2, price: "101.5"}
  - {id: j3, price: "120"}
  - {id: j4, price: "181"}
  - {id: j5, price: 125}
  - {id: j6, price: "135"}
bundles:
  - {id: b1, assets: [j1, j2], price_multiplier: 0.75}
  - {id: b2, assets: [j3, j4], price_multiplier: 0.5}
tax:
  rules:
    - {region: JP, code: jct, rate: 0.1}
`,
);
// Singles: j1 100.5 → 100 (100 even), j2 101.5 → 102 (101 odd), j3 120, j4 181, j5 125, j6 135.
// b1 = (100.5 + 101.5) × 0.75 = 202 × 0.75 = 151.5 → 152 (151 odd), saving 100 + 102 − 152 = 50.
// b2 = (120 + 181) × 0.5 = 301 × 0.5 = 150.5 → 150 (150 even), saving 301 − 150 = 151.
// Tax 10 %: 152 × 0.1 = 15.2 → 15; 150 × 0.1 = 15; 135 × 0.1 = 13.5 → 14 (13 odd); 125 × 0.1 = 12.5 → 12 (12 even).

/** KWD has three decimals. */
const KWD = policy(
  'KWD',
  `assets:
  - {id: k1, price: "1.2345"}
  - {id: k2, price: "0.0005"}
  - {id: k3, price: "2.0015"}
bundles:
  - {id: bk, assets: [k1, k3], price_multiplier: 0.9}
tax:
  rules:
    - {region: KW, code: kw, rate: 0.15}
`,
);
// Singles (fils): k1 1234.5 → 1234 (even), k2 0.5 → 0 (even), k3 2001.5 → 2002 (2001 odd).
// bk = (1.2345 + 2.0015) × 0.9 = 3.2360 × 0.9 = 2.91240 → 2912, saving 1234 + 2002 − 2912 = 324.
// Tax 15 %: 2912 × 0.15 = 436.8 → 437; 0 × 0.15 = 0.

/** Decimal strings and YAML numbers are both exact; a price finer than a cent is rounded once per line. */
const EXACT = policy(
  'USD',
  `assets:
  - {id: s1, price: "0.10"}
  - {id: s2, price: "0.20"}
  - {id: n1, price: 0.1}
  - {id: n2, price: 0.2}
  - {id: e1, price: "0.125"}
  - {id: e2, price: "0.145"}
  - {id: f1, price: "1.015"}
  - {id: f2, price: 1.015}
bundles:
  - {id: bs, assets: [s1, s2], price_multiplier: 0.15}
  - {id: bn, assets: [n1, n2], price_multiplier: 0.15}
  - {id: be, assets: [e1, e2], price_multiplier: 0.9}
`,
);
// bs = (0.10 + 0.20) × 0.15 = 0.045 → 4.5 ¢ → 4 (even). (Floats: 0.30000000000000004 × 0.15 × 100
//      = 4.500000000000001, which would round to 5.) Saving 10 + 20 − 4 = 26.
// bn = (0.1 + 0.2) × 0.15: the same numbers written as YAML numbers → 4, saving 26.
// be = (0.125 + 0.145) × 0.9 = 0.27 × 0.9 = 0.243 → 24 ¢; singles e1 12.5 → 12, e2 14.5 → 14, so
//      saving 26 − 24 = 2. (Rounding the prices first, (12 + 14) × 0.9 = 23.4, would give 23.)
// f1 = f2 = 1.015 → 101.5 ¢ → 102 (101 odd). (Floats: 1.015 × 100 = 101.49999999999999 → 101.)

/** Prices include tax. */
const INCLUSIVE = policy(
  'EUR',
  `assets:
  - {id: i1, price: "11.90"}
  - {id: i2, price: "5.00"}
  - {id: i3, price: "2.38"}
bundles:
  - {id: bi, assets: [i1, i3], price_multiplier: 0.5}
tax:
  inclusive: true
  rules:
    - {region: EU, code: vat, rate: vat}
`,
);
// bi = (11.90 + 2.38) × 0.5 = 14.28 × 0.5 = 7.14 → 714, saving 1190 + 238 − 714 = 714.
// DE 19 % inside the price: tax = amount × 19 / 119.
//   714 × 19 / 119 = 13566 / 119 = 114 exactly;  500 × 19 / 119 = 9500 / 119 = 79.83… → 80.
//   1190 × 19 / 119 = 190 exactly.

/** Reverse charge for EU businesses, a default code elsewhere. */
const REVERSE = policy(
  'EUR',
  `assets:
  - {id: r1, price: "100.00"}
  - {id: r2, price: "19.99"}
tax:
  default_code: digital_goods
  rules:
    - {region: EU, code: eu_vat, rate: vat, reverse_charge: true}
`,
);
// DE without a VAT id: 10000 × 0.19 = 1900; 1999 × 0.19 = 379.81 → 380; tax 2280.

/** Per-asset tax codes, and a bundle whose assets carry two codes. */
const CODES = policy(
  'EUR',
  `assets:
  - {id: t1, price: "10.00", tax_code: ebook}
  - {id: t2, price: "20.01"}
  - {id: t3, price: "5.00", tax_code: ebook}
bundles:
  - {id: bt, assets: [t1, t2], price_multiplier: 0.7}
tax:
  rules:
    - {region: DE, code: std, rate: 0.19}
`,
);
// bt = (10.00 + 20.01) × 0.7 = 30.01 × 0.7 = 21.007 → 2101, saving 1000 + 2001 − 2101 = 900.
// Split by code in proportion to the prices 10.00 (ebook) : 20.01 (no own code):
//   ebook 2101 × 1000 / 3001 = 700 rem 300;  none 2101 × 2001 / 3001 = 1400 rem 2701;
//   700 + 1400 = 2100, the 1 left goes to the larger remainder → ebook 700, none 1401.
// DE 19 %: ebook part 700 × 0.19 = 133; none part (the rule's code std) 1401 × 0.19 = 266.19 → 266;
//   the bundle line's tax 133 + 266 = 399, and it has no single code. t3 500 × 0.19 = 95 (ebook).

/** `rate: vat`: the country's standard rate from the dated table. */
const VAT = policy(
  'EUR',
  `assets:
  - {id: v1, price: "10.00"}
  - {id: v2, price: "1.00"}
  - {id: v3, price: "3.00"}
tax:
  rules:
    - {region: EU, code: vat, rate: vat}
`,
);

/** Numeric rates, a region list, and first-match order. */
const NUMERIC = policy(
  'USD',
  `assets:
  - {id: g, price: "19.99"}
tax:
  default_code: none
  rules:
    - {region: CA, code: gst, rate: 0.05}
    - {region: [US, CA], code: sales, rate: 0.0725}
`,
);
// US: 1999 × 0.0725 = 144.9275 → 145.  CA (the first rule holds CA): 1999 × 0.05 = 99.95 → 100.

/** A registry with an unpriced asset and no default_price. */
const REGISTRY = policy(
  'USD',
  `assets:
  - {id: a, price: "1.00"}
  - {id: b, price: "2.00"}
  - {id: free_text}
`,
);

/** A registry with an unpriced asset priced by default_price. */
const REGISTRY_DEFAULT = policy(
  'USD',
  `default_price: 2.5
assets:
  - {id: a, price: "1.00"}
  - {id: u}
bundles:
  - {id: au, assets: [a, u], price_multiplier: 0.5}
`,
);
// u = default 2.50 → 250; au = (1.00 + 2.50) × 0.5 = 1.75 → 175, saving 100 + 250 − 175 = 175.

/** No registry: every asset id costs default_price. */
const NO_REGISTRY_DEFAULT = policy(
  'USD',
  `default_price: 0.99
bundles:
  - {id: trio, assets: [a, b, c], price_multiplier: 0.8}
`,
);
// trio = 3 × 0.99 × 0.8 = 2.376 → 238 (237.6 ¢), saving 297 − 238 = 59.

/** A default price near the largest amount a quote can count exactly. */
const HUGE = policy(
  'USD',
  `default_price: 90000000000000
`,
);
// 90 000 000 000 000 USD = 9 000 000 000 000 000 ¢ ≤ 2^53 − 1 = 9 007 199 254 740 991: one asset is fine,
// two are 18 000 000 000 000 000 ¢, more than a quote can hold exactly.

// ---------------------------------------------------------------------------------------------
// Helpers for writing expectations

type Line = Quote['lines'][number];
type TaxLine = Quote['tax'][number];

function bundle(bundleId: string, assets: string[], amountMinor: number, taxMinor = 0, taxCode?: string): Line {
  return { bundleId, assets, amountMinor, ...(taxCode === undefined ? {} : { taxCode }), taxMinor };
}

function single(asset: string, amountMinor: number, taxMinor = 0, taxCode?: string): Line {
  return { assets: [asset], amountMinor, ...(taxCode === undefined ? {} : { taxCode }), taxMinor };
}

interface QuoteParts {
  currency: string;
  lines: Line[];
  subtotalMinor: number;
  tax?: TaxLine[];
  taxMinor?: number;
  totalMinor: number;
  inclusive?: boolean;
  country?: string;
}

function quote(q: QuoteParts): Quote {
  return {
    currency: q.currency,
    lines: q.lines,
    subtotalMinor: q.subtotalMinor,
    tax: q.tax ?? [],
    taxMinor: q.taxMinor ?? 0,
    totalMinor: q.totalMinor,
    inclusive: q.inclusive ?? false,
    ...(q.country === undefined ? {} : { country: q.country }),
    vatRatesAsOf: AS_OF,
  };
}

const buyer = (country: string, vatId?: string): { context: { country: string; vatId?: string } } => ({ context: { country, ...(vatId === undefined ? {} : { vatId }) } });

// ---------------------------------------------------------------------------------------------
// The cases

export const QUOTE_CASES: readonly QuoteCase[] = [
  // --- bundle choice ---
  {
    name: 'overlapping bundles: the best cover is two middle bundles, not the first nor the largest',
    policy: OVERLAP,
    assets: ['d', 'c', 'b', 'a'],
    // ac 1650 + bd 1050 = 2700 (vs 3600 − 720 = 2880 with `largest`, 3600 − 200 = 3400 with `first`)
    expect: quote({ currency: 'USD', lines: [bundle('ac', ['a', 'c'], 1650), bundle('bd', ['b', 'd'], 1050)], subtotalMinor: 2700, totalMinor: 2700 }),
  },
  {
    name: 'overlapping bundles: without d only first and ac apply, and ac saves more',
    policy: OVERLAP,
    assets: ['a', 'b', 'c'],
    // applicable: first (200), ac (550); they overlap on a → ac; b single 800. 1650 + 800 = 2450
    expect: quote({ currency: 'USD', lines: [bundle('ac', ['a', 'c'], 1650), single('b', 800)], subtotalMinor: 2450, totalMinor: 2450 }),
  },
  {
    name: 'a bundle plus unbundled extras: bundle line first, then singles in request order',
    policy: EXTRAS,
    assets: ['w', 'x', 'z', 'y'],
    // xy 1000 + w 100 + z 225 = 1325
    expect: quote({ currency: 'USD', lines: [bundle('xy', ['x', 'y'], 1000), single('w', 100), single('z', 225)], subtotalMinor: 1325, totalMinor: 1325 }),
  },
  {
    name: 'equal savings: the earlier bundle wins',
    policy: TIE_PAIR,
    assets: ['r', 'q', 'p'],
    // pq 1800 + r 1000 = 2800 (qr + p would also be 2800)
    expect: quote({ currency: 'USD', lines: [bundle('pq', ['p', 'q'], 1800), single('r', 1000)], subtotalMinor: 2800, totalMinor: 2800 }),
  },
  {
    name: 'equal savings, one bundle against two: the cover taking the earliest bundle wins (whole first)',
    policy: TIE_WHOLE,
    assets: ['a', 'b', 'c', 'd'],
    expect: quote({ currency: 'USD', lines: [bundle('whole', ['a', 'b', 'c', 'd'], 3600)], subtotalMinor: 3600, totalMinor: 3600 }),
  },
  {
    name: 'equal savings, one bundle against two: the cover taking the earliest bundle wins (pair first)',
    policy: TIE_WHOLE_LAST,
    assets: ['a', 'b', 'c', 'd'],
    // ab 1800 + cd 1800 = 3600
    expect: quote({ currency: 'USD', lines: [bundle('ab', ['a', 'b'], 1800), bundle('cd', ['c', 'd'], 1800)], subtotalMinor: 3600, totalMinor: 3600 }),
  },
  {
    name: 'savings one yen apart: the later, bigger saving wins',
    policy: NEAR,
    assets: ['a', 'b', 'c'],
    expect: quote({ currency: 'JPY', lines: [bundle('ac', ['a', 'c'], 11), single('b', 10)], subtotalMinor: 21, totalMinor: 21 }),
  },
  {
    name: 'a bundle dearer than its parts is never chosen',
    policy: DEAR,
    assets: ['m', 'n'],
    // 300 + 400 = 700 (dear would be 840)
    expect: quote({ currency: 'USD', lines: [single('m', 300), single('n', 400)], subtotalMinor: 700, totalMinor: 700 }),
  },
  {
    name: 'a dear bundle declared first does not block a cheaper overlapping one',
    policy: DEAR,
    assets: ['n', 'm', 'o'],
    // mo 360 + n 400 = 760
    expect: quote({ currency: 'USD', lines: [bundle('mo', ['m', 'o'], 360), single('n', 400)], subtotalMinor: 760, totalMinor: 760 }),
  },
  {
    name: 'a bundle saving exactly nothing is taken (ties go to the cover with the earlier bundle)',
    policy: DEAR,
    assets: ['t', 's'],
    expect: quote({ currency: 'USD', lines: [bundle('even', ['s', 't'], 500)], subtotalMinor: 500, totalMinor: 500 }),
  },

  // --- currencies and exact decimals ---
  {
    name: 'JPY: half-even on .5 yen in bundles, single prices and tax',
    policy: JPY,
    assets: ['j6', 'j5', 'j4', 'j3', 'j2', 'j1'],
    request: buyer('JP'),
    // subtotal 152 + 150 + 135 + 125 = 562; tax 15 + 15 + 14 + 12 = 56; total 618
    expect: quote({
      currency: 'JPY',
      lines: [bundle('b1', ['j1', 'j2'], 152, 15, 'jct'), bundle('b2', ['j3', 'j4'], 150, 15, 'jct'), single('j6', 135, 14, 'jct'), single('j5', 125, 12, 'jct')],
      subtotalMinor: 562,
      tax: [{ code: 'jct', rate: 0.1, amountMinor: 56 }],
      taxMinor: 56,
      totalMinor: 618,
      country: 'JP',
    }),
  },
  {
    name: 'JPY: a price of 100.5 yen is 100 and 101.5 yen is 102; no rule, no default code: no tax lines',
    policy: JPY,
    assets: ['j1', 'j3', 'j2'],
    // b1 applies (j1, j2): 152; j3 120 single. No country → no rule; no default_code → no tax line.
    expect: quote({ currency: 'JPY', lines: [bundle('b1', ['j1', 'j2'], 152), single('j3', 120)], subtotalMinor: 272, totalMinor: 272 }),
  },
  {
    name: 'JPY: single lines at half a yen',
    policy: JPY,
    assets: ['j2', 'j4'],
    // no bundle applies: 101.5 → 102, 181; 283
    expect: quote({ currency: 'JPY', lines: [single('j2', 102), single('j4', 181)], subtotalMinor: 283, totalMinor: 283 }),
  },
  {
    name: 'KWD: three decimals, half-even on half a fils',
    policy: KWD,
    assets: ['k2', 'k1', 'k3'],
    request: buyer('KW'),
    // subtotal 2912 + 0 = 2912; tax 437 + 0 = 437; total 3349
    expect: quote({
      currency: 'KWD',
      lines: [bundle('bk', ['k1', 'k3'], 2912, 437, 'kw'), single('k2', 0, 0, 'kw')],
      subtotalMinor: 2912,
      tax: [{ code: 'kw', rate: 0.15, amountMinor: 437 }],
      taxMinor: 437,
      totalMinor: 3349,
      country: 'KW',
    }),
  },
  {
    name: 'decimal strings and YAML numbers are exact; finer prices round once per line',
    policy: EXACT,
    assets: ['f2', 'e2', 'n2', 's1', 'e1', 'n1', 's2', 'f1'],
    // bs 4 + bn 4 + be 24 + f2 102 + f1 102 = 236
    expect: quote({
      currency: 'USD',
      lines: [bundle('bs', ['s1', 's2'], 4), bundle('bn', ['n1', 'n2'], 4), bundle('be', ['e1', 'e2'], 24), single('f2', 102), single('f1', 102)],
      subtotalMinor: 236,
      totalMinor: 236,
    }),
  },
  {
    name: 'sub-cent prices as single lines',
    policy: EXACT,
    assets: ['e1', 'e2', 's2'],
    // be applies (e1, e2) → 24; s2 20. 44
    expect: quote({ currency: 'USD', lines: [bundle('be', ['e1', 'e2'], 24), single('s2', 20)], subtotalMinor: 44, totalMinor: 44 }),
  },

  // --- tax ---
  {
    name: 'tax-inclusive prices: the tax is inside the total',
    policy: INCLUSIVE,
    assets: ['i2', 'i3', 'i1'],
    request: buyer('DE'),
    // subtotal 714 + 500 = 1214 = total; tax 114 + 80 = 194
    expect: quote({
      currency: 'EUR',
      lines: [bundle('bi', ['i1', 'i3'], 714, 114, 'vat'), single('i2', 500, 80, 'vat')],
      subtotalMinor: 1214,
      tax: [{ code: 'vat', rate: 0.19, amountMinor: 194 }],
      taxMinor: 194,
      totalMinor: 1214,
      inclusive: true,
      country: 'DE',
    }),
  },
  {
    name: 'tax-inclusive prices, an exact share',
    policy: INCLUSIVE,
    assets: ['i1'],
    request: buyer('DE'),
    // 1190 × 19 / 119 = 190
    expect: quote({
      currency: 'EUR',
      lines: [single('i1', 1190, 190, 'vat')],
      subtotalMinor: 1190,
      tax: [{ code: 'vat', rate: 0.19, amountMinor: 190 }],
      taxMinor: 190,
      totalMinor: 1190,
      inclusive: true,
      country: 'DE',
    }),
  },
  {
    name: 'tax-inclusive prices outside every rule: no tax, still inclusive',
    policy: INCLUSIVE,
    assets: ['i2'],
    request: buyer('US'),
    // no rule holds US, no default_code: no tax line
    expect: quote({ currency: 'EUR', lines: [single('i2', 500)], subtotalMinor: 500, totalMinor: 500, inclusive: true, country: 'US' }),
  },
  {
    name: 'reverse charge: an EU business with a VAT id pays 0, lines marked reverse charge',
    policy: REVERSE,
    assets: ['r1', 'r2'],
    request: buyer('DE', 'DE123456789'),
    // 10000 + 1999 = 11999, rate 0
    expect: quote({
      currency: 'EUR',
      lines: [single('r1', 10000, 0, 'eu_vat'), single('r2', 1999, 0, 'eu_vat')],
      subtotalMinor: 11999,
      tax: [{ code: 'eu_vat', rate: 0, amountMinor: 0, reverseCharge: true }],
      totalMinor: 11999,
      country: 'DE',
    }),
  },
  {
    name: 'reverse charge rule without a VAT id: normal VAT',
    policy: REVERSE,
    assets: ['r1', 'r2'],
    request: buyer('DE'),
    // tax 1900 + 380 = 2280; total 11999 + 2280 = 14279
    expect: quote({
      currency: 'EUR',
      lines: [single('r1', 10000, 1900, 'eu_vat'), single('r2', 1999, 380, 'eu_vat')],
      subtotalMinor: 11999,
      tax: [{ code: 'eu_vat', rate: 0.19, amountMinor: 2280 }],
      taxMinor: 2280,
      totalMinor: 14279,
      country: 'DE',
    }),
  },
  {
    name: 'reverse charge rule with a blank VAT id: normal VAT',
    policy: REVERSE,
    assets: ['r2'],
    request: buyer('FR', '   '),
    // FR 20 %: 1999 × 0.2 = 399.8 → 400; total 2399
    expect: quote({
      currency: 'EUR',
      lines: [single('r2', 1999, 400, 'eu_vat')],
      subtotalMinor: 1999,
      tax: [{ code: 'eu_vat', rate: 0.2, amountMinor: 400 }],
      taxMinor: 400,
      totalMinor: 2399,
      country: 'FR',
    }),
  },
  {
    name: 'a country no rule holds: the default code at rate 0, a VAT id changes nothing',
    policy: REVERSE,
    assets: ['r2', 'r1'],
    request: buyer('US', 'US-EIN-1'),
    expect: quote({
      currency: 'EUR',
      lines: [single('r2', 1999, 0, 'digital_goods'), single('r1', 10000, 0, 'digital_goods')],
      subtotalMinor: 11999,
      tax: [{ code: 'digital_goods', rate: 0, amountMinor: 0 }],
      totalMinor: 11999,
      country: 'US',
    }),
  },
  {
    name: 'per-asset tax codes: a bundle of two codes is apportioned by price',
    policy: CODES,
    assets: ['t3', 't2', 't1'],
    request: buyer('DE'),
    // subtotal 2101 + 500 = 2601; tax 399 + 95 = 494; total 3095; ebook 133 + 95 = 228, std 266
    expect: quote({
      currency: 'EUR',
      lines: [bundle('bt', ['t1', 't2'], 2101, 399), single('t3', 500, 95, 'ebook')],
      subtotalMinor: 2601,
      tax: [
        { code: 'ebook', rate: 0.19, amountMinor: 228 },
        { code: 'std', rate: 0.19, amountMinor: 266 },
      ],
      taxMinor: 494,
      totalMinor: 3095,
      country: 'DE',
    }),
  },
  {
    name: 'per-asset tax codes without a buyer country: own codes kept, nothing else coded',
    policy: CODES,
    assets: ['t2', 't1', 't3'],
    // bt's parts: ebook 700 (code ebook), 1401 (no code, no rule, no default) → no single code
    expect: quote({
      currency: 'EUR',
      lines: [bundle('bt', ['t1', 't2'], 2101, 0), single('t3', 500, 0, 'ebook')],
      subtotalMinor: 2601,
      tax: [{ code: 'ebook', rate: 0, amountMinor: 0 }],
      totalMinor: 2601,
    }),
  },
  {
    name: 'rate: vat for DE is 19 %',
    policy: VAT,
    assets: ['v1', 'v2', 'v3'],
    request: buyer('DE'),
    // 1000 × 0.19 = 190; 100 × 0.19 = 19; 300 × 0.19 = 57 → 266; total 1400 + 266 = 1666
    expect: quote({
      currency: 'EUR',
      lines: [single('v1', 1000, 190, 'vat'), single('v2', 100, 19, 'vat'), single('v3', 300, 57, 'vat')],
      subtotalMinor: 1400,
      tax: [{ code: 'vat', rate: 0.19, amountMinor: 266 }],
      taxMinor: 266,
      totalMinor: 1666,
      country: 'DE',
    }),
  },
  {
    name: 'rate: vat for FI is 25.5 %, half-even per line',
    policy: VAT,
    assets: ['v1', 'v2', 'v3'],
    request: buyer('FI'),
    // 1000 × 0.255 = 255; 100 × 0.255 = 25.5 → 26 (25 odd); 300 × 0.255 = 76.5 → 76 (even) → 357; total 1757
    expect: quote({
      currency: 'EUR',
      lines: [single('v1', 1000, 255, 'vat'), single('v2', 100, 26, 'vat'), single('v3', 300, 76, 'vat')],
      subtotalMinor: 1400,
      tax: [{ code: 'vat', rate: 0.255, amountMinor: 357 }],
      taxMinor: 357,
      totalMinor: 1757,
      country: 'FI',
    }),
  },
  {
    name: 'rate: vat for HU is 27 %',
    policy: VAT,
    assets: ['v1', 'v2', 'v3'],
    request: buyer('HU'),
    // 270 + 27 + 81 = 378; total 1778
    expect: quote({
      currency: 'EUR',
      lines: [single('v1', 1000, 270, 'vat'), single('v2', 100, 27, 'vat'), single('v3', 300, 81, 'vat')],
      subtotalMinor: 1400,
      tax: [{ code: 'vat', rate: 0.27, amountMinor: 378 }],
      taxMinor: 378,
      totalMinor: 1778,
      country: 'HU',
    }),
  },
  {
    name: 'a numeric rate over a region list',
    policy: NUMERIC,
    assets: ['g'],
    request: buyer('US'),
    // 1999 × 0.0725 = 144.9275 → 145; total 2144
    expect: quote({
      currency: 'USD',
      lines: [single('g', 1999, 145, 'sales')],
      subtotalMinor: 1999,
      tax: [{ code: 'sales', rate: 0.0725, amountMinor: 145 }],
      taxMinor: 145,
      totalMinor: 2144,
      country: 'US',
    }),
  },
  {
    name: 'the first rule holding the country wins',
    policy: NUMERIC,
    assets: ['g'],
    request: buyer('CA'),
    // 1999 × 0.05 = 99.95 → 100; total 2099
    expect: quote({
      currency: 'USD',
      lines: [single('g', 1999, 100, 'gst')],
      subtotalMinor: 1999,
      tax: [{ code: 'gst', rate: 0.05, amountMinor: 100 }],
      taxMinor: 100,
      totalMinor: 2099,
      country: 'CA',
    }),
  },

  // --- prices from the registry and defaults ---
  {
    name: 'a registry asset without a price takes default_price',
    policy: REGISTRY_DEFAULT,
    assets: ['u', 'a'],
    expect: quote({ currency: 'USD', lines: [bundle('au', ['a', 'u'], 175)], subtotalMinor: 175, totalMinor: 175 }),
  },
  {
    name: 'without a registry every id costs default_price',
    policy: NO_REGISTRY_DEFAULT,
    assets: ['c', 'anything', 'b', 'a'],
    // trio 238 + anything 99 = 337
    expect: quote({ currency: 'USD', lines: [bundle('trio', ['a', 'b', 'c'], 238), single('anything', 99)], subtotalMinor: 337, totalMinor: 337 }),
  },

  // --- the seed policy: no registry, no default_price → each asset 1 USD ---
  {
    name: 'seed policy: ai_starter_kit is 1.60',
    policy: SEED_POLICY,
    assets: ['model:llm-base', 'dataset:training-corpus'],
    // (1 + 1) × 0.8 = 1.60 → 160; no country: no rule → default code digital_goods at rate 0
    expect: quote({
      currency: 'USD',
      lines: [bundle('ai_starter_kit', ['model:llm-base', 'dataset:training-corpus'], 160, 0, 'digital_goods')],
      subtotalMinor: 160,
      tax: [{ code: 'digital_goods', rate: 0, amountMinor: 0 }],
      totalMinor: 160,
    }),
  },
  {
    name: 'seed policy: enterprise_data_suite is 2.10',
    policy: SEED_POLICY,
    assets: ['api:analytics', 'dataset:market', 'dataset:financial'],
    // 3 × 1 × 0.7 = 2.10 → 210
    expect: quote({
      currency: 'USD',
      lines: [bundle('enterprise_data_suite', ['dataset:financial', 'dataset:market', 'api:analytics'], 210, 0, 'digital_goods')],
      subtotalMinor: 210,
      tax: [{ code: 'digital_goods', rate: 0, amountMinor: 0 }],
      totalMinor: 210,
    }),
  },
  {
    name: 'seed policy: both bundles and an extra asset, bought in Finland',
    policy: SEED_POLICY,
    assets: ['api:analytics', 'model:llm-base', 'x', 'dataset:market', 'dataset:training-corpus', 'dataset:financial'],
    request: buyer('FI'),
    // 160 + 210 + 100 = 470; FI 25.5 %: 160 × 0.255 = 40.8 → 41; 210 × 0.255 = 53.55 → 54;
    // 100 × 0.255 = 25.5 → 26 (25 odd) → 121; total 591
    expect: quote({
      currency: 'USD',
      lines: [
        bundle('ai_starter_kit', ['model:llm-base', 'dataset:training-corpus'], 160, 41, 'digital_services_eu'),
        bundle('enterprise_data_suite', ['dataset:financial', 'dataset:market', 'api:analytics'], 210, 54, 'digital_services_eu'),
        single('x', 100, 26, 'digital_services_eu'),
      ],
      subtotalMinor: 470,
      tax: [{ code: 'digital_services_eu', rate: 0.255, amountMinor: 121 }],
      taxMinor: 121,
      totalMinor: 591,
      country: 'FI',
    }),
  },
  {
    name: 'seed policy: outside the EU the default code at rate 0',
    policy: SEED_POLICY,
    assets: ['model:llm-base'],
    request: buyer('US'),
    expect: quote({
      currency: 'USD',
      lines: [single('model:llm-base', 100, 0, 'digital_goods')],
      subtotalMinor: 100,
      tax: [{ code: 'digital_goods', rate: 0, amountMinor: 0 }],
      totalMinor: 100,
      country: 'US',
    }),
  },

  // --- errors ---
  {
    name: 'an id outside the registry is unknown',
    policy: REGISTRY,
    assets: ['a', 'zzz', 'b'],
    expect: { error: 'unknown_asset', message: "asset 'zzz' is not in the policy's assets registry", assetId: 'zzz' },
  },
  {
    name: 'an id named twice',
    policy: REGISTRY,
    assets: ['a', 'b', 'a'],
    expect: { error: 'duplicate_asset', message: "asset 'a' is named twice", assetId: 'a' },
  },
  {
    name: 'an unpriced registry asset without default_price',
    policy: REGISTRY,
    assets: ['a', 'free_text'],
    expect: { error: 'no_price', message: "asset 'free_text' has no price and the policy sets no default_price", assetId: 'free_text' },
  },
  {
    name: "'EL' (Greece's VAT prefix) is not an ISO country code",
    policy: SEED_POLICY,
    assets: ['model:llm-base'],
    request: buyer('EL'),
    expect: { error: 'unknown_country', message: "country 'EL' is not an ISO 3166-1 alpha-2 code such as 'DE'" },
  },
  {
    name: 'a lower-case country is not a code',
    policy: VAT,
    assets: ['v1'],
    request: buyer('de'),
    expect: { error: 'unknown_country', message: "country 'de' is not an ISO 3166-1 alpha-2 code such as 'DE'" },
  },
  {
    name: 'the largest single price a quote can hold',
    policy: HUGE,
    assets: ['one'],
    expect: quote({ currency: 'USD', lines: [single('one', 9000000000000000)], subtotalMinor: 9000000000000000, totalMinor: 9000000000000000 }),
  },
  {
    name: 'a total beyond exact counting',
    policy: HUGE,
    assets: ['one', 'two'],
    expect: { error: 'amount_too_large', message: 'the total exceeds the largest amount a quote can hold exactly' },
  },
  {
    name: 'an empty list',
    policy: SEED_POLICY,
    assets: [],
    expect: { error: 'invalid_assets', message: 'assetIds is empty: name at least one asset' },
  },
  {
    name: 'not an array',
    policy: SEED_POLICY,
    assets: 'model:llm-base',
    expect: { error: 'invalid_assets', message: 'assetIds must be an array of asset id strings' },
  },
  {
    name: 'an array-like object is not an array',
    policy: SEED_POLICY,
    assets: { 0: 'model:llm-base', length: 1 },
    expect: { error: 'invalid_assets', message: 'assetIds must be an array of asset id strings' },
  },
  {
    name: 'a non-string id',
    policy: SEED_POLICY,
    assets: ['model:llm-base', 7],
    expect: { error: 'invalid_assets', message: 'assetIds[1] is not a non-empty string' },
  },
  {
    name: 'an empty id',
    policy: SEED_POLICY,
    assets: [''],
    expect: { error: 'invalid_assets', message: 'assetIds[0] is not a non-empty string' },
  },
  {
    name: 'a request that is not an object',
    policy: SEED_POLICY,
    assets: ['model:llm-base'],
    request: 'DE',
    expect: { error: 'invalid_request', message: 'the request must be an object' },
  },
  {
    name: 'a context that is not an object',
    policy: SEED_POLICY,
    assets: ['model:llm-base'],
    request: { context: ['DE'] },
    expect: { error: 'invalid_request', message: 'request.context must be an object' },
  },
];

/** The buyer of a case as the CLI takes it: `{}` for none, undefined when a command line cannot say it. */
function cliContext(request: unknown): CliCase['context'] | undefined {
  if (request === undefined) return {};
  if (typeof request !== 'object' || request === null) return undefined;
  const keys = Object.keys(request);
  if (keys.length !== 1 || keys[0] !== 'context') return undefined;
  const ctx = (request as { context: unknown }).context;
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) return undefined;
  const out: { country?: string; vatId?: string } = {};
  for (const [k, v] of Object.entries(ctx)) {
    if ((k !== 'country' && k !== 'vatId') || typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/**
 * The cases a command line can express (`--assets a,b,…` plus the buyer's country and VAT id):
 * non-empty string ids without commas, and a request that is only a buyer context.
 */
export function cliCases(): CliCase[] {
  const out: CliCase[] = [];
  for (const c of QUOTE_CASES) {
    if (!Array.isArray(c.assets) || c.assets.length === 0 || !c.assets.every((a): a is string => typeof a === 'string' && a !== '' && !a.includes(','))) continue;
    const context = cliContext(c.request);
    if (context === undefined) continue;
    out.push({ name: c.name, policy: c.policy, assets: c.assets, ...(Object.keys(context).length === 0 ? {} : { context }), expect: c.expect });
  }
  return out;
}
