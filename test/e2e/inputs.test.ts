import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('refuses to write the output over an input', () => {
    const p = join(dir, 'seed.yaml');
    writeFileSync(p, readFileSync('examples/monetization-policy.yaml'));
    const r = monetize('compile', p, '-o', p);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refusing to write the output over the input');
    expect(readFileSync(p, 'utf8')).toBe(readFileSync('examples/monetization-policy.yaml', 'utf8'));
    expect(monetize('compile', p, '-o', join(dir, 'out.yaml')).status).toBe(2);
  });

  it('is a usage error to run monetize without a command', () => {
    expect(monetize().status).toBe(2);
  });
});
