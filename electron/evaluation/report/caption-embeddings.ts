/**
 * The embedding metrics of Table 1, per image and caption: CLIPScore and RefCLIPScore (image
 * and text towers of one CLIP, Hessel et al. 2021) and the text–text cosine to the references
 * (mean over references; any text embedder). Each distinct caption of an image is embedded once,
 * whichever rows of the table (sampled, selected, greedy, beam) it appears in.
 */
import type { ReportModel } from '../../../shared/contract/report-schemas.js';
import type { ImageEmbedder, TextEmbedder } from '../../inference/embedders/types.js';
import { scoreClipScore, scoreTextSimilarity } from '../embedding/index.js';
import type { ReportProgress } from './progress.js';

export const EMBEDDING_METRICS = ['CLIPScore', 'RefCLIPScore', 'TextCosine'] as const;

/** The embedders a report may use (the CLI opens them; the API uses none: inference stays off its thread). */
export interface ReportEmbedders {
  image?: ImageEmbedder;
  text?: TextEmbedder;
  /** Provenance of the models behind them. */
  models: ReportModel[];
  /** Prepended to captions for CLIPScore: the paper's "A photo depicts ", or '' for a CLIP whose vocabulary lacks those words. */
  clipPrefix: string;
}

export interface ImageCaptions {
  file: string;
  references: readonly string[];
  /** Every distinct caption to score for this image. */
  texts: readonly string[];
}

export interface CaptionEmbeddingScores {
  metrics: string[];
  /** The metrics of `text` for image `index` (it must be among that image's `texts`). */
  value(index: number, text: string): Record<string, number>;
}

/** Work units `scoreCaptionEmbeddings` reports for `images` images. */
export function captionEmbeddingUnits(embedders: ReportEmbedders | undefined, images: number): number {
  if (!embedders?.text) return 0;
  return images * (canClipScore(embedders) ? 2 : 1);
}

export function canClipScore(embedders: ReportEmbedders): boolean {
  return embedders.image !== undefined && embedders.text !== undefined && embedders.image.dimension === embedders.text.dimension;
}

export async function scoreCaptionEmbeddings(
  embedders: ReportEmbedders,
  images: readonly ImageCaptions[],
  progress: ReportProgress,
): Promise<CaptionEmbeddingScores | null> {
  const text = embedders.text;
  if (!text || images.length === 0) return null;
  const base = progress.completed;
  const signal = progress.signal;
  const perImage = images.map(() => new Map<string, Record<string, number>>());
  const metrics: string[] = [];
  if (canClipScore(embedders)) {
    progress.begin('CLIPScore');
    const clip = await scoreClipScore(
      embedders.image!,
      text,
      images.map((i) => ({ image: i.file, candidates: i.texts, references: i.references })),
      { prefix: embedders.clipPrefix, ...(signal ? { signal } : {}), onProgress: (done) => progress.skipTo(base + done) },
    );
    clip.items.forEach((item, i) =>
      images[i]!.texts.forEach((t, j) => perImage[i]!.set(t, { CLIPScore: item.clipScore[j]!, RefCLIPScore: item.refClipScore?.[j] ?? Number.NaN })),
    );
    metrics.push('CLIPScore', 'RefCLIPScore');
  }
  progress.begin('text cosine to references');
  const offset = progress.completed;
  const similarity = await scoreTextSimilarity(
    text,
    images.map((i) => ({ candidates: i.texts, references: i.references })),
    { ...(signal ? { signal } : {}), onProgress: (done) => progress.skipTo(offset + done) },
  );
  similarity.items.forEach((item, i) =>
    images[i]!.texts.forEach((t, j) => perImage[i]!.set(t, { ...perImage[i]!.get(t), TextCosine: item[j]!.mean })),
  );
  metrics.push('TextCosine');
  return {
    metrics,
    value: (index, t) => {
      const v = perImage[index]!.get(t);
      if (!v) throw new Error(`caption "${t}" of image ${index} was not embedded`);
      return v;
    },
  };
}
