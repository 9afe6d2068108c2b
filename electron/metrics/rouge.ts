/**
 * ROUGE-L as pycocoevalcap computes it (rouge.py): tokens are the caption split on single
 * spaces, LCS against each reference; precision and recall are each maximised over the
 * references independently, then F with β = 1.2. The corpus value is the mean over images.
 */
import { pySplitSpace } from './ngrams.js';

const BETA = 1.2;

function lcsLength(a: string[], b: string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let prev = new Int32Array(short.length + 1);
  let cur = new Int32Array(short.length + 1);
  for (let i = 1; i <= long.length; i++) {
    for (let j = 1; j <= short.length; j++) {
      cur[j] = long[i - 1] === short[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[short.length]!;
}

export function rougeL(candidate: string, refs: string[]): number {
  const c = pySplitSpace(candidate);
  let precMax = 0;
  let recMax = 0;
  for (const ref of refs) {
    const r = pySplitSpace(ref);
    const lcs = lcsLength(r, c);
    precMax = Math.max(precMax, lcs / c.length);
    recMax = Math.max(recMax, lcs / r.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}
