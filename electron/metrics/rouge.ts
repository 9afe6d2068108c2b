/**
 * ROUGE-L as pycocoevalcap computes it (rouge.py): tokens are the caption split on single
 * spaces, LCS against each reference; precision and recall are each maximised over the
 * references independently, then F with β = 1.2. The corpus value is the mean over images.
 */
import { pySplitSpace } from './ngrams.js';

const BETA = 1.2;

/**
 * Length of the longest common subsequence of two token lists, bit-parallel (Allison–Dix /
 * Hyyrö): one machine word holds 32 cells of the DP row, so two 5,000-token captions (the longest
 * MAX_CAPTION_CHARS allows) take ~800k word steps instead of 25M cells. Same value as the DP.
 */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const m = short.length;
  if (m === 0) return 0;
  const words = Math.ceil(m / 32);
  // For each token of the short list, the bit set of the positions where it occurs.
  const masks = new Map<string, Uint32Array>();
  short.forEach((token, j) => {
    let mask = masks.get(token);
    if (!mask) masks.set(token, (mask = new Uint32Array(words)));
    mask[j >>> 5]! |= 1 << (j & 31);
  });
  // Bit j of v is 0 where the LCS row steps up; V = (V + (V & M)) | (V & ~M) per token of `long`.
  const v = new Uint32Array(words).fill(0xffffffff);
  for (const token of long) {
    const mask = masks.get(token);
    if (!mask) continue; // no match: V + 0 | V & ~0 is V
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const vw = v[w]!;
      const mw = mask[w]!;
      const sum = vw + ((vw & mw) >>> 0) + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      v[w] = (sum >>> 0) | (vw & ~mw);
    }
  }
  let zeros = 0;
  for (let j = 0; j < m; j++) if (((v[j >>> 5]! >>> (j & 31)) & 1) === 0) zeros++;
  return zeros;
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
