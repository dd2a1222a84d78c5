/**
 * A progress line for long replays, on standard error, only on a terminal: a bar of the access-log
 * bytes read (compressed bytes for `.gz`), lines replayed, lines/s and the time left. It redraws
 * in place at most ten times a second and erases itself when the run ends, so nothing of it is
 * left in a terminal's scrollback or reaches a pipe or a file.
 */
import type { Io } from './io.js';

/** What a replay tells the progress line. */
export interface Progress {
  /** Inputs read so far. */
  lines(read: number): void;
  /** Another `n` bytes of the access logs were read. */
  bytes(n: number): void;
  /** Erase the line (call once, when the replay ends, before anything else is printed). */
  done(): void;
}

export interface ProgressOptions {
  /** Total bytes of the access logs (as stored); 0 when unknown (no bar, no time left). */
  readonly totalBytes: number;
  /** `--quiet`: no progress line. */
  readonly quiet?: boolean;
  /** Milliseconds; the wall clock by default (progress is the one thing of a replay that reads it). */
  readonly now?: () => number;
  /** Minimum milliseconds between redraws (default 100). */
  readonly interval?: number;
}

const NONE: Progress = { lines: () => {}, bytes: () => {}, done: () => {} };
const BAR = 24;
const CLEAR = '\r\x1b[2K';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `m:ss`, or `h:mm:ss` from an hour up. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The progress line's text (without the carriage return that redraws it). */
export function progressText(read: number, bytesRead: number, totalBytes: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (read * 1000) / elapsedMs : 0;
  const parts = ['replaying'];
  if (totalBytes > 0) {
    const done = Math.min(1, bytesRead / totalBytes);
    const filled = Math.round(done * BAR);
    parts.push(`${'█'.repeat(filled)}${'░'.repeat(BAR - filled)} ${String(Math.floor(done * 100)).padStart(3)}%`);
  }
  parts.push(`${int(read)} lines`);
  if (rate > 0) parts.push(rate >= 10_000 ? `${(rate / 1000).toFixed(1)} k lines/s` : `${int(rate)} lines/s`);
  if (totalBytes > 0 && bytesRead > 0 && bytesRead < totalBytes && elapsedMs > 0) parts.push(`ETA ${clockText((elapsedMs * (totalBytes - bytesRead)) / bytesRead)}`);
  return parts.join('  ');
}

/** A progress line on `io`'s standard error, or nothing when it is not a terminal or `quiet` is set. */
export function createProgress(io: Io, opts: ProgressOptions): Progress {
  if (opts.quiet || !io.stderrIsTTY) return NONE;
  const now = opts.now ?? Date.now;
  const interval = opts.interval ?? 100;
  const start = now();
  let last = -Infinity;
  let read = 0;
  let bytesRead = 0;
  let shown = false;
  const draw = (): void => {
    const t = now();
    if (t - last < interval) return;
    last = t;
    shown = true;
    io.err(CLEAR + progressText(read, bytesRead, opts.totalBytes, t - start));
  };
  return {
    lines(n) {
      read = n;
      draw();
    },
    bytes(n) {
      bytesRead += n;
    },
    done() {
      if (shown) io.err(CLEAR);
      shown = false;
    },
  };
}
