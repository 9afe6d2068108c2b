import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder, loadTextEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder, TextEmbedder } from '../../inference/embedders/types.js';
import { cosine } from '../../inference/embedders/vectors.js';
import { CLIP_SCORE_PREFIX, CLIP_SCORE_W, clipScore, refClipScore, scoreClipScore } from './clip-score.js';
import { FakeImageEmbedder, fakeImage, FakeTextEmbedder } from './test-support.js';

describe('clipScore / refClipScore (Hessel et al. 2021)', () => {
  it('CLIP-S = 2.5 · max(cos, 0)', () => {
    expect(CLIP_SCORE_W).toBe(2.5);
    expect(clipScore([1, 0], [0.6, 0.8])).toBeCloseTo(1.5, 12);
    expect(clipScore([1, 0], [-0.6, 0.8])).toBe(0);
    expect(clipScore([2, 0], [3, 4])).toBeCloseTo(1.5, 12); // a cosine, whatever the norms
    expect(clipScore([1, 0], [0.6, 0.8], 1)).toBeCloseTo(0.6, 12);
  });

  it('RefCLIP-S = harmonic mean of CLIP-S and max(max reference cosine, 0)', () => {
    expect(refClipScore(1.5, 0.8)).toBeCloseTo((2 * 1.5 * 0.8) / 2.3, 12);
    expect(refClipScore(1.5, -0.2)).toBe(0);
    expect(refClipScore(0, 0.9)).toBe(0);
    expect(refClipScore(0, -1)).toBe(0);
    expect(refClipScore(1, 1)).toBeCloseTo(1, 12);
  });
});

describe('scoreClipScore (fake embedders)', () => {
  const red = fakeImage(220, 20, 20);
  const blue = fakeImage(20, 20, 220, false);

  it('matches a direct computation, per candidate and at corpus level, with the paper prefix by default', async () => {
    const images = new FakeImageEmbedder();
    const texts = new FakeTextEmbedder();
    const items = [
      { image: red, candidates: ['a red square', 'blue'], references: ['red red', 'a red thing'] },
      { image: blue, candidates: ['blue blue blue'] },
      { image: red, candidates: [] },
    ];
    const result = await scoreClipScore(images, texts, items, { batchSize: 2 });
    // The last batch has no candidates: nothing to load or embed.
    expect(images.calls).toEqual([2]);
    expect(texts.seen.every((t) => t.startsWith(CLIP_SCORE_PREFIX))).toBe(true);

    const [vRed, vBlue] = await new FakeImageEmbedder().embedImages([red, blue]);
    const embed = async (t: string) => (await new FakeTextEmbedder().embedTexts([CLIP_SCORE_PREFIX + t]))[0]!;
    const c00 = clipScore(vRed!, await embed('a red square'));
    const c01 = clipScore(vRed!, await embed('blue'));
    const c10 = clipScore(vBlue!, await embed('blue blue blue'));
    const refs = [await embed('red red'), await embed('a red thing')];
    const maxRefCosine = async (candidate: string) => Math.max(...(await Promise.all(refs.map(async (r) => cosine(await embed(candidate), r)))));
    const r00 = await maxRefCosine('a red square');
    const r01 = await maxRefCosine('blue');

    expect(result.items[0]!.clipScore[0]).toBeCloseTo(c00, 6);
    expect(result.items[0]!.clipScore[1]).toBeCloseTo(c01, 6);
    expect(result.items[0]!.referenceCosine![0]).toBeCloseTo(r00, 6);
    expect(result.items[0]!.refClipScore![1]).toBeCloseTo(refClipScore(c01, r01), 6);
    expect(result.items[1]).toEqual({ clipScore: [expect.closeTo(c10, 6)] });
    expect(result.items[2]).toEqual({ clipScore: [] });

    expect(result.corpus.images).toBe(2);
    expect(result.corpus.imagesWithReferences).toBe(1);
    expect(result.corpus.candidates).toBe(3);
    expect(result.corpus.clipScore).toBeCloseTo(((c00 + c01) / 2 + c10) / 2, 6);
    expect(result.corpus.refClipScore).toBeCloseTo((refClipScore(c00, r00) + refClipScore(c01, r01)) / 2, 6);
  });

  it('takes w and prefix, streams lazily loaded images and reports progress', async () => {
    const images = new FakeImageEmbedder();
    const texts = new FakeTextEmbedder();
    const progress: number[] = [];
    async function* source() {
      for (let i = 0; i < 7; i++) yield { image: images.lazy(i % 2 ? red : blue), candidates: ['red', 'blue'] };
    }
    const result = await scoreClipScore(images, texts, source(), { batchSize: 3, w: 1, prefix: '', onProgress: (n) => progress.push(n) });
    expect(texts.seen).not.toContain('A photo depicts red');
    expect(images.maxLive).toBeLessThanOrEqual(3);
    expect(progress).toEqual([3, 6, 7]);
    expect(result.items).toHaveLength(7);
    for (const item of result.items) for (const s of item.clipScore) expect(s).toBeLessThanOrEqual(1 + 1e-6);
    expect(Number.isNaN(result.corpus.refClipScore)).toBe(true);
  });

  it('refuses towers of different widths', async () => {
    await expect(scoreClipScore(new FakeImageEmbedder(), new FakeTextEmbedder(7), [])).rejects.toThrow(/5-d.*7-d/);
  });
});

describe('scoreClipScore (CLIP contract fixture)', () => {
  const CLIP = join(import.meta.dirname, '../../../tests/fixtures/models/clip-vit-b32');
  let images: ImageEmbedder;
  let texts: TextEmbedder;
  beforeAll(async () => {
    images = await loadImageEmbedder(CLIP);
    texts = await loadTextEmbedder(CLIP);
  });
  afterAll(async () => {
    await images.dispose();
    await texts.dispose();
  });

  it('equals CLIP-S / RefCLIP-S computed from the towers by hand', async () => {
    const raws = [fakeImage(200, 40, 40, true, 24), fakeImage(40, 40, 200, false, 24)];
    const items = [
      { image: raws[0]!, candidates: ['a red square', 'a dog'], references: ['a red box', 'something red'] },
      { image: raws[1]!, candidates: ['a blue square'], references: ['a blue box'] },
    ];
    const result = await scoreClipScore(images, texts, items, { batchSize: 1 });
    const [v0, v1] = await images.embedImages(raws);
    const t = async (s: string) => (await texts.embedTexts([CLIP_SCORE_PREFIX + s]))[0]!;
    const c = clipScore(v0!, await t('a dog'));
    const ref = Math.max(cosine(await t('a dog'), await t('a red box')), cosine(await t('a dog'), await t('something red')));
    expect(result.items[0]!.clipScore[1]).toBeCloseTo(c, 5);
    expect(result.items[0]!.refClipScore![1]).toBeCloseTo(refClipScore(c, ref), 5);
    expect(result.items[1]!.clipScore[0]).toBeCloseTo(clipScore(v1!, await t('a blue square')), 5);
  });
});
