/**
 * Putting Roundtrip's results and transformers.js's side by side: both say the same thing in
 * different shapes (Roundtrip returns the generated tokens without the start and end tokens;
 * transformers.js returns the whole decoder sequence), and embeddings are compared on the unit
 * sphere, since Roundtrip normalises its vectors and transformers.js returns the raw projections.
 */
import type { Caption } from '../../electron/inference/captioner/captioner.js';

/**
 * A Roundtrip caption as the decoder sequence transformers.js returns: the start token, the
 * tokens, and the end token if it came within the budget. Roundtrip counts the end token in
 * `maxNewTokens` (decoding/types.ts), as transformers.js's `max_new_tokens` does, so a caption
 * shorter than the budget ended on the end token.
 */
export function asDecoderSequence(caption: Caption, start: number, eos: number, maxNewTokens: number): number[] {
  return [start, ...caption.tokens, ...(caption.tokens.length < maxNewTokens ? [eos] : [])];
}

export function unit(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  return Float32Array.from(v, (x) => x / norm);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vectors differ in length: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
