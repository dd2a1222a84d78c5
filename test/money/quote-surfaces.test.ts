/**
 * Every hand-computed quote case through every surface: the library engine, the in-process
 * compiled module, and compiled ESM and CJS files. Each answer must be the expected object, key
 * order included, so that the JSON a user receives is byte-identical whichever surface gave it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { irOfText } from '../helpers/front-end.js';
import { tempFolder } from '../helpers/tmp.js';
import { QUOTE_CASES, cliCases } from './quote-cases.js';
import { allSurfaces, call, type Surface } from './surfaces.js';

const dir = tempFolder('monetize-quote-');
const surfacesOf = new Map<string, Surface[]>();

beforeAll(async () => {
  for (const text of new Set(QUOTE_CASES.map((c) => c.policy))) surfacesOf.set(text, await allSurfaces(irOfText(text), dir()));
});

describe('hand-computed quotes on every surface', () => {
  it.each(QUOTE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const surfaces = surfacesOf.get(c.policy)!;
    expect(surfaces.map((s) => s.name)).toEqual(['library', 'in-process module', 'esm file', 'cjs file']);
    const want = JSON.stringify(c.expect);
    for (const s of surfaces) {
      const got = call(s, c.assets, c.request);
      expect(got, s.name).toStrictEqual(c.expect);
      expect(JSON.stringify(got), s.name).toBe(want);
    }
  });
});

describe('the case table', () => {
  it('checks its own arithmetic: lines add up to the subtotal, tax lines to the tax, and the total follows', () => {
    for (const c of QUOTE_CASES) {
      if ('error' in c.expect) continue;
      const q = c.expect;
      expect(q.lines.reduce((s, l) => s + l.amountMinor, 0), c.name).toBe(q.subtotalMinor);
      expect(q.lines.reduce((s, l) => s + l.taxMinor, 0), c.name).toBe(q.taxMinor);
      expect(q.tax.reduce((s, t) => s + t.amountMinor, 0), c.name).toBe(q.taxMinor);
      expect(q.totalMinor, c.name).toBe(q.inclusive ? q.subtotalMinor : q.subtotalMinor + q.taxMinor);
    }
  });

  it('has unique names and offers the command-line cases to a CLI loop', () => {
    expect(new Set(QUOTE_CASES.map((c) => c.name)).size).toBe(QUOTE_CASES.length);
    const cli = cliCases();
    // Everything but the cases whose arguments a command line cannot carry.
    expect(cli.map((c) => c.name)).not.toContain('not an array');
    expect(cli.map((c) => c.name)).not.toContain('a request that is not an object');
    expect(cli.find((c) => c.name.startsWith('reverse charge: an EU business'))?.context).toEqual({ country: 'DE', vatId: 'DE123456789' });
    expect(cli.length).toBeGreaterThan(30);
  });
});
