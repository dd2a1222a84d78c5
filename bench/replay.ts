/**
 * Replay throughput and memory: a generated access log for the marketplace example replayed by
 * every implementation of `replay-run.ts` (`monetize simulate`'s path, and a hand-written loop
 * running the same SQL statements), each on a fresh ledger file.
 *
 * Throughput: rounds on 100,000 lines in this process, every implementation once a round, in
 * alternating order; the bar is the median over the rounds of the ratio within each round (the
 * machine's speed drifts between rounds, much less within one), on wall-clock time, with CPU time
 * beside it. Peak memory: child processes (`replay-child.ts`), so each measurement starts clean;
 * the product runs three times per size and the medians are compared, every other implementation
 * once. The 1M children also give the 1M throughput and the peak so far every 100,000 lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog, LOG_USERS } from './gen-log.js';
import type { ReplayTotals } from './handwritten-replay.js';
import type { ChildReport } from './replay-child.js';
import { IMPLEMENTATIONS, loadMarketplace, modules, runReplay, type ReplayImplementation, type ReplayRun } from './replay-run.js';
import { median } from './stats.js';

const CHILD = fileURLToPath(new URL('./replay-child.js', import.meta.url));
/** The product, whose bars these are, and the baseline of its throughput bar. */
const PRODUCT = IMPLEMENTATIONS[0]!;
const BASELINE = IMPLEMENTATIONS.find((i) => i.name === 'hand-written')!;
/** Child runs per log size: the product's peak memory is a median of three. */
const childRuns = (impl: ReplayImplementation): number => (impl === PRODUCT ? 3 : 1);

const count = (n: number): string => n.toLocaleString('en-US');
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const percent = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
/** The median of some samples and their range, each shown by `show`. */
const summary = (xs: readonly number[], show: (x: number) => string): string =>
  xs.length === 1 ? show(xs[0]!) : `${show(median(xs))} (${show(Math.min(...xs))}–${show(Math.max(...xs))})`;

function sameTotals(a: ReplayTotals, b: ReplayTotals): boolean {
  return a.lines === b.lines && a.allowed === b.allowed && a.denied === b.denied && a.chargedMicro === b.chargedMicro;
}

function totalsText(t: ReplayTotals): string {
  return `${count(t.allowed)} allowed, ${count(t.denied)} denied, ${(t.chargedMicro / 1e6).toLocaleString('en-US')} tokens charged`;
}

/** Every run must give the totals of the first (the product's). */
function agree(runs: readonly (readonly [ReplayImplementation, ReplayTotals])[], what: string): ReplayTotals {
  const first = runs[0]![1];
  for (const [impl, t] of runs) if (!sameTotals(t, first)) throw new Error(`the replays disagree on ${what}: ${PRODUCT.name} ${JSON.stringify(first)}, ${impl.name} ${JSON.stringify(t)}`);
  return first;
}

function child(impl: ReplayImplementation, log: string): ChildReport {
  const out = execFileSync(process.execPath, [CHILD, impl.name, log], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as ChildReport;
}

/** In-process throughput on `log`: `rounds` rounds after one that checks the totals (and warms up). */
async function throughput(log: string, lines: number, rounds: number): Promise<void> {
  const mods = modules(loadMarketplace());
  const first: [ReplayImplementation, ReplayTotals][] = [];
  for (const [i, impl] of IMPLEMENTATIONS.entries()) first.push([impl, await runReplay(impl, mods[i]!, log)]);
  console.log(`  every implementation agrees on the ${count(lines)}-line log: ${totalsText(agree(first, `the ${count(lines)}-line log`))}`);

  const runs = new Map<ReplayImplementation, ReplayRun[]>(IMPLEMENTATIONS.map((i) => [i, []]));
  for (let r = 0; r < rounds; r++) {
    // Every other round in the opposite order: whatever a run leaves behind (garbage, warm caches) falls on each side alike.
    const order = [...IMPLEMENTATIONS.entries()];
    if (r % 2 === 1) order.reverse();
    for (const [i, impl] of order) runs.get(impl)!.push(await runReplay(impl, mods[i]!, log));
  }
  console.log(`  throughput, ${count(lines)} lines, ${rounds} rounds in this process, in alternating order (a new ledger file each), median (range):`);
  for (const impl of IMPLEMENTATIONS) {
    const rs = runs.get(impl)!;
    console.log(`    ${impl.name.padEnd(13)} ${summary(rs.map((x) => lines / x.ms), (x) => x.toFixed(1)).padStart(22)} k lines/s   CPU ${summary(rs.map((x) => x.cpuMs / 1000), (x) => x.toFixed(2))} s`);
  }
  const product = runs.get(PRODUCT)!;
  const baseline = runs.get(BASELINE)!;
  const wall = product.map((p, r) => baseline[r]!.ms / p.ms);
  const cpu = product.map((p, r) => baseline[r]!.cpuMs / p.cpuMs);
  const ratio = median(wall);
  console.log(`    ${PRODUCT.name} / ${BASELINE.name} throughput, round by round: wall time ${summary(wall, (x) => x.toFixed(2))}, CPU time ${summary(cpu, (x) => x.toFixed(2))}`);
  console.log(`    (bar: ≥ 0.80 on wall time) ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`);
  // The product's other paths against its single-threaded replay, round by round.
  for (const impl of IMPLEMENTATIONS) {
    const bar = OTHER_PATH_BARS.get(impl.name);
    if (bar === undefined) continue;
    const rs = runs.get(impl)!;
    const rel = product.map((p, r) => p.ms / rs[r]!.ms);
    const verdict = bar > 0 ? `   (bar: ≥ ${bar.toFixed(2)}) ${median(rel) >= bar ? 'PASS' : 'FAIL'}` : '';
    console.log(`    ${impl.name} / single-threaded ${PRODUCT.name} throughput, round by round: ${summary(rel, (x) => x.toFixed(2))}${verdict}`);
  }
}

/**
 * The product's other paths and their bars against the single-threaded replay: `--against` does
 * twice the work (two services, two ledgers, the diff), so ≥ 0.45; `--jobs 2` has no bar (it
 * pays off only with idle cores, and this machine has two, shared with the bench's own process).
 */
const OTHER_PATH_BARS = new Map<string, number>([
  ['--jobs 2', 0],
  ['--against', 0.45],
]);

/** Child runs of every implementation on `log`, interleaved: the product's runs alternate with the others'. */
function childRunsOn(log: string, label: string): Map<ReplayImplementation, ChildReport[]> {
  const runs = new Map<ReplayImplementation, ChildReport[]>(IMPLEMENTATIONS.map((i) => [i, []]));
  const most = Math.max(...IMPLEMENTATIONS.map(childRuns));
  for (let r = 0; r < most; r++) for (const impl of IMPLEMENTATIONS) if (r < childRuns(impl)) runs.get(impl)!.push(child(impl, log));
  for (const impl of IMPLEMENTATIONS) {
    const rs = runs.get(impl)!;
    console.log(`    ${impl.name.padEnd(13)} ${label.padStart(4)}: ${summary(rs.map((x) => x.lines / x.ms), (x) => x.toFixed(1)).padStart(22)} k lines/s   peak RSS ${summary(rs.map((x) => x.maxRssKiB), mib)}`);
  }
  return runs;
}

/** Peak memory (and the throughput of whole runs) in child processes, on the 100k and the 1M log. */
function memory(small: string, large: string): void {
  console.log(`  child processes, peak RSS read at the end (${PRODUCT.name}: median of ${childRuns(PRODUCT)} runs per size, range in brackets; others: one run):`);
  const at100k = childRunsOn(small, '100k');
  const at1m = childRunsOn(large, '1M');
  const all = IMPLEMENTATIONS.flatMap((i) => at1m.get(i)!.map((t) => [i, t] as const));
  console.log(`    every implementation agrees on the 1M log: ${totalsText(agree(all, 'the 1M log'))}`);
  const ms = (impl: ReplayImplementation): number => median(at1m.get(impl)!.map((x) => x.ms));
  console.log(`    ${PRODUCT.name} / ${BASELINE.name} throughput at 1M: ${(ms(BASELINE) / ms(PRODUCT)).toFixed(2)}`);
  const samples = at1m.get(PRODUCT)!.map((x) => x.samples);
  const points = samples[0]!.map(([read], k) => `${count(read / 1000)}k ${mib(median(samples.map((s) => s[k]![1])))}`);
  console.log(`    ${PRODUCT.name} peak RSS so far within the 1M runs (median): ${points.join(', ')}`);
  for (const impl of IMPLEMENTATIONS) {
    const peak = (runs: Map<ReplayImplementation, ChildReport[]>): number => median(runs.get(impl)!.map((x) => x.maxRssKiB));
    const growth = peak(at1m) / peak(at100k) - 1;
    const verdict = impl === PRODUCT ? ` (bar: ≤ +10 %) ${growth <= 0.1 ? 'PASS' : 'FAIL'}` : '';
    console.log(`    ${impl.name} peak RSS, 1M against 100k: ${percent(growth)}${verdict}`);
  }
}

/** The replay section of `npm run bench`. */
export async function benchReplay(rounds = 6): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'monetize-bench-log-'));
  try {
    const small = join(dir, 'access-100k.jsonl');
    const large = join(dir, 'access-1m.jsonl');
    const t0 = performance.now();
    const smallBytes = generateLog(small, 100_000);
    const largeBytes = generateLog(large, 1_000_000);
    const genMs = performance.now() - t0;
    console.log(`Replay: a generated access log for examples/marketplace-policy.yaml (${count(LOG_USERS)} users, a 12-character request id on every line, sorted timestamps over a week)`);
    console.log(`  100,000 lines ${mib(smallBytes / 1024)}, 1,000,000 lines ${mib(largeBytes / 1024)}, written in ${(genMs / 1000).toFixed(1)} s`);
    await throughput(small, 100_000, rounds);
    memory(small, large);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
