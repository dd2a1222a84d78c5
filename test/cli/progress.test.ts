/** The replay's progress line: only on a terminal, throttled, erased at the end; the real CLI under a pseudo-terminal. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { clockText, createProgress, progressText } from '../../src/cli/progress.js';
import { requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

function fakeIo(stderrIsTTY: boolean): Io & { written: string[] } {
  const written: string[] = [];
  return { out: () => {}, err: (s) => written.push(s), stdoutIsTTY: false, stderrIsTTY, env: {}, written };
}

describe('progress text', () => {
  it('shows the bar by bytes, lines, lines/s and the time left', () => {
    // A quarter of the bytes in 10 s: 30 s left; 250,000 lines in 10 s is 25 k lines/s.
    expect(progressText(250_000, 1_000, 4_000, 10_000)).toBe(`replaying  ${'█'.repeat(6)}${'░'.repeat(18)}  25%  250,000 lines  25.0 k lines/s  ETA 0:30`);
    // Unknown size: no bar and no time left; slow rates in whole lines.
    expect(progressText(1_234, 0, 0, 2_000)).toBe('replaying  1,234 lines  617 lines/s');
    // All bytes read: 100 %, nothing left to estimate.
    expect(progressText(10, 50, 50, 1_000)).toBe(`replaying  ${'█'.repeat(24)} 100%  10 lines  10 lines/s`);
  });

  it('formats the time left as m:ss, and h:mm:ss from an hour', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(59_400)).toBe('0:59');
    expect(clockText(61_000)).toBe('1:01');
    expect(clockText(3_600_000 + 62_000)).toBe('1:01:02');
  });
});

describe('createProgress', () => {
  it('writes nothing when standard error is not a terminal, or with --quiet', () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const io = fakeIo(tty);
      const p = createProgress(io, { totalBytes: 100, quiet, now: () => 0 });
      p.bytes(50);
      p.lines(10);
      p.done();
      expect(io.written).toEqual([]);
    }
  });

  it('redraws in place at most once per interval and erases itself at the end', () => {
    const io = fakeIo(true);
    let t = 0;
    const p = createProgress(io, { totalBytes: 1000, now: () => t, interval: 100 });
    p.bytes(100);
    t = 1000;
    p.lines(1000);
    t = 1050;
    p.lines(2000); // within the interval: not drawn
    t = 2000;
    p.bytes(100);
    p.lines(3000);
    p.done();
    p.done(); // a second call writes nothing more
    expect(io.written).toEqual([
      `\r\x1b[2K${progressText(1000, 100, 1000, 1000)}`,
      `\r\x1b[2K${progressText(3000, 200, 1000, 2000)}`,
      '\r\x1b[2K',
    ]);
  });
});

describe('monetize simulate on a terminal', () => {
  const dir = tempFolder('monetize-progress-');
  const hasScript = spawnSync('script', ['--version']).status === 0;

  it.runIf(hasScript)('draws the progress line on a pseudo-terminal and erases it; --quiet and pipes get none', () => {
    requireBuild();
    const report = join(dir(), 'report.json');
    const cmd = (extra: string): string =>
      `node bin/monetize.js simulate examples/marketplace-policy.yaml --replay examples/simulate/access.jsonl.gz --format json -o ${report} ${extra}`;
    // `script` runs the command with a pseudo-terminal as its standard streams and copies what it wrote.
    const tty = spawnSync('script', ['-qec', cmd(''), '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/replaying {2}█*░* +\d+% {2}[\d,]+ lines/);
    expect(tty.stdout).toContain('\r\x1b[2K');
    // The line is erased before the last message, which is all that is left visible.
    const visible = tty.stdout.split('\r\x1b[2K').pop()!;
    expect(visible).toMatch(/^monetize: wrote the json report to /);
    const quiet = spawnSync('script', ['-qec', cmd('--quiet'), '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain('replaying');
    const piped = spawnSync(process.execPath, ['bin/monetize.js', ...cmd('').split(' ').slice(2).filter((a) => a !== '')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe(`monetize: wrote the json report to ${report}\n`);
  });
});
