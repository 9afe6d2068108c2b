/**
 * The image → text → image pipeline on the contract fixtures: real onnxruntime, real decode
 * loop, sampler and embedder code. The fixtures are untrained, so this pins structure and
 * reproducibility, not caption quality (that is measured on the demo models).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../inference/embedders/index.js';
import type { Generator } from '../inference/generator/index.js';
import { loadEngineModels, type LoadedFor } from './load-engine-models.js';
import { suggestForImage, type SuggestSettings } from './suggest-pipeline.js';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/models');
let models: LoadedFor<{ captioner: string; generator: string; embedder: string }>;
let source: Buffer;

const settings: SuggestSettings = {
  seed: 5,
  decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: 10, maxNewTokens: 4 },
  generation: { steps: 3, guidanceScale: 3, scheduler: 'ddim' },
};

beforeAll(async () => {
  models = await loadEngineModels({
    captioner: join(FIXTURES, 'vit-gpt2'),
    generator: join(FIXTURES, 'sd15-int64-timestep'),
    embedder: join(FIXTURES, 'clip-vit-b32'),
  });
  source = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
});

afterAll(async () => {
  await models?.dispose();
});

describe('suggestForImage', () => {
  it('draws each distinct candidate once and ranks candidates by reconstruction similarity', async () => {
    const generator = models.generator as Generator;
    generator.resetStats();
    const result = await suggestForImage(1, source, models, settings);
    expect(result.candidates).toHaveLength(10);
    expect(result.distinctTexts.length).toBeLessThanOrEqual(10);
    expect(result.reconstructions).toHaveLength(result.distinctTexts.length);
    // One UNet row per distinct caption per step, twice with guidance: nothing is drawn twice.
    expect(generator.stats.unetEvaluations).toBe(result.distinctTexts.length * settings.generation.steps * 2);
    for (const c of result.candidates) {
      const k = result.distinctTexts.indexOf(c.text);
      expect(k).toBeGreaterThanOrEqual(0);
      const direct = cosine((await models.embedder.embedImages([source]))[0]!, (await models.embedder.embedImages([result.reconstructions[k]!]))[0]!);
      expect(c.similarity).toBeCloseTo(direct, 5);
    }
    const byRank = [...result.candidates].sort((a, b) => a.rank! - b.rank!);
    for (let i = 1; i < byRank.length; i++) expect(byRank[i - 1]!.similarity!).toBeGreaterThanOrEqual(byRank[i]!.similarity!);
    if (result.distinctTexts.length > 1) {
      const sims = [...new Set(result.candidates.map((c) => c.similarity!))].sort((a, b) => b - a);
      expect(result.margin).toBeCloseTo(sims[0]! - sims[1]!, 10);
    }
  });

  it('with greedyFirst, candidate 1 is the greedy caption and the rest are the draws of a run of N − 1', async () => {
    const greedyFirst = { ...settings, decoding: { ...settings.decoding, greedyFirst: true } };
    const result = await suggestForImage(3, source, models, greedyFirst);
    expect(result.candidates).toHaveLength(10);
    const [greedy] = (await models.captioner.caption([source], { strategy: 'greedy', numReturnSequences: 1, maxNewTokens: 4 }, 0))[0]!;
    expect(result.candidates[0]!.text).toBe(greedy!.text);
    const nine = await suggestForImage(3, source, models, { ...settings, decoding: { ...settings.decoding, numReturnSequences: 9 } });
    expect(result.candidates.slice(1).map((c) => c.text)).toEqual(nine.candidates.map((c) => c.text));
    // every candidate, the greedy one included, is ranked on its reconstruction
    expect(new Set(result.candidates.map((c) => c.rank)).size).toBe(result.distinctTexts.length);
  });

  it('gives identical candidates, reconstructions and scores for the same seed', async () => {
    const a = await suggestForImage(7, source, models, settings);
    const b = await suggestForImage(7, source, models, settings);
    expect(b.candidates).toEqual(a.candidates);
    expect(b.reconstructions.map((r) => Buffer.from(r.rgb).toString('base64'))).toEqual(a.reconstructions.map((r) => Buffer.from(r.rgb).toString('base64')));
    const other = await suggestForImage(7, source, models, { ...settings, seed: 6 });
    expect(other.candidates).not.toEqual(a.candidates);
  });
});
