/**
 * The replay split by user over worker threads (`monetize simulate --jobs N`).
 *
 * Each worker replays one shard (`ShardOptions` in replay.ts): it reads the whole merged input
 * stream itself — parsing is about a fifth of the cost of a line — decides only its own users'
 * requests, applies every event, and writes its own SQLite ledger file (one writer per file, so no
 * lock is ever contended). It hands its records to this thread in chunks, one per batch (at most
 * `batchSize` records); `ShardMerge` merges the chunks by `seq` into the one sink, so whatever the
 * sink builds — the report, the other policy's report and the diff — is built from exactly the
 * records, in exactly the order, of a single-threaded run.
 *
 * Memory: a worker may be at most `window` chunks ahead of what the merge has released; it then
 * waits (on a shared counter, `Atomics.wait`) until the merge catches up, which it can always do
 * because a shard with nothing queued has nothing unacknowledged and is never waiting. So this
 * thread holds at most `count × window × batchSize` records, however long the log.
 */
import { Worker } from 'node:worker_threads';
import type { IrPolicy } from '../ir/ir.js';
import { LedgerError } from '../ledger/store.js';
import type { OfferGrant } from '../ledger/model.js';
import type { ReplayInputOptions } from './inputs.js';
import type { ReplayRecord, ReplaySink } from './records.js';
import type { ReplayRun } from './replay.js';
import { ShardMerge } from './shard-merge.js';
import type { Shard } from './shards.js';

/** Chunks a worker may hand over before the merge has released them (default). */
export const DEFAULT_WINDOW = 4;

/** A policy as a worker builds its service from it: the checked IR (compiled there) and its offers. */
export interface ShardPolicy {
  readonly ir: IrPolicy;
  readonly offers: readonly OfferGrant[];
}

/** What `replayParallel` replays, and where. */
export interface ParallelOptions {
  readonly policy: ShardPolicy;
  /** The other policy (`--against`): every worker runs both, each over its own ledger. */
  readonly against?: ShardPolicy;
  /** What to replay; `onLogBytes` is called here, as the bytes every shard has read grow (a function does not cross to a worker). */
  readonly inputs: ReplayInputOptions;
  /** One SQLite ledger file per shard, in shard order: their number is the number of shards. */
  readonly ledgers: readonly string[];
  /** With `against`: the other policy's ledger file per shard. */
  readonly againstLedgers?: readonly string[];
  /** Stop at the first rejected input (every shard stops at the same one). */
  readonly strict?: boolean;
  /** A shard's own inputs per transaction, and records per chunk (default: the replay's, 1,000). */
  readonly batchSize?: number;
  /** Chunks a worker may be ahead of the merge (default 4). */
  readonly window?: number;
  /** Called as the merge advances, with the number of inputs every shard has read. */
  readonly onProgress?: (read: number) => void;
  /** The worker module (default: the built `shard-worker.js` beside this module; the TypeScript sources' tests point it at dist/). */
  readonly workerUrl?: URL;
}

/** What a worker is given (as `workerData`). */
export interface ShardJob {
  readonly shard: Shard;
  readonly policy: ShardPolicy;
  readonly against?: ShardPolicy;
  readonly ledger: string;
  readonly againstLedger?: string;
  readonly inputs: Omit<ReplayInputOptions, 'onLogBytes'>;
  readonly strict: boolean;
  readonly batchSize?: number;
  readonly window: number;
  /** Chunks the merge has released, per shard (shared memory: the worker waits on its slot). */
  readonly acks: Int32Array;
}

/** A request id used by two users in different shards (see `SharedRequestIdError`). */
export interface SharedRequestId {
  readonly requestId: string;
  readonly file: string;
  readonly line: number;
  /** The position of the request at `file:line` in the stream. */
  readonly seq: number;
  /** The user of the request at `file:line` (null: none). */
  readonly userId: string | null;
  /** The user of the earlier request with that id, and when it was decided. */
  readonly otherUserId: string | null;
  readonly otherAt: number;
}

/** What a worker tells this thread. */
export type ShardMessage =
  | { readonly kind: 'records'; readonly records: ReplayRecord[]; readonly upTo: number; readonly logBytes: number }
  | { readonly kind: 'done'; readonly run: ReplayRun }
  | { readonly kind: 'shared'; readonly shared: SharedRequestId; readonly upTo: number }
  | { readonly kind: 'failed'; readonly name: string; readonly message: string };

/**
 * Two requests of different users share a request id. A single-threaded run answers the later one
 * from the earlier one's record (a request id is a request's identity in the ledger); split by user,
 * the two land in different shards and would both be decided, so the run stops instead.
 */
export class SharedRequestIdError extends Error {
  constructor(readonly shared: SharedRequestId) {
    super(
      `request id "${shared.requestId}" is used by requests of two users (${who(shared.userId)} here, ${who(shared.otherUserId)} at ${new Date(shared.otherAt).toISOString()}), ` +
        "which a split replay decides in different shards: a single-threaded run answers the later request from the earlier one's record",
    );
    this.name = 'SharedRequestIdError';
  }
}

function who(userId: string | null): string {
  return userId === null ? 'a request without a user' : JSON.stringify(userId);
}

const DEFAULT_WORKER = new URL('./shard-worker.js', import.meta.url);

/**
 * Replay the inputs split over `ledgers.length` worker threads, handing every record to `sink` in
 * stream order — the same records, in the same order, as `replayInto` on one thread. Resolves
 * with the run (with `strict`: the rejected input every shard stopped at); rejects with a
 * `LedgerError` when a shard's ledger cannot be opened, a `SharedRequestIdError` (the first shared
 * id in the stream, whichever worker finds one first), or the first failure of a worker or of the
 * sink. The workers are stopped; every shard's ledger is left at its last commit.
 */
export async function replayParallel(opts: ParallelOptions, sink: ReplaySink): Promise<ReplayRun> {
  const count = opts.ledgers.length;
  if (count < 1) throw new RangeError('replayParallel needs at least one ledger');
  if (opts.against && opts.againstLedgers?.length !== count) throw new RangeError('replayParallel needs one --against ledger per shard');
  const acks = new Int32Array(new SharedArrayBuffer(4 * count));
  const { onLogBytes, ...inputs } = opts.inputs;
  const run = new ParallelRun(count, sink, acks, { onProgress: opts.onProgress, onLogBytes });
  const workers: Worker[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const job: ShardJob = {
        shard: { index, count },
        policy: opts.policy,
        ...(opts.against ? { against: opts.against, againstLedger: opts.againstLedgers![index]! } : {}),
        ledger: opts.ledgers[index]!,
        inputs,
        strict: opts.strict === true,
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        window: opts.window ?? DEFAULT_WINDOW,
        acks,
      };
      const worker = new Worker(opts.workerUrl ?? DEFAULT_WORKER, { workerData: job });
      workers.push(worker);
      worker.on('message', (m: ShardMessage) => run.message(index, m));
      worker.on('error', (e) => run.fail(new Error(`shard ${index} of the replay failed: ${e.message}`)));
      worker.on('exit', (code) => run.exited(index, code));
    }
    return await run.result;
  } finally {
    // Wake any worker waiting for room, then stop them all (after a success they have ended already).
    run.releaseFlowControl();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The main thread's side of one split replay: the merge, the flow control, how it ends. */
class ParallelRun {
  readonly result: Promise<ReplayRun>;
  private resolve!: (run: ReplayRun) => void;
  private reject!: (error: Error) => void;
  private settled = false;
  private readonly merge: ShardMerge;
  private readonly runs: (ReplayRun | undefined)[];
  /** Shards that have said their last word (done, failed or a shared request id). */
  private readonly finished: boolean[];
  private readonly upTo: number[];
  private readonly logBytes: number[];
  private reported = 0;
  private reportedBytes = 0;
  /** Shared request ids found, and the stream position every shard must reach before the first of them is known. */
  private shared: { readonly found: SharedRequestId[]; until: number } | undefined;

  constructor(
    private readonly count: number,
    sink: ReplaySink,
    private readonly acks: Int32Array,
    private readonly progress: { readonly onProgress: ((read: number) => void) | undefined; readonly onLogBytes: ((n: number) => void) | undefined },
  ) {
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.merge = new ShardMerge(count, sink, (w) => {
      Atomics.add(acks, w, 1);
      Atomics.notify(acks, w);
    });
    this.runs = new Array<ReplayRun | undefined>(count).fill(undefined);
    this.finished = new Array<boolean>(count).fill(false);
    this.upTo = new Array<number>(count).fill(0);
    this.logBytes = new Array<number>(count).fill(0);
  }

  message(w: number, m: ShardMessage): void {
    if (this.settled) return;
    try {
      if (m.kind === 'records') this.records(w, m.records, m.upTo, m.logBytes);
      else if (m.kind === 'done') this.done(w, m.run);
      else if (m.kind === 'shared') this.sharedId(w, m.shared, m.upTo);
      else this.fail(m.name === 'LedgerError' ? new LedgerError(m.message) : new Error(`shard ${w} of the replay failed: ${m.message}`));
    } catch (e) {
      // The sink threw: stop everything and hand its error on.
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** A worker ended; before saying its last word, it crashed. */
  exited(w: number, code: number): void {
    if (!this.finished[w]) this.fail(new Error(`shard ${w} of the replay stopped before it finished (exit code ${code})`));
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  /** Let every worker run on without waiting for the merge (it is stopping, or stopped). */
  releaseFlowControl(): void {
    for (let w = 0; w < this.count; w++) {
      Atomics.store(this.acks, w, 0x3fffffff);
      Atomics.notify(this.acks, w);
    }
  }

  private records(w: number, records: ReplayRecord[], upTo: number, logBytes: number): void {
    this.upTo[w] = upTo;
    this.logBytes[w] = logBytes;
    if (this.shared) return this.settleShared();
    this.merge.push(w, records, upTo);
    // Progress as far as every shard has got (every shard reads the whole stream).
    const bytes = Math.min(...this.logBytes);
    if (this.progress.onLogBytes && bytes > this.reportedBytes) {
      this.progress.onLogBytes(bytes - this.reportedBytes);
      this.reportedBytes = bytes;
    }
    const reached = this.merge.reached;
    if (this.progress.onProgress && reached > this.reported) this.progress.onProgress((this.reported = reached));
  }

  private done(w: number, run: ReplayRun): void {
    this.finished[w] = true;
    this.runs[w] = run;
    if (this.shared) return this.settleShared();
    this.merge.end(w);
    if (!this.merge.done) return;
    this.settled = true;
    this.resolve(this.runs[0]!);
  }

  /**
   * A worker found a request id it decided earlier used by another shard's user. Every worker
   * checks at the same stream positions (each `batchSize` inputs read), so once every shard has got
   * past the position this one checked at, every shared id up to there has been found, and the
   * first in the stream is reported whatever the timing of the threads.
   */
  private sharedId(w: number, shared: SharedRequestId, upTo: number): void {
    this.finished[w] = true;
    if (!this.shared) {
      this.shared = { found: [], until: upTo };
      this.releaseFlowControl();
    }
    this.shared.found.push(shared);
    this.shared.until = Math.min(this.shared.until, upTo);
    this.settleShared();
  }

  private settleShared(): void {
    const { found, until } = this.shared!;
    for (let w = 0; w < this.count; w++) if (!this.finished[w] && this.upTo[w]! < until) return;
    const first = found.reduce((a, b) => (b.seq < a.seq ? b : a));
    this.fail(new SharedRequestIdError(first));
  }
}
