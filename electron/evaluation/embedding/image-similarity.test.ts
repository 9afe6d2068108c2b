import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder, RawRgbImage } from '../../inference/embedders/types.js';
import { cosine } from '../../inference/embedders/vectors.js';
import { scoreImageSimilarity } from './image-similarity.js';
import { FakeImageEmbedder, fakeImage } from './test-support.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');

describe('scoreImageSimilarity (fake embedder)', () => {
  const raws = Array.from({ length: 12 }, (_, i) => fakeImage(20 * i, 240 - 20 * i, 90, i % 3 === 0));

  it('gives cos(reference, candidate) per candidate, whatever the batch boundaries', async () => {
    const items = [
      { reference: raws[0]!, candidates: [raws[0]!, raws[1]!, raws[2]!] },
      { reference: raws[3]!, candidates: [] },
      { reference: raws[4]!, candidates: [raws[5]!] },
      { reference: raws[6]!, candidates: [raws[7]!, raws[8]!, raws[9]!, raws[10]!, raws[11]!] },
    ];
    const vectors = await new FakeImageEmbedder().embedImages(raws);
    const want = [[0, 1, 2], [], [5], [7, 8, 9, 10, 11]].map((cs, i) => cs.map((c) => cosine(vectors[[0, 3, 4, 6][i]!]!, vectors[c]!)));
    for (const batchSize of [1, 2, 3, 32]) {
      const embedder = new FakeImageEmbedder();
      const result = await scoreImageSimilarity(embedder, items, { batchSize });
      expect(result.items).toEqual(want.map((cs) => cs.map((c) => expect.closeTo(c, 6))));
      expect(Math.max(...embedder.calls)).toBeLessThanOrEqual(batchSize);
      // The item without candidates never has its reference embedded.
      expect(embedder.calls.reduce((a, b) => a + b, 0)).toBe(12);
    }
    expect(want[0]![0]).toBeCloseTo(1, 6);
  });

  it('streams lazily loaded images (at most one batch held) and averages per item', async () => {
    const embedder = new FakeImageEmbedder();
    const progress: number[] = [];
    function* source() {
      for (let i = 0; i < 6; i++) yield { reference: embedder.lazy(raws[i]!), candidates: [embedder.lazy(raws[i]!), embedder.lazy(raws[i + 6]!)] };
    }
    const result = await scoreImageSimilarity(embedder, source(), { batchSize: 4, onProgress: (n) => progress.push(n) });
    expect(embedder.maxLive).toBeLessThanOrEqual(4);
    expect(progress.at(-1)).toBe(18);
    expect(result.corpus.items).toBe(6);
    expect(result.corpus.candidates).toBe(12);
    expect(result.corpus.mean).toBeCloseTo(result.items.reduce((s, cs) => s + (cs[0]! + cs[1]!) / 2, 0) / 6, 12);
  });
});

describe('scoreImageSimilarity (CLIP and DINOv2 contract fixtures)', () => {
  let tmp: string;
  let files: string[];
  let decoded: RawRgbImage[];
  const embedders: Record<string, ImageEmbedder> = {};

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'rt-eval-img-'));
    const colours = [
      { r: 220, g: 30, b: 30 },
      { r: 30, g: 60, b: 230 },
      { r: 30, g: 180, b: 60 },
    ];
    const pngs = await Promise.all(colours.map((background) => sharp({ create: { width: 20, height: 16, channels: 3, background } }).png().toBuffer()));
    files = pngs.map((buf, i) => {
      const file = join(tmp, `img${i}.png`);
      writeFileSync(file, buf);
      return file;
    });
    decoded = await Promise.all(
      pngs.map(async (buf) => {
        const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
        return { rgb: new Uint8Array(data), width: info.width, height: info.height };
      }),
    );
    embedders.clip = await loadImageEmbedder(join(MODELS, 'clip-vit-b32'));
    embedders.dinov2 = await loadImageEmbedder(join(MODELS, 'dinov2'));
  });

  afterAll(async () => {
    await Promise.all(Object.values(embedders).map((e) => e.dispose()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it.each(['clip', 'dinov2'])('%s: paths and decoded RGB give the same cosines as the embedder’s own vectors', async (name) => {
    const embedder = embedders[name]!;
    const fromPaths = await scoreImageSimilarity(embedder, [{ reference: files[0]!, candidates: [files[0]!, files[1]!, files[2]!] }], { batchSize: 2 });
    const fromRgb = await scoreImageSimilarity(embedder, [{ reference: decoded[0]!, candidates: decoded }]);
    const [a, b, c] = await embedder.embedImages(files);
    const want = [1, cosine(a!, b!), cosine(a!, c!)];
    expect(fromPaths.items[0]).toEqual(want.map((x) => expect.closeTo(x, 5)));
    expect(fromRgb.items[0]).toEqual(want.map((x) => expect.closeTo(x, 5)));
  });
});
