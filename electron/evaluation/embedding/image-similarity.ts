/**
 * Image–image cosine through an image embedder (CLIP's vision tower, DINOv2's CLS token): each
 * candidate image (a reconstruction, a generated image) against its reference image (the
 * dataset's real image). The paper's Table 2 reports this as CLIP similarity; 100·(1 − cos) is
 * the matching distance.
 */
import type { ImageEmbedder } from '../../inference/embedders/types.js';
import { cosine } from '../../inference/embedders/vectors.js';
import { type BatchOptions, embedImageStream, type EvalImage, mean, type Source } from './batches.js';

export interface ImageWithCandidates {
  reference: EvalImage;
  candidates: readonly EvalImage[];
}

export interface ImageSimilarityResult {
  /** Per item, cos(reference, candidate) per candidate in the given order. */
  items: number[][];
  corpus: {
    /** Mean over items (with candidates) of their mean cosine. */
    mean: number;
    items: number;
    candidates: number;
  };
}

/**
 * Streams every reference and candidate image through `embedder`, `batchSize` images per call,
 * whatever the number of candidates per item; at most one batch is decoded at a time.
 * Progress counts images embedded (references plus candidates).
 */
export async function scoreImageSimilarity(
  embedder: ImageEmbedder,
  source: Source<ImageWithCandidates>,
  options: BatchOptions = {},
): Promise<ImageSimilarityResult> {
  const items: number[][] = [];
  /** Items whose images are in the stream, in stream order: where to put the result, how many vectors. */
  const pending: { index: number; images: number }[] = [];
  async function* images(): AsyncGenerator<EvalImage> {
    for await (const item of source) {
      const index = items.length;
      items.push([]);
      if (item.candidates.length === 0) continue;
      pending.push({ index, images: 1 + item.candidates.length });
      yield item.reference;
      yield* item.candidates;
    }
  }
  let vectors: Float32Array[] = [];
  let head = 0;
  for await (const vector of embedImageStream(embedder, images(), options)) {
    vectors.push(vector);
    const current = pending[head]!;
    if (vectors.length === current.images) {
      const [reference, ...candidates] = vectors;
      items[current.index] = candidates.map((c) => cosine(reference!, c));
      vectors = [];
      head++;
    }
  }
  const scored = items.filter((s) => s.length > 0);
  return {
    items,
    corpus: { mean: mean(scored.map(mean)), items: scored.length, candidates: scored.reduce((n, s) => n + s.length, 0) },
  };
}
