/**
 * Text–text cosine between each candidate caption and its image's reference captions, through
 * any text embedder: CLIP's text tower or a sentence embedder (all-MiniLM-L6-v2, …). Both the
 * mean and the max over the references are kept: the max rewards matching any one annotator
 * (as RefCLIPScore's text side does), the mean matching them all.
 */
import { cosine } from '../../inference/embedders/vectors.js';
import type { TextEmbedder } from '../../inference/embedders/types.js';
import { type BatchOptions, batchSizeOf, embedTextsOnce, inBatches, mean, type Source } from './batches.js';

export interface ReferenceSimilarity {
  /** Mean over references of cos(candidate, reference). */
  mean: number;
  /** Max over references of cos(candidate, reference). */
  max: number;
}

/** Cosine of `candidate` to each of `references`, summarised; needs at least one reference. */
export function referenceSimilarity(candidate: ArrayLike<number>, references: readonly ArrayLike<number>[]): ReferenceSimilarity {
  if (references.length === 0) throw new Error('reference similarity needs at least one reference');
  let sum = 0;
  let max = -Infinity;
  for (const r of references) {
    const c = cosine(candidate, r);
    sum += c;
    max = Math.max(max, c);
  }
  return { mean: sum / references.length, max };
}

export interface CaptionsWithReferences {
  candidates: readonly string[];
  references: readonly string[];
}

export interface TextSimilarityOptions extends BatchOptions {
  /** Prepended to candidates and references alike before embedding (default none). */
  prefix?: string;
}

export interface TextSimilarityResult {
  /** Per image, per candidate (in the given order). */
  items: ReferenceSimilarity[][];
  /** Mean over images of each image's mean over its candidates (images without candidates skipped). */
  corpus: ReferenceSimilarity & { images: number; candidates: number };
}

/**
 * Scores every image's candidates against its references, `batchSize` images per embedder call
 * (each distinct text of a batch embedded once). Progress counts images.
 */
export async function scoreTextSimilarity(
  embedder: TextEmbedder,
  source: Source<CaptionsWithReferences>,
  options: TextSimilarityOptions = {},
): Promise<TextSimilarityResult> {
  const items: ReferenceSimilarity[][] = [];
  for await (const batch of inBatches(source, batchSizeOf(options), options.signal)) {
    batch.forEach((item, i) => {
      if (item.candidates.length > 0 && item.references.length === 0) throw new Error(`image ${items.length + i}: candidates but no references to compare them with`);
    });
    const vectors = await embedTextsOnce(
      embedder,
      batch.flatMap((item) => (item.candidates.length > 0 ? [...item.candidates, ...item.references] : [])),
      options.prefix,
    );
    for (const item of batch) {
      const refs = item.references.map((r) => vectors.get(r)!);
      items.push(item.candidates.map((c) => referenceSimilarity(vectors.get(c)!, refs)));
    }
    options.onProgress?.(items.length);
  }
  const scored = items.filter((scores) => scores.length > 0);
  return {
    items,
    corpus: {
      mean: mean(scored.map((scores) => mean(scores.map((s) => s.mean)))),
      max: mean(scored.map((scores) => mean(scores.map((s) => s.max)))),
      images: scored.length,
      candidates: scored.reduce((n, scores) => n + scores.length, 0),
    },
  };
}
