/**
 * `node dist/bench/replay-child.js <implementation> <log.jsonl> [every]`: one replay in a fresh
 * process, so its peak resident set is its own. Prints one JSON line: the totals, the time, the
 * peak resident set (`maxRSS`, KiB) at the end and, every `every` lines (default 100,000), the
 * peak so far.
 */
import { implementation, loadMarketplace, runReplay } from './replay-run.js';
import { instantiate } from '../src/codegen/compile.js';

/** What a child prints. */
export interface ChildReport {
  readonly lines: number;
  readonly allowed: number;
  readonly denied: number;
  readonly chargedMicro: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssKiB: number;
  /** [lines read, peak RSS so far in KiB], every `every` lines. */
  readonly samples: readonly (readonly [number, number])[];
}

async function main(): Promise<void> {
  const [name, log, everyArg] = process.argv.slice(2);
  if (name === undefined || log === undefined) throw new Error('usage: replay-child.js <implementation> <log.jsonl> [every]');
  const every = Number(everyArg ?? 100_000);
  const impl = implementation(name);
  const module = instantiate(loadMarketplace());
  const samples: [number, number][] = [];
  let next = every;
  const progress = (read: number): void => {
    if (read < next) return;
    samples.push([read, process.resourceUsage().maxRSS]);
    next += every;
  };
  const run = await runReplay(impl, module, log, progress);
  const report: ChildReport = { ...run, maxRssKiB: process.resourceUsage().maxRSS, samples };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
