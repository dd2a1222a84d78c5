import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closest, editDistance, Suggester } from '../../src/diag/suggest.js';
import { SourceFile } from '../../src/diag/source.js';

describe('did-you-mean', () => {
  it('measures transpositions as one edit', () => {
    expect(editDistance('teir', 'tier')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests the nearest plausible candidate only', () => {
    expect(closest('enterprize', ['free', 'pro', 'enterprise'])).toBe('enterprise');
    expect(closest('xyz', ['free', 'pro', 'enterprise'])).toBeUndefined();
  });
});

/** `closest` as it was written first: every candidate compared, no shortcut. */
function naiveClosest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return c;
    const d = editDistance(w, lc);
    if (d <= Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3)) && d < bestScore) [best, bestScore] = [c, d];
  }
  return best;
}

describe('Suggester: did-you-mean for many lookups', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '_'), maxLength: 9 });

  it('stops measuring a distance past its cap, and says so by returning cap + 1', () => {
    fc.assert(
      fc.property(word, word, fc.nat(6), (a, b, cap) => {
        expect(editDistance(a, b, cap)).toBe(Math.min(editDistance(a, b), cap + 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('skips candidates by length without changing any answer', () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 12 }), (w, cs) => {
        expect(closest(w, cs)).toBe(naiveClosest(w, cs));
        expect(new Suggester(Infinity).closest(w, cs)).toBe(naiveClosest(w, cs));
      }),
      { numRuns: 2000 },
    );
  });

  // 900 candidates of one length: the length shortcut skips none, each lookup compares all 900.
  const fields = Array.from({ length: 900 }, (_, i) => `user.field_${i + 100}`);

  it('stops suggesting once the budget of edit distances is spent, and says nothing wrong', () => {
    const s = new Suggester(900);
    expect(s.didYouMean('user.fiald_999', fields)).toBe("did you mean 'user.field_999'?");
    expect(s.didYouMean('user.fiald_998', fields)).toBeUndefined();
  });

  it('answers a repeated lookup from memory, without spending budget', () => {
    const s = new Suggester(900);
    expect(s.closest('user.fiald_999', fields)).toBe('user.field_999');
    expect(s.closest('user.fiald_999', fields)).toBe('user.field_999');
    expect(s.closest('user.fiald_998', fields)).toBeUndefined();
  });
});

describe('SourceFile', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const f = new SourceFile('a.yaml', 'ab\ncd\r\nef');
    expect(f.position(0)).toEqual({ line: 1, column: 1 });
    expect(f.position(3)).toEqual({ line: 2, column: 1 });
    expect(f.position(8)).toEqual({ line: 3, column: 2 });
    expect(f.lineText(2)).toBe('cd');
  });
});
