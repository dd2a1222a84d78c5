/** Terminal I/O helpers shared by the commands: where output goes and whether it is coloured. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError } from '../io/files.js';
import { UsageError } from './exit.js';

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
  // `monetize … | head` closes the pipe early; that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
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

/** Refuse to write an output over one of the command's own inputs (`compile p.yaml -o p.yaml`). */
export function refuseOverwrite(output: string, inputs: readonly string[]): void {
  const out = resolve(output);
  for (const input of inputs) {
    if (resolve(input) === out) throw new UsageError(`refusing to write the output over the input '${input}'`, 'choose another -o file');
  }
}

/** Write a file, turning I/O failures into a usage error with the reason. */
export function writeOutput(path: string, content: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  } catch (e) {
    throw new UsageError(`cannot write '${path}': ${describeFsError(e)}`);
  }
}
