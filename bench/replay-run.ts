/**
 * The replay implementations the bench compares, and one timed replay of a generated log by any
 * of them on a new ledger file in a temporary folder. Shared by the in-process bench and the
 * child process that measures peak memory. Another row of the bench is one more entry in
 * `IMPLEMENTATIONS`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instantiate, type DecisionModule } from '../src/codegen/compile.js';
import type { IrPolicy } from '../src/ir/ir.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';
import { hasErrors, loadPolicyFile } from '../src/pipeline/pipeline.js';
import { createAccessService } from '../src/service/service.js';
import { SimAggregator } from '../src/sim/aggregate.js';
import { DiffBuilder } from '../src/sim/diff.js';
import { replayParallel } from '../src/sim/parallel.js';
import { replay, replayInto } from '../src/sim/replay.js';
import type { SimReport } from '../src/sim/report.js';
import { handwrittenReplay, type ReplayTotals } from './handwritten-replay.js';

/** The marketplace example, which the generated logs are written for. */
export const MARKETPLACE = new URL('../../examples/marketplace-policy.yaml', import.meta.url).pathname;

/** The candidate policy of the example, the `--against` row's "after" (the marketplace is its "before"). */
export const CANDIDATE = new URL('../../examples/simulate/marketplace-policy-candidate.yaml', import.meta.url).pathname;

function loadIr(path: string): IrPolicy {
  const loaded = loadPolicyFile(path);
  if (hasErrors(loaded) || !loaded.ir) throw new Error(`${path} does not load`);
  return loaded.ir;
}

export function loadMarketplace(): IrPolicy {
  return loadIr(MARKETPLACE);
}

/** The totals of a report, for the rows to agree on. */
function totalsOf(report: SimReport): ReplayTotals {
  if (report.rejected.count > 0) throw new Error(`the generated log has ${report.rejected.count} rejected lines: ${JSON.stringify(report.rejected.samples[0])}`);
  const d = report.decisions;
  return { lines: d.total, allowed: d.allowed, denied: d.denied, chargedMicro: report.tokens.chargedMicro };
}

/** One way of replaying a log, as a row of the bench. */
export interface ReplayImplementation {
  readonly name: string;
  /**
   * Replay `logPath` into a new ledger file at `dbPath` with `module` (compiled for this
   * implementation alone); `progress` is called after every transaction with the lines read so far.
   */
  readonly run: (module: DecisionModule, logPath: string, dbPath: string, progress?: (read: number) => void) => Promise<ReplayTotals>;
}

/** `monetize simulate`'s path: `replay()` over the access service in replay mode over `openSqliteLedger`. */
async function monetize(module: DecisionModule, logPath: string, dbPath: string, progress?: (read: number) => void): Promise<ReplayTotals> {
  const store = openSqliteLedger(dbPath);
  try {
    const clock = { now: 0 };
    const service = createAccessService({ store, module, mode: 'replay', clock: () => clock.now });
    const { report } = await replay(service, { inputs: { logs: [logPath] }, currency: module.policyInfo.currency, clock, ...(progress ? { onProgress: progress } : {}) });
    if (report.rejected.count > 0) throw new Error(`the generated log has ${report.rejected.count} rejected lines: ${JSON.stringify(report.rejected.samples[0])}`);
    const d = report.decisions;
    return { lines: d.total, allowed: d.allowed, denied: d.denied, chargedMicro: report.tokens.chargedMicro };
  } finally {
    store.close();
  }
}

/**
 * `monetize simulate --jobs 2`'s path: `replayParallel` over two worker threads, one ledger file
 * each, records merged into one report. The module is compiled in each worker from the IR.
 */
async function jobs2(_module: DecisionModule, logPath: string, dbPath: string, progress?: (read: number) => void): Promise<ReplayTotals> {
  const sink = new SimAggregator(_module.policyInfo.currency);
  await replayParallel(
    { policy: { ir: loadMarketplace(), offers: [] }, inputs: { logs: [logPath] }, ledgers: [`${dbPath}.1`, `${dbPath}.2`], ...(progress ? { onProgress: progress } : {}) },
    sink,
  );
  return totalsOf(sink.finish().report);
}

/**
 * `monetize simulate <marketplace> --against <candidate>`'s path: every batch through both
 * services, each over its own ledger, and the diff built beside both reports (twice the work of
 * one replay). The totals are the simulated (marketplace) policy's, so they agree with the others.
 */
async function against(module: DecisionModule, logPath: string, dbPath: string, progress?: (read: number) => void): Promise<ReplayTotals> {
  const store = openSqliteLedger(dbPath);
  const otherStore = openSqliteLedger(`${dbPath}.against`);
  try {
    const clock = { now: 0 };
    const service = createAccessService({ store, module, mode: 'replay', clock: () => clock.now });
    const other = createAccessService({ store: otherStore, module: instantiate(loadIr(CANDIDATE)), mode: 'replay', clock: () => clock.now });
    const sink = new SimAggregator(module.policyInfo.currency, new DiffBuilder());
    await replayInto({ service, against: other }, { inputs: { logs: [logPath] }, clock, ...(progress ? { onProgress: progress } : {}) }, sink);
    const outcome = sink.finish();
    if (!outcome.diff || outcome.diff.total !== outcome.report.decisions.total) throw new Error('the --against replay compared fewer decisions than it made');
    return totalsOf(outcome.report);
  } finally {
    store.close();
    otherStore.close();
  }
}

/** The product first, then the baseline its throughput bar is measured against, then the product's other paths. */
export const IMPLEMENTATIONS: readonly ReplayImplementation[] = [
  { name: 'monetize', run: monetize },
  { name: 'hand-written', run: async (module, logPath, dbPath, progress) => handwrittenReplay(module.decide, module.policyInfo.hash, logPath, dbPath, progress) },
  { name: '--jobs 2', run: jobs2 },
  { name: '--against', run: against },
];

/** The implementation of a name (for the child process). */
export function implementation(name: string): ReplayImplementation {
  const found = IMPLEMENTATIONS.find((i) => i.name === name);
  if (!found) throw new Error(`unknown replay implementation ${name} (one of ${IMPLEMENTATIONS.map((i) => i.name).join(', ')})`);
  return found;
}

/** A replay's totals and what it cost (the ledger opened and closed included). */
export interface ReplayRun extends ReplayTotals {
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time of the process over the run (user and system, every thread). */
  readonly cpuMs: number;
}

/** Replay `logPath` with `impl` into a fresh ledger, removed afterwards. */
export async function runReplay(impl: ReplayImplementation, module: DecisionModule, logPath: string, progress?: (read: number) => void): Promise<ReplayRun> {
  const dir = mkdtempSync(join(tmpdir(), 'monetize-bench-replay-'));
  try {
    const dbPath = join(dir, 'ledger.sqlite');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const totals = await impl.run(module, logPath, dbPath, progress);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ...totals, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A compiled module per implementation, so that no two share the JIT's feedback. */
export function modules(ir: IrPolicy): DecisionModule[] {
  return IMPLEMENTATIONS.map(() => instantiate(ir));
}
