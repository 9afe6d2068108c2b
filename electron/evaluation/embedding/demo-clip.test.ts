/**
 * The embedding metrics on the committed demo CLIP (resources/demo/clip, 128-d, trained on the
 * demo world) and real demo-world test images: an image's own captions must get a higher
 * CLIPScore than another image's, and two disjoint sets of real images must be closer in
 * Fréchet distance than real images and colour-inverted ones.
 *
 * The demo CLIP's word-level vocabulary has no "photo" or "depicts", so the paper's
 * "A photo depicts " prefix would only add unknown tokens: these tests pass `prefix: ''`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTIONS_PER_IMAGE, demoImage, IMAGE_SIZE, renderScene } from '../../demo-world/index.js';
import { loadImageEmbedder, loadTextEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder, RawRgbImage, TextEmbedder } from '../../inference/embedders/types.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { scoreClipScore } from './clip-score.js';
import { imageSetFrechetDistance } from './image-set-frechet.js';

const CLIP = join(defaultDemoRoot(), 'clip');

function rendered(index: number): RawRgbImage {
  return { rgb: new Uint8Array(renderScene(demoImage('test', 1, index).scene)), width: IMAGE_SIZE, height: IMAGE_SIZE };
}

function inverted({ rgb, width, height }: RawRgbImage): RawRgbImage {
  return { rgb: rgb.map((v) => 255 - v), width, height };
}

let images: ImageEmbedder;
let texts: TextEmbedder;

beforeAll(async () => {
  images = await loadImageEmbedder(CLIP);
  texts = await loadTextEmbedder(CLIP);
});

afterAll(async () => {
  await images?.dispose();
  await texts?.dispose();
});

describe('embedding metrics on the demo CLIP', () => {
  it('an image’s own captions get a higher CLIPScore and RefCLIPScore than another image’s', async () => {
    const count = 20;
    const demo = Array.from({ length: count }, (_, i) => demoImage('test', 1, i));
    expect(demo[0]!.captions).toHaveLength(CAPTIONS_PER_IMAGE);
    // Candidates: the image's own first caption, then the next image's first caption.
    // References: the image's other captions (never the candidate itself).
    const items = demo.map((d, i) => ({
      image: () => rendered(i),
      candidates: [d.captions[0]!, demo[(i + 1) % count]!.captions[0]!],
      references: d.captions.slice(1),
    }));
    const result = await scoreClipScore(images, texts, items, { prefix: '', batchSize: 8 });
    const own = result.items.map((s) => s.clipScore[0]!);
    const other = result.items.map((s) => s.clipScore[1]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(own)).toBeGreaterThan(mean(other));
    expect(own.filter((s, i) => s > other[i]!).length).toBeGreaterThan(count / 2);
    const ownRef = mean(result.items.map((s) => s.refClipScore![0]!));
    const otherRef = mean(result.items.map((s) => s.refClipScore![1]!));
    expect(ownRef).toBeGreaterThan(otherRef);
    // Scores live in [0, 2.5].
    for (const s of [...own, ...other]) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of [...own, ...other]) expect(s).toBeLessThanOrEqual(2.5);
  });

  it('Fréchet distance: two disjoint real sets are closer than real vs. colour-inverted images', async () => {
    const n = 60;
    const setA = Array.from({ length: n }, (_, i) => () => rendered(i));
    const setB = Array.from({ length: n }, (_, i) => () => rendered(n + i));
    const setBInverted = Array.from({ length: n }, (_, i) => () => inverted(rendered(n + i)));
    const realReal = await imageSetFrechetDistance(images, setA, setB);
    const realInverted = await imageSetFrechetDistance(images, setA, setBInverted);
    expect(realReal.counts).toEqual([n, n]);
    expect(realReal.distance).toBeGreaterThan(0);
    expect(realReal.distance).toBeLessThan(realInverted.distance);
    // Not a near tie: inverting colours moves the set far away in CLIP space.
    expect(realInverted.distance).toBeGreaterThan(2 * realReal.distance);
  });
});
