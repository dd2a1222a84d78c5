/**
 * Replay throughput and memory: a generated access log for the marketplace example replayed by
 * `monetize simulate`'s path (`replay()` over the access service in replay mode over the SQLite
 * ledger) and by a hand-written loop running the same SQL statements (`handwritten-replay.ts`),
 * each on a fresh ledger file. Throughput: interleaved rounds on 100,000 lines in this process,
 * median reported. Peak memory: one child process per run (`replay-child.ts`), so each measurement
 * starts clean; it reads `process.resourceUsage().maxRSS` at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog, LOG_USERS } from './gen-log.js';
import type { ReplayTotals } from './handwritten-replay.js';
import { loadMarketplace, modules, runReplay, type ReplayImpl, type ReplayRun } from './replay-run.js';
import { median } from './stats.js';

const IMPLS: readonly ReplayImpl[] = ['monetize', 'hand-written'];
const CHILD = fileURLToPath(new URL('./replay-child.js', import.meta.url));

interface ChildRun extends ReplayRun {
  readonly maxRssKiB: number;
}


const count = (n: number): string => n.toLocaleString('en-US');
const rate = (lines: number, ms: number): string => `${(lines / ms).toFixed(1)} k lines/s`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

function sameTotals(a: ReplayTotals, b: ReplayTotals): boolean {
  return a.lines === b.lines && a.allowed === b.allowed && a.denied === b.denied && a.chargedMicro === b.chargedMicro;
}

function totalsText(t: ReplayTotals): string {
  return `${count(t.allowed)} allowed, ${count(t.denied)} denied, ${(t.chargedMicro / 1e6).toLocaleString('en-US')} tokens charged`;
}

function child(impl: ReplayImpl, log: string): ChildRun {
  const out = execFileSync(process.execPath, [CHILD, impl, log], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as ChildRun;
}

/** The replay section of `npm run bench`. */
export async function benchReplay(rounds = 3): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'monetize-bench-log-'));
  try {
    const small = join(dir, 'access-100k.jsonl');
    const large = join(dir, 'access-1m.jsonl');
    const t0 = performance.now();
    const smallBytes = generateLog(small, 100_000);
    const largeBytes = generateLog(large, 1_000_000);
    const genMs = performance.now() - t0;
    console.log(`Replay: a generated access log for examples/marketplace-policy.yaml (${count(LOG_USERS)} users, every line with an id, sorted timestamps over a week)`);
    console.log(`  100,000 lines ${mib(smallBytes / 1024)}, 1,000,000 lines ${mib(largeBytes / 1024)}, written in ${(genMs / 1000).toFixed(1)} s`);

    // Same totals first (this is also the warm-up round).
    const mods = modules(loadMarketplace());
    const first: Record<string, ReplayRun> = {};
    for (const impl of IMPLS) first[impl] = await runReplay(impl, mods[impl], small);
    if (!sameTotals(first['monetize']!, first['hand-written']!)) {
      throw new Error(`the replays disagree on the 100k log: monetize ${JSON.stringify(first['monetize'])}, hand-written ${JSON.stringify(first['hand-written'])}`);
    }
    console.log(`  both replays agree on the 100k log: ${totalsText(first['monetize']!)}`);

    const samples: Record<string, number[]> = { monetize: [], 'hand-written': [] };
    for (let r = 0; r < rounds; r++) for (const impl of IMPLS) samples[impl]!.push((await runReplay(impl, mods[impl], small)).ms);
    console.log(`  throughput, 100,000 lines, median of ${rounds} interleaved rounds in this process (a new ledger file each):`);
    const ms = Object.fromEntries(IMPLS.map((i) => [i, median(samples[i]!)])) as Record<ReplayImpl, number>;
    for (const impl of IMPLS) console.log(`    ${impl.padEnd(13)} ${rate(100_000, ms[impl]).padStart(18)}  (${(ms[impl] / 1000).toFixed(2)} s; rounds ${samples[impl]!.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`);
    const ratio = ms['hand-written'] / ms.monetize;
    console.log(`    monetize / hand-written throughput: ${ratio.toFixed(2)} (bar: ≥ 0.80) ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`);

    console.log('  one child process per run (peak RSS read at its end; the 1M runs also give the 1M throughput):');
    const runs: Record<string, ChildRun> = {};
    for (const [label, log] of [['100k', small], ['1M', large]] as const) {
      for (const impl of IMPLS) {
        const run = child(impl, log);
        runs[`${impl} ${label}`] = run;
        console.log(`    ${impl.padEnd(13)} ${label.padStart(4)}: ${rate(run.lines, run.ms).padStart(18)}  peak RSS ${mib(run.maxRssKiB)}`);
      }
    }
    const big = (impl: ReplayImpl): ChildRun => runs[`${impl} 1M`]!;
    if (!sameTotals(big('monetize'), big('hand-written'))) throw new Error('the replays disagree on the 1M log');
    console.log(`    both agree on the 1M log: ${totalsText(big('monetize'))}`);
    console.log(`    monetize / hand-written throughput at 1M: ${(big('hand-written').ms / big('monetize').ms).toFixed(2)}`);
    for (const impl of IMPLS) {
      const growth = big(impl).maxRssKiB / runs[`${impl} 100k`]!.maxRssKiB - 1;
      const verdict = impl === 'monetize' ? ` (bar: ≤ +10 %) ${growth <= 0.1 ? 'PASS' : 'FAIL'}` : '';
      console.log(`    ${impl} peak RSS, 1M against 100k: ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %${verdict}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
