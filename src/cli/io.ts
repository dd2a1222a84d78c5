/** Terminal I/O helpers shared by the commands: where output goes and whether it is coloured. */
import { resolve } from 'node:path';
import { describeFsError } from '../io/files.js';
import { findClash, WriteError, writeFilesAtomically, type OutputFile } from '../io/write.js';
import { EXIT, UsageError } from './exit.js';

/** Where a command writes; tests substitute these. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's real streams. */
export function processIo(): Io {
  for (const [stream, name] of [[process.stdout, 'stdout'], [process.stderr, 'stderr']] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // `monetize … | head` closes the pipe early; that is the reader's choice, not an error.
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      // A full disk or a dead terminal: output was lost, so the run failed. If it is stderr that
      // failed, there is nowhere left to say so; the exit code alone tells.
      if (name === 'stdout') {
        try {
          process.stderr.write(`monetize: error: cannot write stdout: ${describeFsError(e)}\n`);
        } catch {
          // stderr is gone as well.
        }
      }
      process.exit(EXIT.usage);
    });
  }
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}

/** Colour only on a TTY, never with NO_COLOR, never for machine formats. */
export function useColor(io: Io, format: string, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (format !== 'pretty') return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY;
}

/** Parse a non-negative integer option. */
export function parseCount(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${name} must be a whole number, got '${value}'`);
  return n;
}

/** Refuse any output that is one of the command's inputs (the same file, through links too) or another of its outputs. */
export function refuseOverwrite(outputs: readonly string[], inputs: readonly string[]): void {
  const clash = findClash(outputs, inputs);
  if (clash === undefined) return;
  const how = resolve(clash.output) === resolve(clash.input) ? '' : ': they are the same file';
  if (clash.betweenOutputs) throw new UsageError(`refusing to write '${clash.output}' and '${clash.input}'${how}`, 'choose another -o file');
  throw new UsageError(`refusing to write '${clash.output}' over the input '${clash.input}'${how}`, 'choose another -o file');
}

/** Write a command's outputs, never over one of its inputs and all or nothing; a failure is a usage error with the reason. */
export function writeOutputs(files: readonly OutputFile[], inputs: readonly string[]): void {
  refuseOverwrite(files.map((f) => f.path), inputs);
  try {
    writeFilesAtomically(files);
  } catch (e) {
    if (e instanceof WriteError) throw new UsageError(`cannot write '${e.path}': ${describeFsError(e.reason)}`);
    throw e;
  }
}
