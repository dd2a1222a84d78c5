import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { monetize, requireBuild } from '../helpers/cli.js';

beforeAll(() => requireBuild());

const dir = mkdtempSync(join(tmpdir(), 'monetize-inputs-'));

describe('unusual input files', () => {
  it('rejects a file that is not UTF-8 instead of corrupting it', () => {
    const p = join(dir, 'latin1.yaml');
    writeFileSync(p, Buffer.concat([Buffer.from('version: "1.0"\nrules:\n  - id: a\n    action: {allow: false, reason: "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const r = monetize('lint', p);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('not valid UTF-8');
  });

  it('ignores a byte-order mark, in policies and in @request files', () => {
    const p = join(dir, 'bom.yaml');
    writeFileSync(p, '\ufeffversion: "2.0"\nrules: []\n');
    expect(monetize('lint', p).stdout).toContain('bom.yaml:1:10: error[M115]');
    const req = join(dir, 'req.json');
    writeFileSync(req, '\ufeff{"assetId":"a","action":"read","context":{}}');
    expect(monetize('explain', 'examples/monetization-policy.yaml', '-r', `@${req}`).status).toBe(0);
  });

  it('reports broken links and link loops in folders as unreadable, not as a crash', () => {
    const d = join(dir, 'links');
    mkdirSync(d);
    symlinkSync('/nonexistent/policy.yaml', join(d, 'broken.yaml'));
    symlinkSync(d, join(d, 'loop'));
    const r = monetize('lint', d);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('broken.yaml: error[M100]');
  });

  it('reads only regular files in folders: a FIFO and a link to /dev/zero named *.yaml are passed over', () => {
    // Before, the FIFO hung lint forever and /dev/zero was read until memory ran out.
    const d = join(dir, 'special');
    mkdirSync(d);
    copyFileSync('examples/monetization-policy.yaml', join(d, 'policy.yaml'));
    execFileSync('mkfifo', [join(d, 'fifo.yaml')]);
    symlinkSync('/dev/zero', join(d, 'zero.yaml'));
    const r = monetize('lint', d);
    expect(r.stdout).toContain('no problems in 1 file');
    expect(r.status).toBe(0);
  });

  it('refuses a FIFO or a device named directly, saying what it is (exit 2)', () => {
    const fifo = join(dir, 'named-fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const zero = join(dir, 'named-zero.yaml');
    symlinkSync('/dev/zero', zero);
    const lint = monetize('lint', fifo, zero);
    expect(lint.status).toBe(2);
    expect(lint.stdout).toContain(`cannot read '${fifo}': it is a named pipe (FIFO), not a regular file`);
    expect(lint.stdout).toContain(`cannot read '${zero}': it is a character device, not a regular file`);
    expect(lint.stdout).toContain('= help: pass a regular file');
    const fifoTests = join(dir, 'named-fifo.test.yaml');
    execFileSync('mkfifo', [fifoTests]);
    for (const args of [['compile', fifo], ['test', 'examples/monetization-policy.yaml', fifoTests], ['explain', 'examples/monetization-policy.yaml', '-r', `@${fifo}`]]) {
      const r = monetize(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout + r.stderr, args.join(' ')).toContain('not a regular file');
    }
  });

  it('refuses an input over the 16 MiB limit and says so, not that it is not UTF-8 (exit 2)', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, readFileSync('examples/monetization-policy.yaml', 'utf8') + '# padding padding padding padding\n'.repeat(500_000));
    const r = monetize('lint', big);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`cannot read '${big}': it is 16.2 MiB, over the 16 MiB limit for an input file`);
    expect(r.stdout).not.toContain('UTF-8');
    const req = join(dir, 'big.json');
    writeFileSync(req, `{"assetId":"${'a'.repeat(17 * 1024 * 1024)}"}`);
    const e = monetize('explain', 'examples/monetization-policy.yaml', '-r', `@${req}`);
    expect(e.status).toBe(2);
    expect(e.stderr).toContain('over the 16 MiB limit for an input file');
  });

  it('refuses to write the output over an input', () => {
    const p = join(dir, 'seed.yaml');
    writeFileSync(p, readFileSync('examples/monetization-policy.yaml'));
    const r = monetize('compile', p, '-o', p);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`refusing to write '${p}' over the input '${p}'`);
    expect(readFileSync(p, 'utf8')).toBe(readFileSync('examples/monetization-policy.yaml', 'utf8'));
    expect(monetize('compile', p, '-o', join(dir, 'out.yaml')).status).toBe(2);
  });

  it('is a usage error to run monetize without a command', () => {
    expect(monetize().status).toBe(2);
  });
});
