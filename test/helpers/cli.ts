/**
 * The one way end-to-end tests run the real `monetize` binary: `node bin/monetize.js` in a child
 * process, from the repository root, without colour — and every run is checked for signs of a
 * crash, because a stack trace reaching a user is a bug whatever the exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The repository root: relative paths in arguments are resolved against it. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  /** The exit code; null if the process was killed (e.g. by the timeout). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What a crash leaves in the output: a stack frame (`    at fn (file:1:2)`, `    at file:1:2`,
 * async and `node:` frames alike), a JavaScript error name (`Error: `, `TypeError: ` — monetize
 * itself writes `error[M300]:` and `error:`), or the CLI's own internal-error banner.
 */
const CRASH_SIGNS: readonly { readonly what: string; readonly re: RegExp }[] = [
  { what: 'a stack frame', re: /^[ \t]+at (?:.+ \()?[^\s()]+:\d+:\d+\)?[ \t]*$/m },
  { what: 'a JavaScript error name', re: /\b[A-Za-z]*Error: / },
  { what: 'an internal error', re: /internal error/i },
];

/** The first sign of a crash in `text` (what and the matching text), or undefined. */
export function crashSign(text: string): string | undefined {
  for (const { what, re } of CRASH_SIGNS) {
    const m = re.exec(text);
    if (m) return `${what}: ${JSON.stringify(m[0])}`;
  }
  return undefined;
}

/** Fail the test when stdout or stderr shows a crash. */
export function expectNoStackTrace(r: CliResult): void {
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    expect(crashSign(text), `${name} shows a crash:\n${text}`).toBeUndefined();
  }
}

/** How a run differs from the plain one; every field is optional. */
export interface RunOptions {
  /** An open file descriptor the child writes its standard output to (e.g. /dev/full) instead of a captured pipe. */
  readonly stdout?: number;
  /** The same for standard error. */
  readonly stderr?: number;
  /** Another copy of bin/monetize.js to run (say, in an unbuilt package) instead of this repository's. */
  readonly bin?: string;
}

/** Run `monetize ...args` from the repository root with NO_COLOR; never a stack trace. */
export function monetize(...args: string[]): CliResult {
  return monetizeWith({}, ...args);
}

/** Run `monetize ...args` as `monetize` does, with its output streams or its binary changed by `opts`. */
export function monetizeWith(opts: RunOptions, ...args: string[]): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const stdio = ['pipe', opts.stdout ?? 'pipe', opts.stderr ?? 'pipe'] as const;
  const r = spawnSync(process.execPath, [opts.bin ?? join(ROOT, 'bin/monetize.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000, stdio: [...stdio] });
  if (r.error) throw r.error;
  // A stream sent to a descriptor is not captured: it reads as empty.
  const result: CliResult = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  expectNoStackTrace(result);
  return result;
}

/** Fail early, with the fix, when the CLI has not been built (vitest run directly, without npm test). */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does it)');
  const r = monetize('--version');
  if (r.status !== 0) throw new Error(`the built CLI does not start (exit ${r.status}): run \`npm run build\`\n${r.stderr}`);
}
