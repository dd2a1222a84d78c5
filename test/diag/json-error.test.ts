import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findJsonError, lineColumn } from '../../src/diag/json-error.js';

describe('findJsonError', () => {
  it('accepts exactly what JSON.parse accepts on valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findJsonError(JSON.stringify(v, null, 1))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('finds an error wherever JSON.parse rejects the text', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('}', ',', ':', '"', "'", 'x', ']'), (json, at, junk) => {
        const pos = at % (json.length + 1);
        const text = json.slice(0, pos) + junk + json.slice(pos);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonError(text) === undefined).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });

  it('locates and explains common mistakes', () => {
    expect(findJsonError('{"a": }')).toEqual({ offset: 6, message: "expected a value but found '}'" });
    expect(findJsonError("{'a': 1}")).toEqual({ offset: 1, message: `expected a "quoted" key but found '''` });
    expect(findJsonError('{"a": 1,\n "b" 2}')).toEqual({ offset: 14, message: "expected ':' after the key but found '2'" });
    expect(lineColumn('{"a": 1,\n "b" 2}', 14)).toEqual({ line: 2, column: 6 });
    expect(findJsonError('[1, 2')?.message).toBe("expected ',' or ']' but found end of input");
  });
});
