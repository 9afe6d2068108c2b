/**
 * Text → image → text for the source texts of one image (the paper's image selection): for each
 * text, generate N images with different seeds, caption each back with beam search, and score
 * the re-caption against the text it was drawn from — cosine of the text embedder's vectors
 * (the ranking score) and CIDEr-D — so the image whose re-caption is closest is the best image
 * for that text. Every generated image is also compared with the dataset's real image by the
 * image embedder: that is what the paper's Table 2 evaluates, never what selects.
 */
import type { CaptionDecodingSettings, CaptionModel, GenerationSettings, ImageEmbedderModel, ImageGeneratorModel, RgbImage, TextEmbedderModel } from './engine-models.js';
import { ranksDescending } from './ranking.js';
import { deriveSeed } from './seeds.js';

/** Seed stream tags: every random draw of a run is keyed by what it is for, never by order. */
export const VERIFY_SEED_STAGE = { generate: 2, recaption: 3 } as const;

export interface VerifyImagesSettings {
  seed: number;
  /** N: images generated per source text. */
  imagesPerText: number;
  generation: GenerationSettings;
  /** Beam search: the paper captions generated images with beam search. */
  recaption: CaptionDecodingSettings;
}

export interface VerifyImagesModels {
  captioner: CaptionModel;
  generator: ImageGeneratorModel;
  embedder: ImageEmbedderModel;
  textEmbedder: TextEmbedderModel;
  cosine: (a: Float32Array, b: Float32Array) => number;
}

export interface SourceText {
  referenceId: number;
  text: string;
}

export interface GeneratedImageResult {
  referenceId: number;
  text: string;
  idx: number;
  seed: number;
  /** Where `saveImage` put it (what the captioner read). */
  path: string;
  recaption: string;
  textSimilarity: number;
  cider: number;
  realSimilarity: number;
  /** 1 = the best image for its text (highest text similarity; ties keep seed order). */
  rank: number;
}

export interface VerifyImagesResult {
  generated: GeneratedImageResult[];
  timings: Record<string, number>;
}

export interface VerifyImagesIo {
  /**
   * Stores a generated image and returns a path the captioner can read. The captioner reads
   * what was stored (PNG is lossless), so the kept file is exactly what was captioned, and the
   * path crosses a process boundary where pixels in a Buffer would not.
   */
  saveImage(image: RgbImage, referenceId: number, idx: number): Promise<string>;
  /** CIDEr-D of a re-caption against its source text, with the run's document frequencies. */
  cider(referenceId: number, recaption: string): number;
}

export async function verifyImagesForImage(
  imageId: number,
  source: string,
  texts: readonly SourceText[],
  models: VerifyImagesModels,
  settings: VerifyImagesSettings,
  io: VerifyImagesIo,
  clock: () => number = () => performance.now(),
): Promise<VerifyImagesResult> {
  if (texts.length === 0) return { generated: [], timings: {} };
  const n = settings.imagesPerText;
  const jobs = texts.flatMap((t) => Array.from({ length: n }, (_, idx) => ({ ...t, idx, seed: deriveSeed(settings.seed, imageId, VERIFY_SEED_STAGE.generate, t.referenceId, idx) })));

  const t0 = clock();
  const images = await models.generator.generate(
    jobs.map((j) => j.text),
    { ...settings.generation, seeds: jobs.map((j) => j.seed) },
  );
  const paths = await Promise.all(images.map((image, i) => io.saveImage(image, jobs[i]!.referenceId, jobs[i]!.idx)));
  const t1 = clock();

  const captions = await models.captioner.caption(paths, { ...settings.recaption, numReturnSequences: 1 }, deriveSeed(settings.seed, imageId, VERIFY_SEED_STAGE.recaption));
  const recaptions = captions.map((c) => c[0]?.text ?? '');
  const t2 = clock();

  const textVectors = await models.textEmbedder.embedTexts([...texts.map((t) => t.text), ...recaptions]);
  const imageVectors = await models.embedder.embedImages([source, ...images]);
  const sourceVector = new Map(texts.map((t, i) => [t.referenceId, textVectors[i]!]));
  const recaptionVectors = textVectors.slice(texts.length);
  const textSimilarity = jobs.map((j, i) => models.cosine(sourceVector.get(j.referenceId)!, recaptionVectors[i]!));
  const realSimilarity = imageVectors.slice(1).map((v) => models.cosine(imageVectors[0]!, v));
  const cider = jobs.map((j, i) => io.cider(j.referenceId, recaptions[i]!));
  const t3 = clock();

  const generated: GeneratedImageResult[] = [];
  for (let start = 0; start < jobs.length; start += n) {
    const ranks = ranksDescending(textSimilarity.slice(start, start + n));
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const { referenceId, text, idx, seed } = jobs[i]!;
      generated.push({ referenceId, text, idx, seed, path: paths[i]!, recaption: recaptions[i]!, textSimilarity: textSimilarity[i]!, cider: cider[i]!, realSimilarity: realSimilarity[i]!, rank: ranks[k]! });
    }
  }
  return { generated, timings: { generate: t1 - t0, recaption: t2 - t1, score: t3 - t2 } };
}
