/**
 * Random choices for the generators, drawn through fast-check's `fc.gen()` so that a failing run
 * is replayable from its seed and can shrink (drawn integers shrink towards their minimum, so picks
 * shrink towards the first, simplest option).
 */
import fc, { type GeneratorValue } from 'fast-check';

/**
 * A uniform integer arbitrary. One module-level builder on purpose: `fc.gen()` caches arbitraries
 * per builder function and arguments for the whole run, so a fresh closure per draw would leak.
 */
const uniformInt = (min: number, max: number): fc.Arbitrary<number> => fc.noBias(fc.integer({ min, max }));

export class Rng {
  constructor(private readonly g: GeneratorValue) {}

  /** An integer in [min, max], uniformly (fast-check would otherwise favour small values). */
  int(min: number, max: number): number {
    return max <= min ? min : this.g(uniformInt, min, max);
  }

  /** True with probability p (shrinks to false). */
  chance(p: number): boolean {
    return this.int(0, 999) >= 1000 * (1 - p);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('internal: pick from nothing');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Up to `max` distinct items, in their original order. */
  subset<T>(items: readonly T[], max = items.length): T[] {
    const out = items.filter(() => this.chance(0.5));
    return out.slice(0, max);
  }

  /** A double anywhere in a wide range (no NaN or infinities). */
  double(): number {
    return this.g(fc.double, { noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
  }
}

/** Characters that stress quoting in YAML, the expression lexer and generated JavaScript. */
export const HOSTILE_CHARS = [
  'a', 'b', 'x', 'Z', '0', '1', ' ', '-', '_', ':', '.', '"', "'", '\\', '`', '$', '{', '}', '/', '*', '<', '>', '!', '#', '&',
  'é', 'ß', 'İ', '😀', '\u2028', '\u2029', '\u0000', '\n', '\t', '\u00a0', '\ufeff',
] as const;

/** A short random string from HOSTILE_CHARS. */
export function randomString(rng: Rng, maxLength = 6): string {
  let s = '';
  const n = rng.int(0, maxLength);
  for (let i = 0; i < n; i++) s += rng.pick(HOSTILE_CHARS);
  return s;
}

/** Numbers that are interesting on their own, for literals and request values. */
export const NUMBERS = [0, 1, -1, 2, 3, 0.5, 2.5, 0.1, 0.3, -0.75, 10, 100, 1e15, 123456.789, 2.675, 1e-7] as const;
