/** `monetize simulate <policy> --replay <log.jsonl>…`: replay history against a policy and its ledger. */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { instantiate } from '../../codegen/compile.js';
import { currencyExponent } from '../../money/currencies.js';
import { formatMinor } from '../../money/format.js';
import { LedgerError, type LedgerStore } from '../../ledger/store.js';
import { openSqliteLedger } from '../../ledger/sqlite.js';
import type { CheckedPolicy } from '../../pipeline/pipeline.js';
import { createAccessService } from '../../service/service.js';
import { DiffBuilder } from '../../sim/diff.js';
import { checkGates, hasGates, parseFlips, parseThreshold, type GateFailure, type Gates } from '../../sim/gates.js';
import { inputPathProblems, type ReplayInputOptions } from '../../sim/inputs.js';
import { renderReportHtml } from '../../sim/html.js';
import { renderSimMarkdown } from '../../sim/markdown.js';
import { renderDiffPretty, renderReportPretty } from '../../sim/render.js';
import { SimAggregator, type SimOutcome } from '../../sim/aggregate.js';
import { replayParallel, SharedRequestIdError } from '../../sim/parallel.js';
import { replayInto, type ReplayOptions, type ReplayRun } from '../../sim/replay.js';
import { parseWebhookSecrets } from '../../sim/secrets.js';
import { MAX_JOBS, shardLedgers } from '../../sim/shards.js';
import { findClash } from '../../io/write.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, useColor, writeOutputs, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';
import { createProgress } from '../progress.js';

interface SimulateFlags {
  replay: string[];
  webhooks?: string[];
  webhookSecret?: string[];
  db?: string;
  against?: string;
  againstDb?: string;
  failOnChange?: string;
  failOnChargeChange?: string;
  failOnRevenueChange?: string;
  failOnFlip?: string[];
  format: 'pretty' | 'json' | 'markdown' | 'html';
  output?: string;
  strict?: boolean;
  quiet?: boolean;
  jobs?: string;
}

/** Bytes of the access logs as stored, for the progress bar (a log that cannot be sized counts 0). */
function logBytes(logs: readonly string[]): number {
  let total = 0;
  for (const log of logs) {
    try {
      total += statSync(log).size;
    } catch {
      // Reported by the replay, in place.
    }
  }
  return total;
}

/** The `--fail-on-…` options, checked; a gate or `--against-db` without `--against` is a usage error. */
function parseGates(flags: SimulateFlags): Gates {
  const threshold = (option: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const r = parseThreshold(option, value);
    if ('error' in r) throw new UsageError(r.error.message, r.error.hint);
    return r.value;
  };
  const flips = parseFlips(flags.failOnFlip ?? []);
  if ('error' in flips) throw new UsageError(flips.error.message, flips.error.hint);
  const change = threshold('--fail-on-change', flags.failOnChange);
  const chargeChange = threshold('--fail-on-charge-change', flags.failOnChargeChange);
  const revenueChange = threshold('--fail-on-revenue-change', flags.failOnRevenueChange);
  const gates: Gates = { ...(change !== undefined ? { change } : {}), ...(chargeChange !== undefined ? { chargeChange } : {}), ...(revenueChange !== undefined ? { revenueChange } : {}), flips: flips.value };
  if (flags.against === undefined) {
    const given = [
      ['--fail-on-change', flags.failOnChange],
      ['--fail-on-charge-change', flags.failOnChargeChange],
      ['--fail-on-revenue-change', flags.failOnRevenueChange],
      ['--fail-on-flip', flags.failOnFlip?.[0]],
      ['--against-db', flags.againstDb],
    ].find(([, v]) => v !== undefined);
    if (given) throw new UsageError(`${given[0]} needs --against: it is about the difference between two policies`, 'add --against <the policy you run today>, e.g. --against main-policy.yaml');
  }
  return gates;
}

/** `--jobs N`: a whole number of worker threads from 1 to MAX_JOBS. */
function parseJobs(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) throw new UsageError(`--jobs takes a whole number of worker threads from 1 to ${MAX_JOBS}, got '${value}'`, 'e.g. --jobs 2, or leave it out to replay on one thread');
  return n;
}

/** Where a policy's ledger goes: the `--db` / `--against-db` file (one job) or folder of shard files, or temporary files. */
interface LedgerPlace {
  readonly files: readonly string[];
  /** The option's value, for messages (undefined: temporary). */
  readonly given: string | undefined;
  readonly option: string;
  /** A `--db` folder to create. */
  readonly create?: string;
}

/** The ledger files of `given` for `jobs` shards; a path that cannot hold them is a usage error. */
function ledgerPlace(given: string | undefined, option: string, jobs: number): LedgerPlace | undefined {
  if (given === undefined) return undefined;
  const layout = shardLedgers(given, jobs, option);
  if ('problem' in layout) throw new UsageError(layout.problem, layout.hint);
  return { files: layout.paths, given, option, ...(layout.create !== undefined ? { create: layout.create } : {}) };
}

/** Temporary ledger files in `dir`: one, or one per shard. */
function tempPlace(dir: string, name: string, option: string, jobs: number): LedgerPlace {
  return { files: jobs === 1 ? [join(dir, `${name}.sqlite`)] : Array.from({ length: jobs }, (_, k) => join(dir, `${name}-${k}.sqlite`)), given: undefined, option };
}

/** Open a ledger file (with `--jobs`, a shard file of the `given` folder); one that is not a ledger (or cannot be opened) is a usage error naming the option. */
function openLedger(path: string, given: string | undefined, option: string): LedgerStore {
  try {
    return openSqliteLedger(path);
  } catch (e) {
    if (e instanceof LedgerError) throw new UsageError(`${given ?? 'the temporary ledger'}: ${e.message}`, given ? `give ${option} a new ${path === given ? 'file' : 'folder'}, or a ledger this monetize made` : undefined);
    throw e;
  }
}

export async function simulateCommand([policyPath, flags]: [string, SimulateFlags], io: Io): Promise<number> {
  const logs = flags.replay;
  const webhooks = flags.webhooks ?? [];
  // A repeatable option has a default ([]), so commander cannot enforce it: check here.
  if (logs.length === 0) throw new UsageError('no access log: give one with --replay <log.jsonl>', 'repeat --replay for several logs, e.g. --replay a.jsonl --replay b.jsonl.gz');
  const gates = parseGates(flags);
  const problems = inputPathProblems({ logs, webhooks });
  if (problems.length > 0) {
    const [first] = problems;
    throw new UsageError(`${first!.path}: ${first!.reason}`, problems.length > 1 ? `${problems.length - 1} more input(s) cannot be read either` : 'check the path');
  }
  const parsed = parseWebhookSecrets(flags.webhookSecret ?? []);
  if ('error' in parsed) throw new UsageError(parsed.error.message, parsed.error.hint);
  const jobs = parseJobs(flags.jobs);
  if (flags.db !== undefined && flags.againstDb !== undefined && findClash([flags.againstDb], [flags.db]) !== undefined) {
    throw new UsageError(`--against-db '${flags.againstDb}' is the --db ledger: each policy needs a ledger of its own`, 'give --against-db another file, or leave it out for a temporary one');
  }
  const dbPlace = ledgerPlace(flags.db, '--db', jobs);
  const againstPlace = ledgerPlace(flags.againstDb, '--against-db', jobs);
  const ledgers = [...(flags.db ? [flags.db] : []), ...(flags.againstDb ? [flags.againstDb] : []), ...(jobs > 1 ? [...(dbPlace?.files ?? []), ...(againstPlace?.files ?? [])] : [])];
  const inputs = [policyPath, ...(flags.against !== undefined ? [flags.against] : []), ...logs, ...webhooks, ...ledgers];
  if (flags.output !== undefined) refuseOverwrite([flags.output], inputs);

  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;
  let other: CheckedPolicy | undefined;
  if (flags.against !== undefined) {
    const r = loadChecked(flags.against, io, { quietWarnings: true });
    if ('exit' in r) return r.exit;
    if (r.ir.currency !== checked.ir.currency) {
      throw new UsageError(`${policyPath} is in ${checked.ir.currency} and ${flags.against} in ${r.ir.currency}: the diff compares charges and revenue in one currency`, 'compare policies with the same currency (the top-level currency: of both files)');
    }
    other = r;
  }

  const needsTemp = flags.db === undefined || (other !== undefined && flags.againstDb === undefined);
  const tempDir = needsTemp ? mkdtempSync(join(tmpdir(), 'monetize-sim-')) : undefined;
  try {
    const main = dbPlace ?? tempPlace(tempDir!, 'ledger', '--db', jobs);
    const otherPlace = other ? (againstPlace ?? tempPlace(tempDir!, 'against', '--against-db', jobs)) : undefined;
    const sink = new SimAggregator(checked.ir.currency, other ? new DiffBuilder() : undefined);
    const progress = createProgress(io, { totalBytes: logBytes(logs), quiet: flags.quiet === true });
    const options = { inputs: { logs, webhooks, secrets: parsed.secrets, onLogBytes: progress.bytes }, strict: flags.strict === true, onProgress: progress.lines };
    let run: ReplayRun;
    try {
      const against = other && otherPlace ? { policy: other, place: otherPlace } : undefined;
      run = jobs === 1 ? await replayHere(checked, main, against, options, sink) : await replayShards(checked, main, against, options, sink);
    } finally {
      progress.done();
    }
    if (run.stoppedAt) {
      const s = run.stoppedAt;
      io.err(`monetize: error: ${s.file}${s.line > 0 ? `:${s.line}` : ''}: ${s.message}\n  = note: --strict stops at the first rejected input; the batch it fell in was not applied\n`);
      return EXIT.failed;
    }
    const result = sink.finish();
    const exponent = currencyExponent(checked.ir.currency) ?? 2;
    const failed = result.diff ? checkGates(result.diff, gates, { money: (m) => formatMinor(m, exponent, checked.ir.currency) }) : [];
    const text = render(result, { flags, policyPath, checked, other, exponent, failed, gatesAsked: hasGates(gates), io });
    if (flags.output !== undefined) {
      writeOutputs([{ path: flags.output, content: text }], inputs);
      io.err(`monetize: wrote the ${flags.format} report to ${flags.output}\n`);
    } else io.out(text);
    for (const f of failed) io.err(`monetize: gate failed: ${f.option}: ${f.message}\n`);
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The other policy and where its ledger goes (`--against`). */
interface Other {
  readonly policy: CheckedPolicy;
  readonly place: LedgerPlace;
}

type RunOptions = Pick<ReplayOptions, 'strict' | 'onProgress'> & { readonly inputs: ReplayInputOptions };

/** The replay on this thread, over one ledger per policy. */
async function replayHere(checked: CheckedPolicy, main: LedgerPlace, other: Other | undefined, options: RunOptions, sink: SimAggregator): Promise<ReplayRun> {
  const stores: LedgerStore[] = [];
  try {
    const store = openLedger(main.files[0]!, main.given, main.option);
    stores.push(store);
    const otherStore = other ? openLedger(other.place.files[0]!, other.place.given, other.place.option) : undefined;
    if (otherStore) stores.push(otherStore);
    // The replay clock is the event time: every request carries its own (`at`), every event its occurredAt.
    const clock = { now: 0 };
    const serviceOf = (p: CheckedPolicy, s: LedgerStore) => createAccessService({ store: s, module: instantiate(p.ir), offers: p.policy.offers, mode: 'replay', clock: () => clock.now });
    const service = serviceOf(checked, store);
    const against = other && otherStore ? serviceOf(other.policy, otherStore) : undefined;
    return await replayInto({ service, ...(against ? { against } : {}) }, { ...options, clock }, sink);
  } finally {
    for (const s of stores) s.close();
  }
}

/**
 * The replay split by user over worker threads (`--jobs`), one ledger file per shard and policy.
 * The files are opened here first, so that one that is not a ledger is reported as on one thread
 * (and migrated once, before the workers open them).
 */
async function replayShards(checked: CheckedPolicy, main: LedgerPlace, other: Other | undefined, options: RunOptions, sink: SimAggregator): Promise<ReplayRun> {
  for (const place of other ? [main, other.place] : [main]) {
    if (place.create !== undefined) mkdirSync(place.create, { recursive: true });
    for (const file of place.files) openLedger(file, place.given, place.option).close();
  }
  try {
    return await replayParallel(
      {
        policy: { ir: checked.ir, offers: checked.policy.offers },
        ...(other ? { against: { ir: other.policy.ir, offers: other.policy.policy.offers }, againstLedgers: other.place.files } : {}),
        inputs: options.inputs,
        ledgers: main.files,
        strict: options.strict === true,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      sink,
    );
  } catch (e) {
    if (e instanceof SharedRequestIdError) throw new UsageError(`${e.shared.file}:${e.shared.line}: ${e.message}`, `give every request its own id, or run without --jobs${main.given !== undefined ? ' (on a new --db)' : ''}`);
    if (e instanceof LedgerError) throw new UsageError(e.message, `give ${main.option} a new folder, or a ledger this monetize made`);
    throw e;
  }
}

interface RenderContext {
  readonly flags: SimulateFlags;
  readonly policyPath: string;
  readonly checked: CheckedPolicy;
  readonly other: CheckedPolicy | undefined;
  readonly exponent: number;
  readonly failed: readonly GateFailure[];
  readonly gatesAsked: boolean;
  readonly io: Io;
}

/** The report in the asked format; with `--against`, the other policy's report and the diff too. */
function render(result: SimOutcome, c: RenderContext): string {
  const againstFile = c.flags.against;
  if (c.flags.format === 'json') {
    const doc = {
      policy: { file: c.policyPath, hash: c.checked.ir.hash, currency: c.checked.ir.currency },
      ...result.report,
      ...(result.against && c.other && againstFile !== undefined ? { against: { policy: { file: againstFile, hash: c.other.ir.hash }, ...result.against } } : {}),
      ...(result.diff ? { diff: result.diff } : {}),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
  if (c.flags.format === 'html') {
    return renderReportHtml(result, { file: c.policyPath, hash: c.checked.ir.hash, currency: c.checked.ir.currency, ...(againstFile !== undefined && result.against ? { againstFile } : {}) });
  }
  if (c.flags.format === 'markdown') {
    return renderSimMarkdown(result.report, {
      exponent: c.exponent,
      policyFile: c.policyPath,
      ...(result.against && result.diff && againstFile !== undefined ? { against: { file: againstFile, report: result.against, diff: result.diff } } : {}),
      gates: { asked: c.gatesAsked, failed: c.failed },
    });
  }
  const opts = { exponent: c.exponent, ...(useColor(c.io, c.flags.format) && c.flags.output === undefined ? { strong: (x: string) => chalk.bold(x) } : {}) };
  const main = renderReportPretty(result.report, opts);
  return result.diff && againstFile !== undefined ? `${main}\n${renderDiffPretty(result.diff, againstFile, opts)}` : main;
}
