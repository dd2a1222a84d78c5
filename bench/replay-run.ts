/**
 * One replay of a generated log, by either implementation, on a new ledger file in a temporary
 * folder: the real path (`replay()` over the access service in replay mode over
 * `openSqliteLedger`) or the hand-written loop. Shared by the in-process bench and the child
 * process that measures peak memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instantiate, type DecisionModule } from '../src/codegen/compile.js';
import type { IrPolicy } from '../src/ir/ir.js';
import { openSqliteLedger } from '../src/ledger/sqlite.js';
import { hasErrors, loadPolicyFile } from '../src/pipeline/pipeline.js';
import { createAccessService } from '../src/service/service.js';
import { replay } from '../src/sim/replay.js';
import { handwrittenReplay, type ReplayTotals } from './handwritten-replay.js';

export type ReplayImpl = 'monetize' | 'hand-written';

/** The marketplace example, which the generated logs are written for. */
export const MARKETPLACE = new URL('../../examples/marketplace-policy.yaml', import.meta.url).pathname;

export function loadMarketplace(): IrPolicy {
  const loaded = loadPolicyFile(MARKETPLACE);
  if (hasErrors(loaded) || !loaded.ir) throw new Error('the marketplace example does not load');
  return loaded.ir;
}

/** A replay's totals and how long it took (the ledger opened and closed included). */
export interface ReplayRun extends ReplayTotals {
  readonly ms: number;
}

async function ours(module: DecisionModule, logPath: string, dbPath: string): Promise<ReplayTotals> {
  const store = openSqliteLedger(dbPath);
  try {
    const clock = { now: 0 };
    const service = createAccessService({ store, module, mode: 'replay', clock: () => clock.now });
    const { report } = await replay(service, { inputs: { logs: [logPath] }, currency: module.policyInfo.currency, clock });
    if (report.rejected.count > 0) throw new Error(`the generated log has ${report.rejected.count} rejected lines: ${JSON.stringify(report.rejected.samples[0])}`);
    const d = report.decisions;
    return { lines: d.total, allowed: d.allowed, denied: d.denied, chargedMicro: report.tokens.chargedMicro };
  } finally {
    store.close();
  }
}

/** A compiled module per implementation, made once. */
export function modules(ir: IrPolicy): Record<ReplayImpl, DecisionModule> {
  return { monetize: instantiate(ir), 'hand-written': instantiate(ir) };
}

/** Replay `logPath` with `impl` into a fresh ledger, removed afterwards. */
export async function runReplay(impl: ReplayImpl, module: DecisionModule, logPath: string): Promise<ReplayRun> {
  const dir = mkdtempSync(join(tmpdir(), 'monetize-bench-replay-'));
  try {
    const dbPath = join(dir, 'ledger.sqlite');
    const t0 = performance.now();
    const totals = impl === 'monetize' ? await ours(module, logPath, dbPath) : handwrittenReplay(module.decide, module.policyInfo.hash, logPath, dbPath);
    return { ...totals, ms: performance.now() - t0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
