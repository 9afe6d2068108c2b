/** Token splitting and n-gram counting shared by BLEU and CIDEr. */

/** Python's `str.split()` (no argument): runs of Unicode whitespace as Python defines it. */
const PY_WHITESPACE = /[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((w) => w !== '');
}

/** Python's `str.split(" ")`, which ROUGE-L uses: "" gives [""] (one empty token). */
export function pySplitSpace(s: string): string[] {
  return s.split(' ');
}

/** Counts of every 1..n-gram, keyed by the words joined with U+0001 (never in a token). */
export interface NgramCounts {
  length: number;
  counts: Map<string, number>;
  /** Which order (1..n) each key is, to avoid re-splitting keys. */
  order: Map<string, number>;
}

export function countNgrams(words: string[], n = 4): NgramCounts {
  const counts = new Map<string, number>();
  const order = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i + k <= words.length; i++) {
      const key = k === 1 ? words[i]! : words.slice(i, i + k).join('\u0001');
      const c = counts.get(key);
      if (c === undefined) {
        counts.set(key, 1);
        order.set(key, k);
      } else counts.set(key, c + 1);
    }
  }
  return { length: words.length, counts, order };
}
