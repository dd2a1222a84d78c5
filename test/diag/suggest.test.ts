import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/diag/suggest.js';
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

describe('SourceFile', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const f = new SourceFile('a.yaml', 'ab\ncd\r\nef');
    expect(f.position(0)).toEqual({ line: 1, column: 1 });
    expect(f.position(3)).toEqual({ line: 2, column: 1 });
    expect(f.position(8)).toEqual({ line: 3, column: 2 });
    expect(f.lineText(2)).toBe('cd');
  });
});
