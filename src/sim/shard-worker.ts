/**
 * A worker thread of a split replay (`replayParallel`): one shard, its own ledger file (and, with
 * `--against`, its own ledger for the other policy), the policies compiled here from their checked
 * IR, passed as plain data (cloning the marketplace example's IR takes under a millisecond and
 * `instantiate` a few; loading the policy file again would import the whole front end and run it,
 * many times as long). Records go to the main thread in one chunk per batch; after each, the worker
 * waits while it is `window` chunks ahead of the merge.
 *
 * After each batch the worker also looks up, in its own ledger, the ids of the requests it left to
 * other shards: finding one means two users' requests share an id (see `SharedRequestIdError`),
 * which a single-threaded run would answer differently, and the run stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiate } from '../codegen/compile.js';
import { openSqliteLedger } from '../ledger/sqlite.js';
import type { LedgerStore } from '../ledger/store.js';
import { isRecord, own } from '../runtime/runtime.js';
import { createAccessService, type AccessService } from '../service/service.js';
import type { RequestItem } from './inputs.js';
import type { SharedRequestId, ShardJob, ShardMessage, ShardPolicy } from './parallel.js';
import type { ReplayRecord } from './records.js';
import { replayInto } from './replay.js';

/** Thrown out of the replay to stop it at a request id shared across shards. */
class SharedStop extends Error {
  constructor(
    readonly shared: SharedRequestId,
    readonly upTo: number,
  ) {
    super('a request id is shared across shards');
  }
}

function serviceOf(store: LedgerStore, policy: ShardPolicy, clock: { now: number }): AccessService {
  return createAccessService({ store, module: instantiate(policy.ir), offers: policy.offers, mode: 'replay', clock: () => clock.now });
}

function userOf(item: RequestItem): string | null {
  const context = own(item.request, 'context');
  const userId = isRecord(context) ? own(context, 'userId') : undefined;
  return typeof userId === 'string' ? userId : null;
}

/** A request this shard left to another, and its position in the stream. */
interface Skipped {
  readonly item: RequestItem;
  readonly seq: number;
}

/**
 * The first of `skipped` whose id this shard's ledger has decided (for another user: the skipped
 * request's user is not one of this shard's). Of two requests sharing an id, the shard of the
 * earlier one always finds the pair when it skips the later one; the shard of the later one, when
 * it skips the earlier one in the same batch, leaves the pair to the other (`batch`, this batch's
 * records, tells whether its own request came later), so that the pair is reported at the later
 * request. A row decided by an earlier run of the same `--db` counts as earlier.
 */
function sharedId(store: LedgerStore, skipped: readonly Skipped[], batch: readonly ReplayRecord[]): SharedRequestId | undefined {
  if (skipped.length === 0) return undefined;
  return store.transaction((tx) => {
    for (const { item, seq } of skipped) {
      const row = tx.decisionByRequest(item.id);
      if (!row || batch.some((r) => r.kind === 'decision' && r.decision.id === item.id && r.seq > seq)) continue;
      return { requestId: item.id, file: item.file, line: item.line, seq, userId: userOf(item), otherUserId: row.userId, otherAt: row.at };
    }
    return undefined;
  });
}

/** Block until the merge has released enough of this shard's chunks to hand over another. */
function waitForRoom(job: ShardJob, posted: number): void {
  const slot = job.shard.index;
  for (;;) {
    const acked = Atomics.load(job.acks, slot);
    if (posted - acked < job.window) return;
    Atomics.wait(job.acks, slot, acked);
  }
}

async function runShard(job: ShardJob, post: (m: ShardMessage) => void): Promise<void> {
  const stores: LedgerStore[] = [];
  try {
    const store = openSqliteLedger(job.ledger);
    stores.push(store);
    const other = job.againstLedger !== undefined ? openSqliteLedger(job.againstLedger) : undefined;
    if (other) stores.push(other);
    const clock = { now: 0 };
    const service = serviceOf(store, job.policy, clock);
    const against = other && job.against ? serviceOf(other, job.against, clock) : undefined;

    let chunk: ReplayRecord[] = [];
    let posted = 0;
    let logBytes = 0;
    const skipped: Skipped[] = [];
    const handOver = (upTo: number): void => {
      post({ kind: 'records', records: chunk, upTo, logBytes });
      chunk = [];
      waitForRoom(job, ++posted);
    };
    const run = await replayInto(
      against ? { service, against } : { service },
      {
        inputs: { ...job.inputs, onLogBytes: (n) => (logBytes += n) },
        strict: job.strict,
        clock,
        ...(job.batchSize !== undefined ? { batchSize: job.batchSize } : {}),
        shard: { ...job.shard, skipped: (item, seq) => skipped.push({ item, seq }) },
        onProgress: (read) => {
          const shared = sharedId(store, skipped, chunk);
          if (shared) throw new SharedStop(shared, read);
          skipped.length = 0;
          handOver(read);
        },
      },
      { record: (r) => chunk.push(r) },
    );
    // A strict stop leaves records read since the last batch (rejected inputs before the stop).
    if (chunk.length > 0) handOver(run.read);
    post({ kind: 'done', run });
  } catch (e) {
    if (e instanceof SharedStop) post({ kind: 'shared', shared: e.shared, upTo: e.upTo });
    else post({ kind: 'failed', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    for (const s of stores) s.close();
  }
}

if (parentPort) {
  const port = parentPort;
  await runShard(workerData as ShardJob, (m) => port.postMessage(m));
}
