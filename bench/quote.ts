/**
 * Quote throughput of a compiled module (written to a file by `compileIr` and imported, as a user
 * would load it) against a hand-written exact solver, side by side on the same baskets: the seed
 * policy and a generated catalogue of 1,000 assets and 200 overlapping bundles.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPolicyText, hasErrors } from '../src/pipeline/pipeline.js';
import { compileIr, type DecisionModule } from '../src/codegen/compile.js';
import type { IrPolicy } from '../src/ir/ir.js';
import { generateBaskets, generateCatalogue, generateSeedBaskets, type Basket } from './gen-catalogue.js';
import { handwrittenQuoter, SEED_CATALOGUE, type Catalogue } from './handwritten-quote.js';
import { median } from './stats.js';

type QuoteFn = (b: Basket) => unknown;

function totalOf(q: unknown): number {
  return typeof q === 'object' && q !== null && 'totalMinor' in q ? (q as { totalMinor: number }).totalMinor : -1;
}

function nsPerQuote(quote: QuoteFn, baskets: readonly Basket[], minMs: number): number {
  let sink = 0;
  let ops = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < baskets.length; i++) sink += totalOf(quote(baskets[i]!));
    ops += baskets.length;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  if (sink === -1) console.log('unreachable');
  return (elapsed * 1e6) / ops;
}


function sideBySide(impls: Record<string, QuoteFn>, baskets: readonly Basket[], rounds: number, minMs: number): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(impls)) {
    samples[name] = [];
    nsPerQuote(impls[name]!, baskets, 100); // warm up
  }
  for (let r = 0; r < rounds; r++) for (const [name, fn] of Object.entries(impls)) samples[name]!.push(nsPerQuote(fn, baskets, minMs));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/** Compile to an ESM file in a temporary directory and import it. */
async function importCompiled(ir: IrPolicy): Promise<DecisionModule> {
  const out = await compileIr(ir);
  const dir = mkdtempSync(join(tmpdir(), 'monetize-bench-'));
  try {
    const file = join(dir, 'policy.mjs');
    writeFileSync(file, out.code);
    return (await import(pathToFileURL(file).href)) as DecisionModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Shape {
  readonly lines: readonly { readonly bundleId?: string }[];
  readonly subtotalMinor: number;
  readonly taxMinor: number;
  readonly totalMinor: number;
}

/** Subtotal, tax, total and the chosen bundles, or the error code. */
function summary(q: unknown): string {
  if (typeof q !== 'object' || q === null) return String(q);
  if ('error' in q) return `error ${String(q.error)}`;
  const s = q as Shape;
  const bundles = s.lines.flatMap((l) => (l.bundleId === undefined ? [] : [l.bundleId]));
  return `${s.subtotalMinor} + ${s.taxMinor} = ${s.totalMinor} [${bundles.join(' ')}]`;
}

/** How many bundles apply to each basket on average, and in how many baskets two of them overlap. */
function choiceStats(catalogue: Catalogue, baskets: readonly Basket[]): { applicable: number; contested: number } {
  let applicable = 0;
  let contested = 0;
  for (const b of baskets) {
    const basket = new Set(b.assetIds);
    const apply = catalogue.bundles.filter((x) => x.assets.every((a) => basket.has(a)));
    applicable += apply.length;
    const members = apply.flatMap((x) => x.assets);
    if (new Set(members).size < members.length) contested++;
  }
  return { applicable: applicable / baskets.length, contested };
}

/** Print one case: checks agreement on every basket, then measures. Returns the ratio. */
async function measure(title: string, ir: IrPolicy, catalogue: Catalogue, baskets: readonly Basket[], rounds: number, minMs: number): Promise<number> {
  const compiled = await importCompiled(ir);
  const hand = handwrittenQuoter(catalogue);
  let withBundle = 0;
  let bundleLines = 0;
  for (const b of baskets) {
    const ours = compiled.quote(b.assetIds, b.request);
    const theirs = hand(b.assetIds, b.request);
    const a = summary(ours);
    if (a !== summary(theirs)) throw new Error(`hand-written quote disagrees with compiled on ${JSON.stringify(b)}: ${a} vs ${summary(theirs)}`);
    if ('error' in ours) throw new Error(`the compiled quote refuses ${JSON.stringify(b)}: ${ours.message}`);
    const n = ours.lines.filter((l) => l.bundleId !== undefined).length;
    bundleLines += n;
    if (n > 0) withBundle++;
  }
  const rates = sideBySide({ compiled: (b) => compiled.quote(b.assetIds, b.request), 'hand-written': (b) => hand(b.assetIds, b.request) }, baskets, rounds, minMs);
  const meanSize = baskets.reduce((s, b) => s + b.assetIds.length, 0) / baskets.length;
  const buyers = baskets.filter((b) => b.request !== undefined).length;
  console.log(`${title}: ${baskets.length.toLocaleString('en-US')} baskets of ${meanSize.toFixed(1)} assets on average, ${buyers.toLocaleString('en-US')} with a buyer country (median of ${rounds} interleaved rounds)`);
  const choice = choiceStats(catalogue, baskets);
  console.log(`  ${choice.applicable.toFixed(2)} applicable bundles per basket, overlapping in ${choice.contested.toLocaleString('en-US')} baskets`);
  console.log(`  ${withBundle.toLocaleString('en-US')} quotes use a bundle (${(bundleLines / baskets.length).toFixed(2)} bundle lines per quote); totals agree on every basket`);
  const base = rates['hand-written']!;
  for (const [name, ns] of Object.entries(rates)) {
    const perSec = 1e9 / ns;
    const rate = perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M/s` : `${(perSec / 1e3).toFixed(0)} k/s`;
    console.log(`  ${name.padEnd(14)} ${ns.toFixed(0).padStart(7)} ns/quote  ${rate.padStart(9)}   ${(base / ns).toFixed(2)}× hand-written`);
  }
  const ratio = base / rates.compiled!;
  console.log(`  compiled / hand-written throughput: ${ratio.toFixed(2)}`);
  return ratio;
}

/** The quote section of `npm run bench`. */
export async function benchQuotes(seedIr: IrPolicy): Promise<void> {
  const seedAssets = SEED_CATALOGUE.bundles.flatMap((b) => b.assets);
  await measure('Quotes, seed policy', seedIr, SEED_CATALOGUE, generateSeedBaskets(seedAssets, 2000), 7, 150);

  const { yaml, catalogue } = generateCatalogue(1000, 200);
  const gen = loadPolicyText('generated-catalogue.yaml', yaml);
  if (hasErrors(gen) || !gen.ir) throw new Error(`the generated catalogue does not load: ${gen.diagnostics.find((d) => d.severity === 'error')?.message ?? ''}`);
  console.log('');
  await measure('Quotes, generated catalogue (1,000 assets, 200 bundles)', gen.ir, catalogue, generateBaskets(catalogue, 5000), 7, 200);
}
