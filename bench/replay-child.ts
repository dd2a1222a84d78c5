/**
 * `node dist/bench/replay-child.js <monetize|hand-written> <log.jsonl>`: one replay in a fresh
 * process, so its peak resident set is its own. Prints one JSON line: the totals, the time and
 * `maxRSS` (KiB) read at the end.
 */
import { loadMarketplace, modules, runReplay, type ReplayImpl } from './replay-run.js';

async function main(): Promise<void> {
  const [impl, log] = process.argv.slice(2);
  if ((impl !== 'monetize' && impl !== 'hand-written') || log === undefined) throw new Error('usage: replay-child.js <monetize|hand-written> <log.jsonl>');
  const which: ReplayImpl = impl;
  const module = modules(loadMarketplace())[which];
  const run = await runReplay(which, module, log);
  process.stdout.write(`${JSON.stringify({ ...run, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
