/**
 * BLEU-1..4 exactly as pycocoevalcap reports it (bleu_scorer.py, option "closest"):
 *  - clipped n-gram matches against the per-n-gram maximum count over the references;
 *  - effective reference length per image: the reference length closest to the hypothesis
 *    length, the shorter one on a tie;
 *  - precisions smoothed as (correct + 1e-15) / (guess + 1e-9), multiplied up order by order and
 *    raised to 1/k (product of powers, not exp-of-logs: same order of operations as the toolkit);
 *  - brevity penalty exp(1 - 1/ratio) when ratio = (testlen + 1e-15) / (reflen + 1e-9) < 1,
 *    per image with that image's lengths, for the corpus with the summed lengths.
 */
import type { NgramCounts } from './ngrams.js';

const TINY = 1e-15;
const SMALL = 1e-9;

export interface BleuStats {
  testlen: number;
  reflen: number;
  guess: number[];
  correct: number[];
}

export function bleuStats(hyp: NgramCounts, refs: NgramCounts[], n = 4): BleuStats {
  const maxRef = new Map<string, number>();
  for (const ref of refs) {
    for (const [g, c] of ref.counts) if ((maxRef.get(g) ?? 0) < c) maxRef.set(g, c);
  }
  const testlen = hyp.length;
  let reflen = refs[0]!.length;
  for (const ref of refs) {
    const d = Math.abs(ref.length - testlen);
    const best = Math.abs(reflen - testlen);
    if (d < best || (d === best && ref.length < reflen)) reflen = ref.length;
  }
  const guess = Array.from({ length: n }, (_, k) => Math.max(0, testlen - k));
  const correct = new Array<number>(n).fill(0);
  for (const [g, c] of hyp.counts) {
    const k = hyp.order.get(g)!;
    correct[k - 1]! += Math.min(maxRef.get(g) ?? 0, c);
  }
  return { testlen, reflen, guess, correct };
}

/** BLEU-1..n from (summed or single-image) statistics. */
export function bleuFromStats(s: BleuStats, n = 4): number[] {
  const out: number[] = [];
  let product = 1;
  for (let k = 0; k < n; k++) {
    product *= (s.correct[k]! + TINY) / (s.guess[k]! + SMALL);
    out.push(product ** (1 / (k + 1)));
  }
  const ratio = (s.testlen + TINY) / (s.reflen + SMALL);
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < n; k++) out[k]! *= bp;
  }
  return out;
}

export function sumStats(all: BleuStats[], n = 4): BleuStats {
  const total: BleuStats = { testlen: 0, reflen: 0, guess: new Array<number>(n).fill(0), correct: new Array<number>(n).fill(0) };
  for (const s of all) {
    total.testlen += s.testlen;
    total.reflen += s.reflen;
    for (let k = 0; k < n; k++) {
      total.guess[k]! += s.guess[k]!;
      total.correct[k]! += s.correct[k]!;
    }
  }
  return total;
}
