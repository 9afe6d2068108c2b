/**
 * CLIPScore and RefCLIPScore (Hessel, Holtzman, Forbes, Le Bras & Choi, "CLIPScore: A
 * Reference-free Evaluation Metric for Image Captioning", EMNLP 2021, arXiv:2104.08718, §3–3.1),
 * checked against the authors' reference implementation (github.com/jmhessel/clipscore,
 * clipscore.py: get_clip_score, get_refonlyclipscore and the F-score in main):
 *
 *   CLIP-S(c, v)       = w · max(cos(c, v), 0),  w = 2.5
 *   RefCLIP-S(c, R, v) = H-Mean(CLIP-S(c, v), max(max_{r∈R} cos(c, r), 0))
 *
 * c, r are CLIP text embeddings, v the CLIP image embedding (all L2-normalised, so cos is a dot
 * product); H-Mean(a, b) = 2ab / (a + b), taken as 0 when both are 0. The corpus-level score is
 * the mean of the per-image scores.
 *
 * As in the paper and its code, every text (candidate and reference alike) is embedded with the
 * prefix "A photo depicts " (the paper found it raised correlation with human judgements); pass
 * `prefix: ''` for a CLIP whose vocabulary does not know those words. Where the paper and its
 * code differ we follow the paper: the code does not clamp the text–text cosine at 0, the paper's
 * max(·, 0) does (it only matters for a candidate dissimilar to every reference).
 *
 * Several candidates per image (N sampled captions) are scored independently; the corpus figure
 * is the mean over images of each image's mean over its candidates, which for one caption per
 * image is exactly the paper's corpus-level mean.
 */
import { cosine } from '../../inference/embedders/vectors.js';
import type { ImageEmbedder, TextEmbedder } from '../../inference/embedders/types.js';
import {
  type BatchOptions,
  batchSizeOf,
  checkSameSpace,
  embedImages,
  embedTextsOnce,
  type EvalImage,
  inBatches,
  mean,
  type Source,
} from './batches.js';

export const CLIP_SCORE_W = 2.5;
export const CLIP_SCORE_PREFIX = 'A photo depicts ';

/** CLIP-S(c, v) = w · max(cos(c, v), 0). */
export function clipScore(image: ArrayLike<number>, caption: ArrayLike<number>, w = CLIP_SCORE_W): number {
  return w * Math.max(cosine(image, caption), 0);
}

/** RefCLIP-S from a CLIP-S value and max_{r∈R} cos(c, r): their harmonic mean, the latter clamped at 0. */
export function refClipScore(clipS: number, maxReferenceCosine: number): number {
  const ref = Math.max(maxReferenceCosine, 0);
  const sum = clipS + ref;
  return sum > 0 ? (2 * clipS * ref) / sum : 0;
}

export interface ImageWithCaptions {
  image: EvalImage;
  candidates: readonly string[];
  /** When given (and non-empty), RefCLIPScore is computed too. */
  references?: readonly string[];
}

export interface ClipScoreOptions extends BatchOptions {
  /** Default 2.5 (the paper's). */
  w?: number;
  /** Prepended to every candidate and reference; default "A photo depicts " (the paper's). */
  prefix?: string;
}

export interface ImageClipScores {
  /** CLIP-S per candidate, in the given order. */
  clipScore: number[];
  /** max over references of cos(candidate, reference), unclamped, per candidate (with references only). */
  referenceCosine?: number[];
  /** RefCLIP-S per candidate (with references only). */
  refClipScore?: number[];
}

export interface ClipScoreResult {
  items: ImageClipScores[];
  corpus: {
    /** Mean over images (with candidates) of their mean CLIP-S. */
    clipScore: number;
    /** Mean over images with candidates and references of their mean RefCLIP-S; NaN if there are none. */
    refClipScore: number;
    images: number;
    imagesWithReferences: number;
    candidates: number;
  };
}

/**
 * CLIPScore (and RefCLIPScore where references are given) of every image's candidates.
 * `batchSize` images are loaded and embedded at a time together with their captions (each
 * distinct text once). Progress counts images.
 */
export async function scoreClipScore(
  imageEmbedder: ImageEmbedder,
  textEmbedder: TextEmbedder,
  source: Source<ImageWithCaptions>,
  options: ClipScoreOptions = {},
): Promise<ClipScoreResult> {
  checkSameSpace(imageEmbedder, textEmbedder);
  const w = options.w ?? CLIP_SCORE_W;
  const prefix = options.prefix ?? CLIP_SCORE_PREFIX;
  const items: ImageClipScores[] = [];
  for await (const batch of inBatches(source, batchSizeOf(options), options.signal)) {
    // Images without candidates are not loaded at all.
    const scored = batch.filter((item) => item.candidates.length > 0);
    const imageVectors = await embedImages(imageEmbedder, scored.map((item) => item.image));
    const texts = await embedTextsOnce(
      textEmbedder,
      scored.flatMap((item) => [...item.candidates, ...(item.references ?? [])]),
      prefix,
    );
    let next = 0;
    for (const item of batch) {
      if (item.candidates.length === 0) {
        items.push({ clipScore: [] });
        continue;
      }
      const image = imageVectors[next++]!;
      items.push(scoreImage(image, item, texts, w));
    }
    options.onProgress?.(items.length);
  }
  return { items, corpus: corpusOf(items) };
}

function scoreImage(image: Float32Array, item: ImageWithCaptions, texts: Map<string, Float32Array>, w: number): ImageClipScores {
  const candidates = item.candidates.map((c) => texts.get(c)!);
  const clip = candidates.map((c) => clipScore(image, c, w));
  const references = item.references ?? [];
  if (references.length === 0) return { clipScore: clip };
  const refs = references.map((r) => texts.get(r)!);
  const referenceCosine = candidates.map((c) => Math.max(...refs.map((r) => cosine(c, r))));
  return { clipScore: clip, referenceCosine, refClipScore: clip.map((s, i) => refClipScore(s, referenceCosine[i]!)) };
}

function corpusOf(items: readonly ImageClipScores[]): ClipScoreResult['corpus'] {
  const scored = items.filter((item) => item.clipScore.length > 0);
  const withRefs = scored.filter((item) => item.refClipScore !== undefined);
  return {
    clipScore: mean(scored.map((item) => mean(item.clipScore))),
    refClipScore: mean(withRefs.map((item) => mean(item.refClipScore!))),
    images: scored.length,
    imagesWithReferences: withRefs.length,
    candidates: scored.reduce((n, item) => n + item.clipScore.length, 0),
  };
}
