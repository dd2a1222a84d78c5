/**
 * Deterministic catalogues and baskets for the quote benchmark: a priced asset registry with
 * overlapping bundles and tax rules, written both as policy YAML (for the compiler) and as plain
 * data (for the hand-written baseline), and baskets that mostly hold one or more whole bundles.
 */
import { rng } from './gen-policy.js';
import type { Catalogue, CatalogueBundle } from './handwritten-quote.js';

/** One quote call: the asset ids and, when there is a buyer, the request naming their country. */
export interface Basket {
  readonly assetIds: readonly string[];
  readonly request?: { readonly context: { readonly country: string } };
}

const TYPES = ['content', 'code', 'data', 'model'];

/** A price in dollars with 0, 1 or 2 decimals, from 0.50 to 500.00. */
function price(r: () => number): string {
  const cents = 50 + Math.floor(r() * 49951);
  const shape = r();
  if (shape < 0.1) return String(Math.max(1, Math.round(cents / 100)));
  if (shape < 0.25) return (Math.max(1, Math.round(cents / 10)) / 10).toFixed(1);
  return (cents / 100).toFixed(2);
}

/**
 * `assets` priced assets and `bundles` bundles of 2–5 of them with multipliers 0.60–0.95. Most
 * bundle members come from a popular quarter of the catalogue and a fifth of the bundles vary an
 * earlier one (one member swapped or added), so bundles overlap and compete in a basket.
 */
export function generateCatalogue(assets = 1000, bundles = 200, seed = 2024): { yaml: string; catalogue: Catalogue } {
  const r = rng(seed);
  const ids: string[] = [];
  const prices: string[] = [];
  for (let i = 0; i < assets; i++) {
    ids.push(`${TYPES[i % TYPES.length]}:item-${String(i).padStart(4, '0')}`);
    prices.push(price(r));
  }
  const popular = Math.max(2, Math.floor(assets / 4));
  const member = (): string => ids[r() < 0.7 ? Math.floor(r() * popular) : Math.floor(r() * assets)]!;
  const out: CatalogueBundle[] = [];
  const sets = new Set<string>();
  while (out.length < bundles) {
    let members: string[];
    if (out.length > 0 && r() < 0.2) {
      members = [...out[Math.floor(r() * out.length)]!.assets];
      if (members.length < 5 && r() < 0.5) members.push(member());
      else members[Math.floor(r() * members.length)] = member();
    } else {
      const size = 2 + Math.floor(r() * 4);
      members = [];
      while (members.length < size) members.push(member());
    }
    const key = [...members].sort().join(',');
    if (new Set(members).size !== members.length || sets.has(key)) continue;
    sets.add(key);
    out.push({ id: `bundle_${out.length}`, assets: members, multiplier: String((60 + Math.floor(r() * 36)) / 100) });
  }
  const catalogue: Catalogue = {
    assets: ids.map((id, i) => ({ id, price: prices[i]! })),
    bundles: out,
    tax: {
      defaultCode: 'digital_goods',
      rules: [
        { region: 'EU', code: 'digital_services_eu', rate: 'vat' },
        { region: ['US'], code: 'sales_tax_us', rate: '0.0725' },
      ],
    },
  };
  const lines = [
    'version: "1.0"',
    'currency: USD',
    'rules:',
    '  - id: allow_all',
    '    condition: true',
    '    action: {allow: true, cost: 1}',
    'assets:',
    ...catalogue.assets.map((a) => `  - {id: "${a.id}", price: "${a.price}"}`),
    'bundles:',
    ...out.map((b) => `  - {id: ${b.id}, assets: [${b.assets.map((a) => `"${a}"`).join(', ')}], price_multiplier: ${b.multiplier}}`),
    'tax:',
    '  default_code: digital_goods',
    '  rules:',
    '    - {region: EU, code: digital_services_eu, rate: vat}',
    '    - {region: US, code: sales_tax_us, rate: 0.0725}',
  ];
  return { yaml: `${lines.join('\n')}\n`, catalogue };
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * `n` baskets of 2–12 of the catalogue's assets: for most, one to three bundles are drawn and kept
 * whole while they fit, then random extras (mostly popular assets, so partial bundles are common)
 * fill the basket; the ids come in shuffled order. Buyers: none, DE, FR, FI (EU VAT), US (sales
 * tax) or JP (no rule).
 */
export function generateBaskets(catalogue: Catalogue, n: number, seed = 99): Basket[] {
  const r = rng(seed);
  const ids = catalogue.assets.map((a) => a.id);
  const popular = Math.max(2, Math.floor(ids.length / 4));
  const countries = [undefined, undefined, 'DE', 'FR', 'FI', 'US', 'JP'];
  const out: Basket[] = [];
  for (let i = 0; i < n; i++) {
    const size = 2 + Math.floor(r() * 11);
    const basket = new Set<string>();
    if (r() < 0.85) {
      const draws = 1 + Math.floor(r() * 3);
      for (let d = 0, tries = 0; d < draws && tries < 20; tries++) {
        const b = catalogue.bundles[Math.floor(r() * catalogue.bundles.length)]!;
        const merged = new Set([...basket, ...b.assets]);
        if (merged.size > size) continue;
        for (const a of b.assets) basket.add(a);
        d++;
      }
    }
    while (basket.size < size) basket.add(ids[r() < 0.7 ? Math.floor(r() * popular) : Math.floor(r() * ids.length)]!);
    const country = countries[Math.floor(r() * countries.length)];
    const assetIds = shuffle([...basket], r);
    out.push(country === undefined ? { assetIds } : { assetIds, request: { context: { country } } });
  }
  return out;
}

/**
 * Baskets for the seed policy: some or all of its five bundle assets and up to three extras (every
 * asset costs 1.00 there), in shuffled order, half of them bought from Germany.
 */
export function generateSeedBaskets(bundleAssets: readonly string[], n: number, seed = 5): Basket[] {
  const r = rng(seed);
  const extras = ['code:sdk', 'content:guide', 'model:llm-large', 'dataset:weather'];
  const out: Basket[] = [];
  for (let i = 0; i < n; i++) {
    const ids = bundleAssets.filter(() => r() < 0.7);
    for (const e of extras) if (r() < 0.25) ids.push(e);
    if (ids.length === 0) ids.push(bundleAssets[Math.floor(r() * bundleAssets.length)]!);
    const assetIds = shuffle(ids, r);
    out.push(i % 2 === 0 ? { assetIds } : { assetIds, request: { context: { country: 'DE' } } });
  }
  return out;
}
