/**
 * `npm run bench`: every figure measured side by side in one process on the same inputs.
 * Decide and quote throughput are measured in interleaved rounds and the median round is reported.
 */
import { readFileSync } from 'node:fs';
import { loadPolicyText, hasErrors } from '../src/pipeline/pipeline.js';
import { compileIr, instantiate } from '../src/codegen/compile.js';
import { createInterpreter } from '../src/interp/interpreter.js';
import { generateDeclaredFields, generatePolicy, generateRequests } from './gen-policy.js';
import { handwrittenDecide } from './handwritten.js';
import { jsonRulesEngineDecide } from './peers.js';
import { benchQuotes } from './quote.js';
import { benchReplay } from './replay.js';
import { median } from './stats.js';

type Decide = (r: unknown) => { allowed: boolean; cost?: number };

function nsPerOp(decide: Decide, reqs: readonly unknown[], minMs: number): number {
  let sink = 0;
  let ops = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < reqs.length; i++) {
      const d = decide(reqs[i]);
      sink += d.allowed ? (d.cost ?? 1) : 0;
    }
    ops += reqs.length;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  if (sink === -1) console.log('unreachable');
  return (elapsed * 1e6) / ops;
}


function sideBySide(impls: Record<string, Decide>, reqs: readonly unknown[], rounds = 11, minMs = 150): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(impls)) {
    samples[name] = [];
    nsPerOp(impls[name]!, reqs, 100); // warm up
  }
  for (let r = 0; r < rounds; r++) for (const [name, fn] of Object.entries(impls)) samples[name]!.push(nsPerOp(fn, reqs, minMs));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

function fmtRate(ns: number): string {
  const perSec = 1e9 / ns;
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M/s` : `${(perSec / 1e3).toFixed(1)} k/s`;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

async function main(): Promise<void> {
  console.log(`monetize benchmarks — node ${process.version}, ${process.arch}\n`);
  // `node dist/bench/run.js replay`: only the replay section.
  if (process.argv[2] === 'replay') return benchReplay();

  // 1. Seed policy: compiled vs hand-written vs interpreter vs json-rules-engine.
  const seedText = readFileSync(new URL('../../examples/monetization-policy.yaml', import.meta.url), 'utf8');
  const seed = loadPolicyText('examples/monetization-policy.yaml', seedText);
  if (hasErrors(seed) || !seed.ir) throw new Error('the seed policy does not load');
  const seedIr = seed.ir;
  const compiled = instantiate(seedIr);
  const interp = createInterpreter(seedIr);
  const reqs = generateRequests(10_000);
  for (const r of reqs) {
    const a = JSON.stringify(compiled.decide(r));
    const b = JSON.stringify(handwrittenDecide(r));
    if (a !== b) throw new Error(`baseline disagrees with compiled on ${JSON.stringify(r)}: ${a} vs ${b}`);
  }
  const seedRates = sideBySide({ compiled: (r) => compiled.decide(r), handwritten: handwrittenDecide, interpreter: (r) => interp.decide(r) }, reqs);
  const jre = jsonRulesEngineDecide();
  const jreReqs = reqs.slice(0, 2000);
  const t0 = performance.now();
  for (const r of jreReqs) await jre(r as Record<string, unknown>);
  const jreNs = ((performance.now() - t0) * 1e6) / jreReqs.length;
  console.log('Seed policy, 10,000 generated requests (median of 11 interleaved rounds):');
  const base = seedRates.handwritten!;
  const rows: [string, number][] = [...Object.entries(seedRates), ['json-rules-engine', jreNs]];
  for (const [name, ns] of rows) console.log(`  ${name.padEnd(18)} ${ns.toFixed(1).padStart(9)} ns/decision  ${fmtRate(ns).padStart(10)}   ${(base / ns).toFixed(2)}× hand-written`);
  const ratio = base / seedRates.compiled!;
  console.log(`  compiled / hand-written throughput: ${ratio.toFixed(2)} (bar: ≥ 0.90) ${ratio >= 0.9 ? 'PASS' : 'FAIL'}\n`);

  // 2. A generated 5,000-rule policy: lint, compile, decide.
  const bigText = generatePolicy(5000);
  const [big, lintMs] = time(() => loadPolicyText('generated-5000.yaml', bigText));
  if (hasErrors(big) || !big.ir) throw new Error('the generated policy does not load');
  const stages = Object.entries(big.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  console.log(`Generated policy: 5,000 rules, ${(bigText.length / 1024).toFixed(0)} KiB of YAML`);
  const lowerMs = big.timings.lower ?? 0;
  console.log(`  lint (parse + schema + model + check + lint rules): ${(lintMs - lowerMs).toFixed(0)} ms  [${stages} ms] (bar: < 2000 ms) ${lintMs - lowerMs < 2000 ? 'PASS' : 'FAIL'}`);
  const bigIr = big.ir;
  const tc = performance.now();
  const out = await compileIr(bigIr);
  const bundleMs = performance.now() - tc;
  const total = lintMs + bundleMs;
  console.log(`  compile (lower ${lowerMs.toFixed(0)} ms + generate & bundle ${bundleMs.toFixed(0)} ms): ${(lowerMs + bundleMs).toFixed(0)} ms, ${(out.code.length / 1024).toFixed(0)} KiB of JavaScript`);
  console.log(`  lint + compile: ${total.toFixed(0)} ms (bar: < 2000 ms) ${total < 2000 ? 'PASS' : 'FAIL'}`);
  const bigCompiled = instantiate(bigIr);
  const bigLinear = instantiate(bigIr, { indexThreshold: Number.MAX_SAFE_INTEGER });
  const bigInterp = createInterpreter(bigIr);
  const bigReqs = generateRequests(2000, 11);
  for (const r of bigReqs) {
    const a = JSON.stringify(bigCompiled.decide(r));
    if (a !== JSON.stringify(bigInterp.decide(r)) || a !== JSON.stringify(bigLinear.decide(r))) throw new Error(`engines disagree on the generated policy for ${JSON.stringify(r)}`);
  }
  const bigRates = sideBySide({ 'compiled (indexed)': (r) => bigCompiled.decide(r), 'compiled (linear)': (r) => bigLinear.decide(r), interpreter: (r) => bigInterp.decide(r) }, bigReqs, 3, 200);
  for (const [name, ns] of Object.entries(bigRates)) console.log(`  decide, ${name.padEnd(18)} ${(ns / 1000).toFixed(2).padStart(8)} µs/decision  ${fmtRate(ns).padStart(10)}`);

  // 3. Many declared fields: every step must stay linear in them (the field-clash check once was
  // O(n²): 120 s for 40,000 fields), including the did-you-mean hints of misspelt reads.
  const FIELDS = 40_000;
  const fieldsText = generateDeclaredFields(FIELDS);
  const [fields, fieldsMs] = time(() => loadPolicyText('declared-fields.yaml', fieldsText, { until: 'lint' }));
  if (hasErrors(fields)) throw new Error('the declared-fields policy does not load');
  const fieldStages = Object.entries(fields.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  console.log(`\nDeclared fields: ${FIELDS.toLocaleString('en-US')} under schema:, ${(fieldsText.length / 1024).toFixed(0)} KiB of YAML`);
  console.log(`  lint: ${fieldsMs.toFixed(0)} ms  [${fieldStages} ms]`);
  const TYPOS = 1000;
  const typoText = generateDeclaredFields(FIELDS, TYPOS);
  const [typo, typoMs] = time(() => loadPolicyText('declared-fields-typos.yaml', typoText, { until: 'lint' }));
  const hinted = typo.diagnostics.filter((d) => d.code === 'M300' && d.hint?.startsWith('did you mean')).length;
  console.log(`  lint with ${TYPOS.toLocaleString('en-US')} misspelt reads: ${typoMs.toFixed(0)} ms, ${hinted} of them with a did-you-mean (check ${(typo.timings.check ?? 0).toFixed(0)} ms)`);

  // 4. Quotes: a compiled module's quote() against a hand-written exact solver.
  console.log('');
  await benchQuotes(seedIr);

  // 5. Replay: `monetize simulate`'s path against a hand-written loop, throughput and peak memory.
  console.log('');
  await benchReplay();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
