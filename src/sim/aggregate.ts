/**
 * The sink a simulation run feeds: the report of the simulated policy and, with `--against`, the
 * report of the other policy and the diff between them, all built from the same records in stream
 * order (so a run split over workers and merged by `seq` builds the same bytes).
 */
import type { SimDiff } from './diff.js';
import type { ReplayRecord, ReplaySink } from './records.js';
import { ReportBuilder, type SimReport } from './report.js';

/** A sink that builds the diff of two policies from records that carry both results (`DiffBuilder` in diff.ts). */
export interface DiffSink {
  add(r: ReplayRecord): void;
  /** The diff; totals both policies' reports already hold (tokens, revenue, decisions by rule) come from them. */
  finish(after: SimReport, before: SimReport): SimDiff;
}

/** What a simulation run reports. */
export interface SimOutcome {
  readonly report: SimReport;
  /** The `--against` policy's own report. */
  readonly against?: SimReport;
  readonly diff?: SimDiff;
}

/** The record as the `--against` policy saw it. */
function againstView(r: ReplayRecord): ReplayRecord {
  if (r.kind === 'decision') return r.against ? { kind: 'decision', seq: r.seq, decision: r.against } : r;
  if (r.kind === 'event') return r.against ? { kind: 'event', seq: r.seq, event: r.against } : r;
  return r;
}

/** The report of the simulated policy and, with a diff sink, the other policy's report and the diff. */
export class SimAggregator implements ReplaySink {
  private readonly main: ReportBuilder;
  private readonly other: ReportBuilder | undefined;

  /** `diff` given: the run has an `--against` policy, and every record carries its result. */
  constructor(
    currency: string,
    private readonly diff?: DiffSink,
  ) {
    this.main = new ReportBuilder(currency);
    this.other = diff ? new ReportBuilder(currency) : undefined;
  }

  record(r: ReplayRecord): void {
    this.main.add(r);
    if (this.other) this.other.add(againstView(r));
    this.diff?.add(r);
  }

  finish(): SimOutcome {
    const report = this.main.finish();
    if (!this.other || !this.diff) return { report };
    const against = this.other.finish();
    return { report, against, diff: this.diff.finish(report, against) };
  }
}
