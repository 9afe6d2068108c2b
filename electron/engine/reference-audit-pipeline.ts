/**
 * Reference audit for one image: draw each of its human reference captions (identical texts
 * once, one seeded image each) and score every reconstruction against the image with the image
 * embedder. A reference far below the image's best one is worth a look: it may be vague, wrong
 * ("monkey" for a lemur) or about something else in the picture.
 */
import type { NewCandidate } from '../storage/repos/runs-repo.js';
import type { GenerationSettings, ImageEmbedderModel, ImageGeneratorModel, RgbImage } from './engine-models.js';
import { ranksDescending } from './ranking.js';
import { deriveSeed } from './seeds.js';

/** Seed stream tag of reference-audit reconstructions (see VERIFY_SEED_STAGE). */
export const AUDIT_SEED_STAGE = 4;

export interface ReferenceAuditSettings {
  seed: number;
  generation: GenerationSettings;
}

export interface ReferenceAuditModels {
  generator: ImageGeneratorModel;
  embedder: ImageEmbedderModel;
  cosine: (a: Float32Array, b: Float32Array) => number;
}

export interface ReferenceAuditResult {
  /** One per reference, idx = its position among the image's references (id order). */
  candidates: NewCandidate[];
  /** One reconstruction per distinct text, in the order of `distinctTexts`. */
  reconstructions: RgbImage[];
  distinctTexts: string[];
  timings: Record<string, number>;
}

export async function auditReferencesForImage(
  imageId: number,
  source: string | Buffer,
  references: readonly { id: number; text: string }[],
  models: ReferenceAuditModels,
  settings: ReferenceAuditSettings,
  clock: () => number = () => performance.now(),
): Promise<ReferenceAuditResult> {
  const t0 = clock();
  const distinctTexts = [...new Set(references.map((r) => r.text))];
  // Keyed by the first reference with that text: stable when references are added later.
  const seeds = distinctTexts.map((text) => deriveSeed(settings.seed, imageId, AUDIT_SEED_STAGE, references.find((r) => r.text === text)!.id));
  const reconstructions = distinctTexts.length ? await models.generator.generate(distinctTexts, { ...settings.generation, seeds }) : [];
  const t1 = clock();
  const [sourceVector, ...vectors] = await models.embedder.embedImages([source, ...reconstructions]);
  const similarities = vectors.map((v) => models.cosine(sourceVector!, v));
  const ranks = ranksDescending(similarities);
  const t2 = clock();
  const candidates: NewCandidate[] = references.map((r, idx) => {
    const k = distinctTexts.indexOf(r.text);
    return { idx, source: 'reference', referenceId: r.id, text: r.text, seed: seeds[k]!, similarity: similarities[k]!, rank: ranks[k]! };
  });
  return { candidates, reconstructions, distinctTexts, timings: { generate: t1 - t0, embed: t2 - t1 } };
}
