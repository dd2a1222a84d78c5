/** The one did-you-mean helper every diagnostic uses. */

/** Rows of the distance table, reused across calls (a lookup may compute thousands of distances). */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Damerau-style edit distance (optimal string alignment). With `max`, any distance above it is
 * returned as `max + 1`, as soon as a row of the table shows it: a row's minimum never decreases.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return Math.min(n, max + 1);
  if (n === 0) return Math.min(m, max + 1);
  if (rows[0].length <= n) rows = [new Int32Array(2 * n + 2), new Int32Array(2 * n + 2), new Int32Array(2 * n + 2)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** The closest candidate to `word`, if one is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return closestWithin(word, candidates, Infinity).best;
}

/**
 * `closest`, comparing at most `budget` candidates by edit distance; `compared` says how many it
 * did, and `best` is undefined when the budget ran out before every candidate was seen.
 */
function closestWithin(word: string, candidates: Iterable<string>, budget: number): { best: string | undefined; compared: number } {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let compared = 0;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return { best: c, compared };
    const limit = Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3));
    // The distance is at least the difference in length: most candidates end here, cheaply.
    if (Math.abs(w.length - lc.length) > Math.min(limit, bestScore - 1)) continue;
    if (++compared > budget) return { best: undefined, compared: budget };
    const d = editDistance(w, lc, Math.min(limit, bestScore - 1));
    if (d <= limit && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return { best, compared };
}

/** A hint sentence "did you mean 'x'?" or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>, quote = "'"): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean ${quote}${c}${quote}?`;
}

/**
 * Did-you-mean for many lookups over large candidate lists in one run (a checker that meets many
 * unknown names in a policy declaring tens of thousands of fields). Every lookup is linear in the
 * candidates, so many lookups over many candidates would be quadratic in the size of the file:
 * answers are memoised per word and list, and the edit distances computed are bounded in all;
 * once the budget is spent, lookups find nothing and callers give their hint without a suggestion.
 */
export class Suggester {
  private readonly memo = new WeakMap<readonly string[], Map<string, string | undefined>>();

  constructor(private budget: number) {}

  /** The closest candidate to `word` (as `closest`), or undefined when none, or the budget is spent. */
  closest(word: string, candidates: readonly string[]): string | undefined {
    let known = this.memo.get(candidates);
    if (!known) this.memo.set(candidates, (known = new Map()));
    if (known.has(word)) return known.get(word);
    const { best, compared } = closestWithin(word, candidates, this.budget);
    this.budget -= compared;
    known.set(word, best);
    return best;
  }

  /** A hint sentence "did you mean 'x'?" or undefined, as `didYouMean`. */
  didYouMean(word: string, candidates: readonly string[], quote = "'"): string | undefined {
    const c = this.closest(word, candidates);
    return c === undefined ? undefined : `did you mean ${quote}${c}${quote}?`;
  }
}
