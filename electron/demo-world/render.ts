/**
 * Renders a scene to 64×64 RGB with 4×4 supersampling, then encodes a PNG with fixed settings so
 * that the same scene always gives the same bytes.
 */
import sharp from 'sharp';
import { BACKGROUND_RGB, COLOUR_RGB, IMAGE_SIZE, type Shape, SIZE_PX } from './palette.js';
import type { Scene } from './scene.js';
import { insideShape } from './shapes.js';

const SUPERSAMPLE = 4;
const SAMPLES = SUPERSAMPLE * SUPERSAMPLE;

/** Row-major RGB bytes, IMAGE_SIZE × IMAGE_SIZE × 3. */
export function renderScene(scene: Scene): Buffer {
  const pixels = Buffer.alloc(IMAGE_SIZE * IMAGE_SIZE * 3);
  const bg = BACKGROUND_RGB[scene.background];
  for (let i = 0; i < pixels.length; i += 3) {
    pixels[i] = bg[0];
    pixels[i + 1] = bg[1];
    pixels[i + 2] = bg[2];
  }
  // Objects never overlap (scene.ts keeps a gap), so each pixel blends one object with the background.
  for (const object of scene.objects) {
    const mask = coverageMask(object.shape, SIZE_PX[object.size]);
    const rgb = COLOUR_RGB[object.colour];
    for (let my = 0; my < mask.side; my++) {
      const y = object.cy - mask.reach + my;
      if (y < 0 || y >= IMAGE_SIZE) continue;
      for (let mx = 0; mx < mask.side; mx++) {
        const x = object.cx - mask.reach + mx;
        const covered = mask.counts[my * mask.side + mx]!;
        if (covered === 0 || x < 0 || x >= IMAGE_SIZE) continue;
        const i = (y * IMAGE_SIZE + x) * 3;
        for (let c = 0; c < 3; c++) pixels[i + c] = Math.round((bg[c]! * (SAMPLES - covered) + rgb[c]! * covered) / SAMPLES);
      }
    }
  }
  return pixels;
}

interface CoverageMask {
  /** Pixels from the centre to the mask's first row/column. */
  reach: number;
  side: number;
  /** Sub-samples (0–16) inside the shape, per pixel, row-major. */
  counts: Uint8Array;
}

const masks = new Map<string, CoverageMask>();

/**
 * Object centres are whole pixels, so a shape's coverage depends only on its kind and size:
 * computed once and reused (rendering is then ~10× faster), with exactly the same numbers.
 */
function coverageMask(shape: Shape, size: number): CoverageMask {
  const key = `${shape}:${size}`;
  let mask = masks.get(key);
  if (!mask) {
    const reach = Math.ceil(size / 2) + 1;
    const side = 2 * reach;
    const counts = new Uint8Array(side * side);
    for (let my = 0; my < side; my++) {
      for (let mx = 0; mx < side; mx++) {
        let covered = 0;
        for (let sy = 0; sy < SUPERSAMPLE; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            if (insideShape(shape, mx - reach + (sx + 0.5) / SUPERSAMPLE, my - reach + (sy + 0.5) / SUPERSAMPLE, 0, 0, size)) covered++;
          }
        }
        counts[my * side + mx] = covered;
      }
    }
    mask = { reach, side, counts };
    masks.set(key, mask);
  }
  return mask;
}

export function encodePng(pixels: Buffer): Promise<Buffer> {
  return sharp(pixels, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false })
    .toBuffer();
}
