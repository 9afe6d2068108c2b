/**
 * What the pipelines see of an embedder: vectors, L2-normalised, one per input, so a cosine is
 * a dot product. The model family behind it (CLIP, DINOv2, a sentence-transformers encoder) is
 * chosen by `loadImageEmbedder` / `loadTextEmbedder` from the folder's config.json.
 */
import type { LoadOptions } from '../graph-variants.js';
import type { SessionInfo } from '../onnx/session.js';

/** Decoded 8-bit RGB, row-major, no padding: what the generator's VAE decode hands back. */
export interface RawRgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** A file path, an encoded image (PNG, JPEG, …), or raw RGB. */
export type ImageInput = string | Buffer | RawRgbImage;

export interface ImageEmbedder {
  embedImages(images: readonly ImageInput[]): Promise<Float32Array[]>;
  /** Length of every returned vector. */
  readonly dimension: number;
  /** The graphs in use and the provider each runs on (for provenance and the UI). */
  readonly sessions: SessionInfo[];
  dispose(): Promise<void>;
}

export interface TextEmbedder {
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  readonly dimension: number;
  readonly sessions: SessionInfo[];
  dispose(): Promise<void>;
}

/** Session options and the precision variant to open (graph-variants.ts). */
export interface EmbedderOptions extends LoadOptions {
  /**
   * Inputs per onnxruntime run. Bounds peak memory on large jobs (a 224² CLIP batch of 32 is
   * ~19 MB of pixels plus activations) while still amortising the per-run overhead.
   */
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 32;
