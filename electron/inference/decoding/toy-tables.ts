/** Hand-built n-gram tables shared by the decode-loop tests (used with ToyNgramModel). */
import type { NgramTable } from './toy-model.js';

export const [BOS, EOS, PAD, A, B, C, D, E] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
export const VOCAB = 8;

/**
 * Greedy is myopic here: A (0.6) beats B (0.4), but every continuation of A is weak, so
 * P(A C) = 0.24 < P(B C) = 0.36. The trigram contexts "A,C" / "B,C" end the sentence; the bigram
 * fallback for C (→ D) is never the right answer, which checks the trigram lookup.
 * Full distribution: [A C] .24, [A D] .21, [A E] .15, [B C] .36, [B] .04.
 */
export const MYOPIC: NgramTable = {
  [BOS]: { [A]: 0.6, [B]: 0.4 },
  [A]: { [C]: 0.4, [D]: 0.35, [E]: 0.25 },
  [B]: { [C]: 0.9, [EOS]: 0.1 },
  [`${A},${C}`]: { [EOS]: 1 },
  [`${B},${C}`]: { [EOS]: 1 },
  [C]: { [D]: 1 },
  [D]: { [EOS]: 1 },
  [E]: { [EOS]: 1 },
};
