/** `monetize simulate <policy> --replay <log.jsonl>…`: replay history against a policy and its ledger. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { instantiate } from '../../codegen/compile.js';
import { currencyExponent } from '../../money/currencies.js';
import { LedgerError } from '../../ledger/store.js';
import { openSqliteLedger } from '../../ledger/sqlite.js';
import { createAccessService } from '../../service/service.js';
import { inputPathProblems } from '../../sim/inputs.js';
import { renderReportHtml } from '../../sim/html.js';
import { renderReportPretty } from '../../sim/render.js';
import { SimAggregator } from '../../sim/aggregate.js';
import { replayInto } from '../../sim/replay.js';
import { parseWebhookSecrets } from '../../sim/secrets.js';
import { EXIT, UsageError } from '../exit.js';
import { refuseOverwrite, useColor, writeOutputs, type Io } from '../io.js';
import { loadChecked } from '../load-checked.js';

interface SimulateFlags {
  replay: string[];
  webhooks?: string[];
  webhookSecret?: string[];
  db?: string;
  format: 'pretty' | 'json' | 'html';
  output?: string;
  strict?: boolean;
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
  const inputs = [policyPath, ...logs, ...webhooks, ...(flags.db ? [flags.db] : [])];
  if (flags.output !== undefined) refuseOverwrite([flags.output], inputs);

  const checked = loadChecked(policyPath, io, { quietWarnings: true });
  if ('exit' in checked) return checked.exit;

  const tempDir = flags.db === undefined ? mkdtempSync(join(tmpdir(), 'monetize-sim-')) : undefined;
  const dbPath = flags.db ?? join(tempDir!, 'ledger.sqlite');
  let store;
  try {
    store = openSqliteLedger(dbPath);
  } catch (e) {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    if (e instanceof LedgerError) throw new UsageError(`${flags.db ?? 'the temporary ledger'}: ${e.message}`, flags.db ? 'give --db a new file, or a ledger this monetize made' : undefined);
    throw e;
  }
  try {
    // The replay clock is the event time: every request carries its own (`at`), every event its occurredAt.
    const clock = { now: 0 };
    const service = createAccessService({ store, module: instantiate(checked.ir), offers: checked.policy.offers, mode: 'replay', clock: () => clock.now });
    const sink = new SimAggregator(checked.ir.currency);
    const run = await replayInto({ service }, { inputs: { logs, webhooks, secrets: parsed.secrets }, strict: flags.strict === true, clock }, sink);
    const result = { ...sink.finish(), ...(run.stoppedAt ? { stoppedAt: run.stoppedAt } : {}) };
    if (result.stoppedAt) {
      const s = result.stoppedAt;
      io.err(`monetize: error: ${s.file}${s.line > 0 ? `:${s.line}` : ''}: ${s.message}\n  = note: --strict stops at the first rejected input; the batch it fell in was not applied\n`);
      return EXIT.failed;
    }
    const exponent = currencyExponent(checked.ir.currency) ?? 2;
    const text =
      flags.format === 'json'
        ? `${JSON.stringify({ policy: { file: policyPath, hash: checked.ir.hash, currency: checked.ir.currency }, ...result.report }, null, 2)}\n`
        : flags.format === 'html'
          ? renderReportHtml(result, { file: policyPath, hash: checked.ir.hash, currency: checked.ir.currency })
          : renderReportPretty(result.report, { exponent, ...(useColor(io, flags.format) && flags.output === undefined ? { strong: (x: string) => chalk.bold(x) } : {}) });
    if (flags.output !== undefined) {
      writeOutputs([{ path: flags.output, content: text }], inputs);
      io.err(`monetize: wrote the ${flags.format} report to ${flags.output}\n`);
    } else io.out(text);
    return EXIT.ok;
  } finally {
    store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}
