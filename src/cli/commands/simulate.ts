/** `monetize simulate <policy> --replay <log.jsonl>…`: replay history against a policy and its ledger. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { instantiate } from '../../codegen/compile.js';
import { currencyExponent } from '../../money/currencies.js';
import { LedgerError } from '../../ledger/store.js';
import { openSqliteLedger } from '../../ledger/sqlite.js';
import { createAccessService } from '../../service/service.js';
import type { CheckedPolicy } from '../../pipeline/pipeline.js';
import { inputPathProblems, type ReplayInputOptions } from '../../sim/inputs.js';
import { renderReportPretty } from '../../sim/render.js';
import { SimAggregator } from '../../sim/aggregate.js';
import { replayParallel, SharedRequestIdError } from '../../sim/parallel.js';
import { replayInto, type ReplayRun } from '../../sim/replay.js';
import { parseWebhookSecrets } from '../../sim/secrets.js';
import { MAX_JOBS, shardLedgers } from '../../sim/shards.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, useColor, writeOutputs, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';

interface SimulateFlags {
  replay: string[];
  webhooks?: string[];
  webhookSecret?: string[];
  db?: string;
  format: 'pretty' | 'json';
  output?: string;
  strict?: boolean;
  jobs?: string;
}

/** `--jobs N`: a whole number of worker threads from 1 to MAX_JOBS. */
function parseJobs(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) throw new UsageError(`--jobs takes a whole number of worker threads from 1 to ${MAX_JOBS}, got '${value}'`, 'e.g. --jobs 2, or leave it out to replay on one thread');
  return n;
}

export async function simulateCommand([policyPath, flags]: [string, SimulateFlags], io: Io): Promise<number> {
  const logs = flags.replay;
  const webhooks = flags.webhooks ?? [];
  // A repeatable option has a default ([]), so commander cannot enforce it: check here.
  if (logs.length === 0) throw new UsageError('no access log: give one with --replay <log.jsonl>', 'repeat --replay for several logs, e.g. --replay a.jsonl --replay b.jsonl.gz');
  const problems = inputPathProblems({ logs, webhooks });
  if (problems.length > 0) {
    const [first] = problems;
    throw new UsageError(`${first!.path}: ${first!.reason}`, problems.length > 1 ? `${problems.length - 1} more input(s) cannot be read either` : 'check the path');
  }
  const parsed = parseWebhookSecrets(flags.webhookSecret ?? []);
  if ('error' in parsed) throw new UsageError(parsed.error.message, parsed.error.hint);
  const jobs = parseJobs(flags.jobs);
  const layout = flags.db === undefined ? undefined : shardLedgers(flags.db, jobs);
  if (layout && 'problem' in layout) throw new UsageError(layout.problem, layout.hint);
  const inputs = [policyPath, ...logs, ...webhooks, ...(flags.db ? [flags.db, ...(jobs > 1 ? layout!.paths : [])] : [])];
  if (flags.output !== undefined) refuseOverwrite([flags.output], inputs);

  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;

  const tempDir = flags.db === undefined ? mkdtempSync(join(tmpdir(), 'monetize-sim-')) : undefined;
  const ledgers = layout?.paths ?? (jobs === 1 ? [join(tempDir!, 'ledger.sqlite')] : Array.from({ length: jobs }, (_, k) => join(tempDir!, `shard-${k}.sqlite`)));
  const sink = new SimAggregator(checked.ir.currency);
  const sources: ReplayInputOptions = { logs, webhooks, secrets: parsed.secrets };
  let run: ReplayRun;
  try {
    if (layout && 'create' in layout && layout.create !== undefined) mkdirSync(layout.create, { recursive: true });
    run = jobs === 1 ? await replayOne(checked, ledgers[0]!, sources, flags.strict === true, sink) : await replayParallel({ policy: { ir: checked.ir, offers: checked.policy.offers }, inputs: sources, ledgers, strict: flags.strict === true }, sink);
  } catch (e) {
    if (e instanceof LedgerError) throw new UsageError(`${flags.db ?? 'the temporary ledger'}: ${e.message}`, flags.db ? `give --db a new ${jobs > 1 ? 'folder' : 'file'}, or a ledger this monetize made` : undefined);
    if (e instanceof SharedRequestIdError) throw new UsageError(`${e.shared.file}:${e.shared.line}: ${e.message}`, `give every request its own id, or run without --jobs${flags.db ? ' (on a new --db)' : ''}`);
    throw e;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
  if (run.stoppedAt) {
    const s = run.stoppedAt;
    io.err(`monetize: error: ${s.file}${s.line > 0 ? `:${s.line}` : ''}: ${s.message}\n  = note: --strict stops at the first rejected input; the batch it fell in was not applied\n`);
    return EXIT.failed;
  }
  const result = sink.finish();
  const exponent = currencyExponent(checked.ir.currency) ?? 2;
  const text =
    flags.format === 'json'
      ? `${JSON.stringify({ policy: { file: policyPath, hash: checked.ir.hash, currency: checked.ir.currency }, ...result.report }, null, 2)}\n`
      : renderReportPretty(result.report, { exponent, ...(useColor(io, flags.format) && flags.output === undefined ? { strong: (x: string) => chalk.bold(x) } : {}) });
  if (flags.output !== undefined) {
    writeOutputs([{ path: flags.output, content: text }], inputs);
    io.err(`monetize: wrote the ${flags.format} report to ${flags.output}\n`);
  } else io.out(text);
  return EXIT.ok;
}

/** The replay on this thread, over one ledger file. */
async function replayOne(checked: CheckedPolicy, dbPath: string, inputs: ReplayInputOptions, strict: boolean, sink: SimAggregator): Promise<ReplayRun> {
  const store = openSqliteLedger(dbPath);
  try {
    // The replay clock is the event time: every request carries its own (`at`), every event its occurredAt.
    const clock = { now: 0 };
    const service = createAccessService({ store, module: instantiate(checked.ir), offers: checked.policy.offers, mode: 'replay', clock: () => clock.now });
    return await replayInto({ service }, { inputs, strict, clock }, sink);
  } finally {
    store.close();
  }
}
