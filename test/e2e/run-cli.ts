/** Running the real `monetize` binary in end-to-end tests. */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node bin/monetize.js ...args` from the repository root, without colour. */
export function cli(args: readonly string[], opts: { input?: string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [`${process.cwd()}/bin/monetize.js`, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  const result = { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  expectNoStackTrace(result);
  return result;
}

/** A stack trace reaching a user is a bug. */
export function expectNoStackTrace(r: CliResult): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
    expect(text).not.toMatch(/internal error/);
  }
}
