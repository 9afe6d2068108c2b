/**
 * The two ends of one captioning batch that every captioner shares, whatever its graphs: the
 * decode loop's options (the caller's decoding plus the captioner's own token ids, one row per
 * image) and the loop's flat sequences grouped back into captions per image.
 */
import type { GenerateOptions, GenerateResult, RandomSource } from '../decoding/index.js';
import type { SpecialTokens } from './special-tokens.js';
import type { Caption, CaptionDecoding } from './types.js';

/** `defaults` (what the publisher configures) sit under the caller's decoding; token ids and batch size over both. */
export function captionGenerateOptions(
  decoding: CaptionDecoding,
  special: SpecialTokens,
  batchSize: number,
  rng: RandomSource | undefined,
  defaults: Partial<GenerateOptions> = {},
): GenerateOptions {
  return {
    ...defaults,
    ...decoding,
    bosTokenId: special.bos,
    eosTokenId: special.eos,
    padTokenId: special.pad,
    batchSize,
    ...(rng ? { rng } : {}),
  };
}

/** The loop returns numReturnSequences rows per image, image after image. */
export function captionsPerImage(result: GenerateResult, imageCount: number, decode: (tokens: number[]) => string): Caption[][] {
  const perImage = result.sequences.length / imageCount;
  return Array.from({ length: imageCount }, (_, i) =>
    result.sequences.slice(i * perImage, (i + 1) * perImage).map((tokens, j) => ({ tokens, text: decode(tokens), score: result.scores[i * perImage + j]! })),
  );
}
