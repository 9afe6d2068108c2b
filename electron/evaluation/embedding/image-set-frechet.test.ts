import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageEmbedder } from '../../inference/embedders/load.js';
import { frechetDistanceOfFeatures } from './frechet.js';
import { imageSetFrechetDistance, imageSetStats } from './image-set-frechet.js';
import { FakeImageEmbedder, fakeImage } from './test-support.js';

const setA = Array.from({ length: 40 }, (_, i) => fakeImage(100 + (i % 7) * 15, 80 + (i % 5) * 20, 60, i % 2 === 0));
const setB = Array.from({ length: 30 }, (_, i) => fakeImage(60, 90 + (i % 4) * 25, 120 + (i % 6) * 15, i % 3 === 0));

describe('imageSetFrechetDistance', () => {
  it('equals the Fréchet distance of the embedder’s features, streamed with at most one batch held', async () => {
    const embedder = new FakeImageEmbedder();
    const progress: number[] = [];
    const result = await imageSetFrechetDistance(
      embedder,
      setA.map((r) => embedder.lazy(r)),
      setB.map((r) => embedder.lazy(r)),
      { batchSize: 8, onProgress: (n) => progress.push(n) },
    );
    const fa = await new FakeImageEmbedder().embedImages(setA);
    const fb = await new FakeImageEmbedder().embedImages(setB);
    const want = frechetDistanceOfFeatures(fa, fb);
    expect(result.distance).toBeCloseTo(want.distance, 10);
    expect(result.counts).toEqual([40, 30]);
    expect(embedder.maxLive).toBeLessThanOrEqual(8);
    expect(progress.at(-1)).toBe(70);
    expect(result.distance).toBeGreaterThan(0.01);
  });

  it('takes precomputed stats for a fixed set, and is 0 between a set and itself', async () => {
    const embedder = new FakeImageEmbedder();
    const real = await imageSetStats(embedder, setA);
    expect(real.count).toBe(40);
    expect((await imageSetFrechetDistance(embedder, real, setA)).distance).toBeLessThan(1e-9);
    const viaStats = await imageSetFrechetDistance(embedder, real, setB);
    const direct = await imageSetFrechetDistance(embedder, setA, setB);
    expect(viaStats.distance).toBeCloseTo(direct.distance, 12);
  });

  it('refuses a set of one image', async () => {
    await expect(imageSetStats(new FakeImageEmbedder(), [setA[0]!])).rejects.toThrow(/at least 2/);
  });

  it('runs on DINOv2 features (contract fixture), 0 for a set against itself', async () => {
    const dino = await loadImageEmbedder(join(import.meta.dirname, '../../../tests/fixtures/models/dinov2'));
    try {
      const images = Array.from({ length: 6 }, (_, i) => fakeImage(40 * i, 200 - 30 * i, 100, i % 2 === 0, 16));
      const self = await imageSetFrechetDistance(dino, images, images, { batchSize: 4 });
      expect(self.distance).toBeLessThan(1e-6);
      expect(self.rank).toBeLessThanOrEqual(5);
      const other = await imageSetFrechetDistance(dino, images.slice(0, 3), images.slice(3));
      expect(other.distance).toBeGreaterThan(0);
    } finally {
      await dino.dispose();
    }
  });
});
