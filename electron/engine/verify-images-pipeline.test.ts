/**
 * Text → image → text for one image's source texts on the contract fixtures: real onnxruntime,
 * real beam search, generator and embedders. The fixtures are untrained, so this pins structure,
 * scoring and reproducibility, not quality (that is bench/table2.bench.ts on the demo models).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../inference/embedders/index.js';
import type { RgbImage } from './engine-models.js';
import { loadEngineModels } from './load-engine-models.js';
import { SourceTextCider } from './source-text-cider.js';
import { verifyImagesForImage, type VerifyImagesIo, type VerifyImagesModels, type VerifyImagesSettings } from './verify-images-pipeline.js';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/models');
const dirs = {
  captioner: join(FIXTURES, 'vit-gpt2'),
  generator: join(FIXTURES, 'sd15-int64-timestep'),
  embedder: join(FIXTURES, 'clip-vit-b32'),
  textEmbedder: join(FIXTURES, 'clip-vit-b32'),
};
const settings: VerifyImagesSettings = {
  seed: 5,
  imagesPerText: 3,
  generation: { steps: 2, guidanceScale: 3, scheduler: 'ddim' },
  recaption: { strategy: 'beam', numBeams: 3, maxNewTokens: 4 },
};
const texts = [
  { referenceId: 11, text: 'a red square on a white background' },
  { referenceId: 12, text: 'a square' },
];
const cider = new SourceTextCider(new Map(texts.map((t) => [String(t.referenceId), t.text])));
let models: VerifyImagesModels & { dispose(): Promise<void> };
let source: string;

function io(dir: string): VerifyImagesIo {
  return {
    saveImage: async (image: RgbImage, referenceId, idx) => {
      const file = join(dir, `${referenceId}-${idx}.png`);
      await sharp(Buffer.from(image.rgb), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(file);
      return file;
    },
    cider: (referenceId, recaption) => cider.score(String(referenceId), recaption),
  };
}

beforeAll(async () => {
  models = await loadEngineModels(dirs);
  source = join(mkdtempSync(join(tmpdir(), 'rt-verify-src-')), 'source.png');
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toFile(source);
});

afterAll(async () => {
  await models?.dispose();
});

describe('verifyImagesForImage', () => {
  it('generates N images per text, captions each back with beam search, and ranks them by text similarity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-verify-'));
    const result = await verifyImagesForImage(3, source, texts, models, settings, io(dir));
    expect(result.generated).toHaveLength(texts.length * settings.imagesPerText);
    expect(new Set(result.generated.map((g) => g.seed)).size).toBe(result.generated.length);
    const [sourceVector] = await models.embedder.embedImages([source]);
    for (const text of texts) {
      const rows = result.generated.filter((g) => g.referenceId === text.referenceId);
      expect(rows.map((g) => [g.text, g.idx])).toEqual([0, 1, 2].map((k) => [text.text, k]));
      expect(rows.map((g) => g.rank).sort()).toEqual([1, 2, 3]);
      const byRank = [...rows].sort((a, b) => a.rank - b.rank);
      for (let i = 1; i < byRank.length; i++) expect(byRank[i - 1]!.textSimilarity).toBeGreaterThanOrEqual(byRank[i]!.textSimilarity);
      const [textVector] = await models.textEmbedder.embedTexts([text.text]);
      for (const g of rows) {
        // Each score recomputed on its own from the stored file: what is kept is what was scored.
        const [alone] = await models.captioner.caption([g.path], { ...settings.recaption, numReturnSequences: 1 }, 0);
        expect(g.recaption).toBe(alone![0]!.text);
        const [recaptionVector] = await models.textEmbedder.embedTexts([g.recaption]);
        expect(g.textSimilarity).toBeCloseTo(cosine(textVector!, recaptionVector!), 5);
        expect(g.cider).toBe(cider.score(String(text.referenceId), g.recaption));
        const [generatedVector] = await models.embedder.embedImages([readFileSync(g.path)]);
        expect(g.realSimilarity).toBeCloseTo(cosine(sourceVector!, generatedVector!), 5);
      }
    }
  });

  it('gives identical images, re-captions and scores for the same seed, and other images for another', async () => {
    const run = async (seed: number) => {
      const result = await verifyImagesForImage(3, source, texts, models, { ...settings, seed }, io(mkdtempSync(join(tmpdir(), 'rt-verify-'))));
      return result.generated.map(({ path, ...g }) => ({ ...g, png: readFileSync(path).toString('base64') }));
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    const other = await run(6);
    expect(other.map((g) => g.png)).not.toEqual(a.map((g) => g.png));
  });

  it('does nothing for an image without source texts', async () => {
    expect(await verifyImagesForImage(3, source, [], models, settings, io(tmpdir()))).toEqual({ generated: [], timings: {} });
  });
});
