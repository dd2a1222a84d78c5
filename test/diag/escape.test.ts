/**
 * The one helper that makes untrusted text safe to show: which characters it replaces, with what,
 * and that no renderer carries an escaper of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multiLine, oneLine, visibleCodePoint } from '../../src/diag/escape.js';
import { ROOT } from '../helpers/cli.js';

/** Every character a terminal or a bidi-aware viewer acts on, by the ranges the helper covers. */
const DANGEROUS = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
  0x2066, 0x2067, 0x2068, 0x2069,
];
const DANGER_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('visibleCodePoint', () => {
  it('gives every control, DEL, C1 control and bidi override a visible one-column stand-in', () => {
    for (const cp of DANGEROUS) {
      const shown = visibleCodePoint(cp);
      expect(shown, `U+${cp.toString(16)}`).toHaveLength(1);
      expect(DANGER_RE.test(shown), `U+${cp.toString(16)} → ${shown}`).toBe(false);
    }
    expect(visibleCodePoint(0x1b)).toBe('␛');
    expect(visibleCodePoint(0x00)).toBe('␀');
    expect(visibleCodePoint(0x0a)).toBe('␊');
    expect(visibleCodePoint(0x7f)).toBe('␡');
    expect(visibleCodePoint(0x9b)).toBe('\ufffd');
    expect(visibleCodePoint(0x202e)).toBe('\ufffd');
  });

  it('leaves the neighbours of the ranges alone', () => {
    for (const cp of [0x20, 0x7e, 0xa0, 0x2029, 0x202f, 0x2065, 0x206a, 0x1f600]) expect(visibleCodePoint(cp)).toBe(String.fromCodePoint(cp));
  });
});

describe('oneLine and multiLine', () => {
  it('make a screen-clearing fake verdict visible', () => {
    expect(oneLine('\u001b[2J\u001b[HALLOW by admin')).toBe('␛[2J␛[HALLOW by admin');
    expect(oneLine('x\ndecision: ALLOW')).toBe('x␊decision: ALLOW');
  });

  it('oneLine leaves no line break or tab; multiLine keeps LF and tab, folds CRLF and shows a lone CR', () => {
    expect(oneLine('a\tb\r\nc')).toBe('a␉b␍␊c');
    expect(multiLine('a\tb\r\nc\rd\u001b')).toBe('a\tb\nc␍d␛');
  });

  it('return plain text unchanged, astral characters and lone surrogates included', () => {
    for (const s of ['', 'free_tier_paywall', 'Grüße, 世界 😀', '\ud800']) {
      expect(oneLine(s)).toBe(s);
      expect(multiLine(s)).toBe(s);
    }
  });

  it('never let a dangerous character through, and change nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...DANGEROUS.map((cp) => String.fromCodePoint(cp))), fc.string({ unit: 'binary', maxLength: 1 })) }), (s) => {
        const one = oneLine(s);
        expect(DANGER_RE.test(one)).toBe(false);
        expect(one.replace(/[␀-␡\ufffd]/gu, '')).toBe(s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069␀-␡\ufffd]/gu, ''));
        expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(multiLine(s))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Every TypeScript file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('one escaper', () => {
  it('only src/diag/escape.ts knows the stand-ins and the bidi ranges', () => {
    // A second copy of the table would drift: the next renderer would copy the older one.
    const marks = /0x2400|\\u2400|0x202a|\\u202a|0x2066|\\u2066/i;
    const owners = sources(join(ROOT, 'src')).filter((f) => marks.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f).split('\\').join('/'));
    expect(owners).toEqual(['src/diag/escape.ts']);
  });
});
