import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_RGB, COLOUR_RGB, IMAGE_SIZE } from './palette.js';
import { encodePng, renderScene } from './render.js';
import type { Scene } from './scene.js';

const scene: Scene = {
  background: 'grey',
  objects: [
    { shape: 'circle', colour: 'red', size: 'large', x: 0, y: 0, cx: 12, cy: 12 },
    { shape: 'star', colour: 'white', size: 'small', x: 2, y: 2, cx: 52, cy: 52 },
  ],
};

function pixel(pixels: Buffer, x: number, y: number): number[] {
  const i = (y * IMAGE_SIZE + x) * 3;
  return [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
}

describe('renderScene', () => {
  it('paints objects at their centres over the background, with blended edges', () => {
    const pixels = renderScene(scene);
    expect(pixels.length).toBe(IMAGE_SIZE * IMAGE_SIZE * 3);
    expect(pixel(pixels, 12, 12)).toEqual([...COLOUR_RGB.red]);
    expect(pixel(pixels, 52, 52)).toEqual([...COLOUR_RGB.white]);
    expect(pixel(pixels, 32, 32)).toEqual([...BACKGROUND_RGB.grey]);
    // Anti-aliasing: some edge pixels are neither the background nor the object colour.
    const aroundCircle = Array.from({ length: 24 * 24 }, (_, i) => pixel(pixels, i % 24, Math.floor(i / 24)));
    const mixed = aroundCircle.filter((p) => p.join() !== COLOUR_RGB.red.join() && p.join() !== BACKGROUND_RGB.grey.join());
    expect(mixed.length).toBeGreaterThan(20);
  });

  it('encodes a 64×64 RGB PNG, byte-identical every time', async () => {
    const a = await encodePng(renderScene(scene));
    const b = await encodePng(renderScene(structuredClone(scene)));
    expect(a.equals(b)).toBe(true);
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 64, 64, 3]);
    const { data } = await sharp(a).raw().toBuffer({ resolveWithObject: true });
    expect(data.equals(renderScene(scene))).toBe(true);
  });
});
