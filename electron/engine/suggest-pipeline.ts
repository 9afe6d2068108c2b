/**
 * Image → text → image for one source image (the paper's caption selection): sample N
 * candidate captions, draw each distinct caption back once, embed the source and every
 * reconstruction, and rank the candidates by how close their reconstruction is to the source.
 * The top candidate is the suggestion; the margin to the runner-up says how sure the ranking is.
 */
import type { NewCandidate } from '../storage/repos/runs-repo.js';
import type { CaptionDecodingSettings, CaptionModel, GenerationSettings, ImageEmbedderModel, ImageGeneratorModel, RgbImage } from './engine-models.js';
import { ranksDescending } from './ranking.js';
import { deriveSeed } from './seeds.js';

export interface SuggestSettings {
  seed: number;
  decoding: CaptionDecodingSettings;
  generation: GenerationSettings;
}

export interface SuggestModels {
  captioner: CaptionModel;
  generator: ImageGeneratorModel;
  embedder: ImageEmbedderModel;
  cosine: (a: Float32Array, b: Float32Array) => number;
}

export interface SuggestResult {
  candidates: NewCandidate[];
  /** One reconstruction per distinct caption, in the order of `distinctTexts`. */
  reconstructions: RgbImage[];
  distinctTexts: string[];
  /** Similarity of the best distinct caption minus the second best (null with one distinct caption). */
  margin: number | null;
  timings: Record<string, number>;
}

/**
 * The N candidate captions: N draws of the run's decoding, or with `greedyFirst` the greedy
 * caption followed by N − 1 draws (the same draws a run of N − 1 candidates makes).
 */
async function candidateCaptions(
  source: string | Buffer,
  captioner: CaptionModel,
  decoding: CaptionDecodingSettings,
  seed: number,
): Promise<{ text: string; score: number }[]> {
  const { greedyFirst, ...drawn } = decoding;
  const n = drawn.numReturnSequences ?? 1;
  if (!greedyFirst || drawn.strategy === 'greedy') return (await captioner.caption([source], drawn, seed))[0] ?? [];
  const task = drawn.task === undefined ? {} : { task: drawn.task };
  const greedy = (await captioner.caption([source], { strategy: 'greedy', numReturnSequences: 1, maxNewTokens: drawn.maxNewTokens, ...task }, seed))[0] ?? [];
  if (n <= 1) return greedy;
  const rest = (await captioner.caption([source], { ...drawn, numReturnSequences: n - 1 }, seed))[0] ?? [];
  return [...greedy, ...rest];
}

export async function suggestForImage(
  imageId: number,
  source: string | Buffer,
  models: SuggestModels,
  settings: SuggestSettings,
  hooks: {
    clock?: () => number;
    /** Called as soon as the reconstructions exist, so a caller can write them while they are embedded. */
    onReconstructions?: (images: RgbImage[], distinctTexts: string[]) => void;
  } = {},
): Promise<SuggestResult> {
  const clock = hooks.clock ?? (() => performance.now());
  const t0 = clock();
  const sampled = await candidateCaptions(source, models.captioner, settings.decoding, deriveSeed(settings.seed, imageId, 0));
  const t1 = clock();

  // Identical candidates are drawn once: the paper's N reconstructions, without the waste.
  const distinctTexts = [...new Set(sampled.map((c) => c.text))];
  const seeds = distinctTexts.map((_, k) => deriveSeed(settings.seed, imageId, 1, k));
  const reconstructions = distinctTexts.length ? await models.generator.generate(distinctTexts, { ...settings.generation, seeds }) : [];
  const t2 = clock();
  hooks.onReconstructions?.(reconstructions, distinctTexts);

  const [sourceEmbedding, ...reconEmbeddings] = await models.embedder.embedImages([source, ...reconstructions]);
  const similarities = reconEmbeddings.map((e) => models.cosine(sourceEmbedding!, e));
  const ranks = ranksDescending(similarities);
  const t3 = clock();

  const sorted = [...similarities].sort((a, b) => b - a);
  const candidates: NewCandidate[] = sampled.map((c, idx) => {
    const k = distinctTexts.indexOf(c.text);
    return { idx, source: 'sampled', text: c.text, logProb: c.score, seed: seeds[k]!, similarity: similarities[k]!, rank: ranks[k]! };
  });
  return {
    candidates,
    reconstructions,
    distinctTexts,
    margin: sorted.length > 1 ? sorted[0]! - sorted[1]! : null,
    timings: { caption: t1 - t0, generate: t2 - t1, embed: t3 - t2 },
  };
}
