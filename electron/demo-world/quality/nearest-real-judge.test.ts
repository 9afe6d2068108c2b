/** The nearest-real-image judge on the committed demo CLIP and rendered test scenes. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder } from '../../inference/embedders/load.js';
import type { ImageEmbedder } from '../../inference/embedders/types.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { COLOURS } from '../palette.js';
import { NearestRealJudge } from './nearest-real-judge.js';
import { renderRecord, splitRecords } from './split-records.js';

const test = splitRecords('test', 30);
const images = test.map(renderRecord);
const mains = test.map((r) => r.scene.objects[0]!);
let embedder: ImageEmbedder;
let judge: NearestRealJudge;

beforeAll(async () => {
  embedder = await loadImageEmbedder(join(defaultDemoRoot(), 'clip'));
  judge = await NearestRealJudge.build(embedder, images, mains);
});
afterAll(() => embedder.dispose());

describe('NearestRealJudge', () => {
  it('finds an image itself unless it is left out', async () => {
    const vectors = await embedder.embedImages(images.slice(0, 5));
    vectors.forEach((v, i) => {
      expect(judge.nearest(v, -1)).toBe(i);
      expect(judge.nearest(v, i)).not.toBe(i);
    });
  });

  it('counts a match only when the neighbour’s main object has the wanted colour and shape', async () => {
    const none = images.map(() => -1);
    expect(await judge.shares(images, mains, none)).toEqual({ images: 30, colour: 1, colourAndShape: 1 });
    const otherColour = mains.map((m) => ({ ...m, colour: COLOURS.find((c) => c !== m.colour)! }));
    expect(await judge.shares(images, otherColour, none)).toMatchObject({ colour: 0, colourAndShape: 0 });
    const otherShape = mains.map((m) => ({ ...m, shape: m.shape === 'star' ? ('circle' as const) : ('star' as const) }));
    expect(await judge.shares(images, otherShape, none)).toMatchObject({ colour: 1, colourAndShape: 0 });
  });

  it('refuses mismatched inputs', async () => {
    await expect(NearestRealJudge.build(embedder, images, mains.slice(1))).rejects.toThrow(/30 images but 29/);
  });
});
