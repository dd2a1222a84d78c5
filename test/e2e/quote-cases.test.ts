/**
 * The hand-computed quote table through the command line: every case a command line can express
 * (string ids without commas, a buyer given as --user) gives, with `monetize quote --format json`,
 * exactly the quote the library and the compiled modules give — or exits 2 with the error's message.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliCases } from '../money/quote-cases.js';
import { expectNoStackTrace, monetize, requireBuild } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';

const dir = tempFolder('monetize-quote-cases-');
beforeAll(() => requireBuild());

describe('monetize quote on the hand-computed table', () => {
  const cases = cliCases();
  it('covers most of the table', () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const file = join(dir(), `case-${i}.yaml`);
    writeFileSync(file, c.policy);
    const args = ['quote', file, '--assets', c.assets.join(','), '--format', 'json', ...(c.context ? ['--user', JSON.stringify(c.context)] : [])];
    const r = monetize(...args);
    expectNoStackTrace(r);
    if ('error' in c.expect) {
      expect(r.status, r.stdout).toBe(2);
      expect(r.stderr).toContain(c.expect.message);
    } else {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${JSON.stringify(c.expect, null, 2)}\n`);
    }
  });
});
