/**
 * Fréchet distance between two image sets over an image embedder's features (CLIP image
 * embeddings or DINOv2 CLS features — "FD_CLIP" / "FD_DINOv2" rather than Inception's FID).
 * Each set is streamed through the embedder a batch at a time into running mean/covariance
 * sums, so neither set is ever held in memory, decoded or embedded. The embedders return
 * L2-normalised vectors, and those are the features used.
 */
import type { ImageEmbedder } from '../../inference/embedders/types.js';
import { type BatchOptions, embedImageStream, type EvalImage, type Source } from './batches.js';
import { type FrechetDistance, frechetDistance } from './frechet.js';
import { FeatureMoments, type GaussianStats } from './moments.js';

/** Mean and covariance of `embedder`'s features over `images` (at least two). Progress counts images. */
export async function imageSetStats(embedder: ImageEmbedder, images: Source<EvalImage>, options: BatchOptions = {}): Promise<GaussianStats> {
  const moments = new FeatureMoments(embedder.dimension);
  let batch: Float32Array[] = [];
  for await (const vector of embedImageStream(embedder, images, options)) {
    batch.push(vector);
    if (batch.length >= 256) {
      moments.add(batch);
      batch = [];
    }
  }
  return moments.add(batch).stats();
}

export interface ImageSetFrechet extends FrechetDistance {
  /** Images in each set. */
  counts: [number, number];
}

/**
 * FD between two image sets. The stats of a fixed set (the dataset's real images) can be computed
 * once with `imageSetStats` and passed instead of its images. Progress counts images of both sets.
 */
export async function imageSetFrechetDistance(
  embedder: ImageEmbedder,
  a: Source<EvalImage> | GaussianStats,
  b: Source<EvalImage> | GaussianStats,
  options: BatchOptions = {},
): Promise<ImageSetFrechet> {
  const statsA = isStats(a) ? a : await imageSetStats(embedder, a, options);
  const offset = isStats(a) ? 0 : statsA.count;
  const statsB = isStats(b) ? b : await imageSetStats(embedder, b, { ...options, onProgress: (done) => options.onProgress?.(offset + done) });
  return { ...frechetDistance(statsA, statsB), counts: [statsA.count, statsB.count] };
}

function isStats(x: Source<EvalImage> | GaussianStats): x is GaussianStats {
  return typeof x === 'object' && x !== null && 'covariance' in x && 'mean' in x && !(Symbol.iterator in x) && !(Symbol.asyncIterator in x);
}
