/**
 * Streaming inputs through an embedder a batch at a time. Sources may be arrays, generators or
 * async generators, and an image may be lazy (a function that loads it), so a 5,000-image ×
 * 10-candidate evaluation holds at most one batch of decoded images: everything before it has
 * been reduced to embeddings (or to running sums), everything after it not loaded yet.
 */
import type { ImageEmbedder, ImageInput, TextEmbedder } from '../../inference/embedders/types.js';

export const DEFAULT_EVAL_BATCH_SIZE = 32;

/** Anything iterable, sync or async: an array, a generator over a run's rows, a file walker. */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

/**
 * An image to evaluate: a file path, encoded bytes, decoded RGB (`RawRgbImage`), or a function
 * producing one of those when its batch comes up (so decoding is deferred until then).
 */
export type EvalImage = ImageInput | (() => ImageInput | Promise<ImageInput>);

export interface BatchOptions {
  /** Items per embedder call (and at most this many images decoded at once). Default 32. */
  batchSize?: number;
  /** Checked before every batch; an aborted evaluation rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every batch with how many items (see each function) are done so far. */
  onProgress?: (done: number) => void;
}

export function batchSizeOf(options: BatchOptions): number {
  const size = options.batchSize ?? DEFAULT_EVAL_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  return size;
}

/** Consecutive slices of at most `size` items of `source`, pulled lazily. */
export async function* inBatches<T>(source: Source<T>, size: number, signal?: AbortSignal): AsyncGenerator<T[]> {
  let batch: T[] = [];
  signal?.throwIfAborted();
  for await (const item of source) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
      signal?.throwIfAborted();
    }
  }
  if (batch.length > 0) yield batch;
}

/** The images of one batch, loaded (lazy ones called) in parallel. */
export function resolveImages(images: readonly EvalImage[]): Promise<ImageInput[]> {
  return Promise.all(images.map(async (image) => (typeof image === 'function' ? await image() : image)));
}

/** Embeddings of one batch of images (lazy ones loaded first). */
export async function embedImages(embedder: ImageEmbedder, images: readonly EvalImage[]): Promise<Float32Array[]> {
  if (images.length === 0) return [];
  const vectors = await embedder.embedImages(await resolveImages(images));
  if (vectors.length !== images.length) throw new Error(`image embedder returned ${vectors.length} vectors for ${images.length} images`);
  return vectors;
}

/**
 * Every image of `source`, embedded in order, a batch at a time: yields one vector per image.
 * Progress counts images.
 */
export async function* embedImageStream(embedder: ImageEmbedder, source: Source<EvalImage>, options: BatchOptions = {}): AsyncGenerator<Float32Array> {
  let done = 0;
  for await (const batch of inBatches(source, batchSizeOf(options), options.signal)) {
    const vectors = await embedImages(embedder, batch);
    done += batch.length;
    options.onProgress?.(done);
    yield* vectors;
  }
}

/**
 * Embeddings of `texts` (prefixed with `prefix`), each distinct text embedded once: references
 * shared by ten candidates, or a candidate repeated across samples, cost one row.
 */
export async function embedTextsOnce(embedder: TextEmbedder, texts: Iterable<string>, prefix = ''): Promise<Map<string, Float32Array>> {
  const unique = [...new Set(texts)];
  if (unique.length === 0) return new Map();
  const vectors = await embedder.embedTexts(unique.map((t) => prefix + t));
  if (vectors.length !== unique.length) throw new Error(`text embedder returned ${vectors.length} vectors for ${unique.length} texts`);
  return new Map(unique.map((t, i) => [t, vectors[i]!]));
}

export function checkSameSpace(image: ImageEmbedder, text: TextEmbedder): void {
  if (image.dimension !== text.dimension) {
    throw new Error(`image embedder (${image.dimension}-d) and text embedder (${text.dimension}-d) do not share an embedding space; use the two towers of one CLIP model`);
  }
}

/** Mean of a list of numbers; NaN for an empty list (callers report "no data" for it). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
