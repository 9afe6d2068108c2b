import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { demoImage } from './dataset.js';
import { detectObjects, judgeScene } from './judge.js';
import { IMAGE_SIZE } from './palette.js';
import { Rng } from './prng.js';
import { renderScene } from './render.js';

const images = Array.from({ length: 300 }, (_, i) => demoImage('test', 1, i));
const label = (o: { size: string; colour: string; shape: string; x: number; y: number }) => `${o.size} ${o.colour} ${o.shape} ${o.x}${o.y}`;

/** What a small generator's output looks like at best: softened edges and pixel noise. */
async function degrade(pixels: Buffer, rng: Rng): Promise<Buffer> {
  const out = await sharp(pixels, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3 } }).blur(0.8).raw().toBuffer();
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, out[i]! + rng.int(-25, 25)));
  return out;
}

describe('judge', () => {
  it('reads every object of clean renders back: colour, shape, size and cell (≥ 95%)', () => {
    const exact = images.filter((image) => {
      const found = detectObjects(renderScene(image.scene)).map(label).sort();
      return found.join(';') === image.scene.objects.map(label).sort().join(';');
    });
    expect(exact.length / images.length).toBeGreaterThanOrEqual(0.95);
  });

  it("confirms the main object's colour and shape on clean renders and rejects a wrong claim", () => {
    let right = 0;
    for (const image of images) {
      const main = image.scene.objects[0]!;
      if (judgeScene(renderScene(image.scene), main).ok) right++;
      const wrongShape = main.shape === 'star' ? 'circle' : 'star';
      expect(judgeScene(renderScene(image.scene), { colour: main.colour, shape: wrongShape }).ok).toBe(false);
    }
    expect(right / images.length).toBeGreaterThanOrEqual(0.95);
  });

  it('still judges blurred, noisy renders mostly right (≥ 90%)', async () => {
    const rng = new Rng(11);
    let right = 0;
    for (const image of images.slice(0, 150)) if (judgeScene(await degrade(renderScene(image.scene), rng), image.scene.objects[0]!).ok) right++;
    expect(right / 150).toBeGreaterThanOrEqual(0.9);
  });

  it('finds nothing in an empty picture', () => {
    const blank = renderScene({ background: 'sand', objects: [] });
    expect(judgeScene(blank, { colour: 'red', shape: 'circle' })).toMatchObject({ main: null, ok: false, appears: false });
  });
});
