import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parsePreprocessorConfig, pixelValues } from './preprocess.js';

/** A 30×18 gradient: resizing and cropping both change it, so any difference in the paths shows. */
function gradient(): { rgb: Uint8Array; width: number; height: number } {
  const [width, height] = [30, 18];
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set([x * 8, y * 14, (x * y) % 256], (y * width + x) * 3);
  return { rgb, width, height };
}

const CONFIGS = {
  'exact size, bicubic': { size: { height: 12, width: 12 }, resample: 3 },
  'shortest edge then centre crop (CLIP style)': { size: { shortest_edge: 10 }, do_center_crop: true, crop_size: { height: 10, width: 10 }, resample: 3, image_mean: [0.48, 0.46, 0.41], image_std: [0.27, 0.26, 0.28] },
  'native size, no resize': { do_resize: false, size: { height: 18, width: 30 } },
  'native size, resized to itself (bilinear)': { size: { height: 18, width: 30 } },
  'native size, resized to itself (bicubic)': { size: { height: 18, width: 30 }, resample: 3 },
  'native size by shortest edge, crop of everything': { size: { shortest_edge: 18 }, do_center_crop: true, crop_size: { height: 18, width: 30 } },
};

describe('pixelValues', () => {
  it.each(Object.entries(CONFIGS))('gives raw RGB exactly the values of its lossless PNG (%s)', async (_, raw) => {
    const cfg = parsePreprocessorConfig(raw, 'preprocessor_config.json');
    const image = gradient();
    const png = await sharp(Buffer.from(image.rgb), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
    const [fromPng, fromRaw] = await Promise.all([pixelValues(png, cfg), pixelValues(image, cfg)]);
    expect(fromRaw.length).toBe(fromPng.length);
    expect(Buffer.from(fromRaw.buffer).equals(Buffer.from(fromPng.buffer))).toBe(true);
  });

  it('refuses a truncated image', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#808080' } }).png().toBuffer();
    await expect(pixelValues(png.subarray(0, png.length - 30), parsePreprocessorConfig({ size: { height: 8, width: 8 } }, 'p.json'))).rejects.toThrow();
  });

  it('reads a path through a checked handle: the same values as its bytes, and a FIFO refused at once (issue 16)', async () => {
    const cfg = parsePreprocessorConfig({ size: { height: 8, width: 8 } }, 'p.json');
    const dir = mkdtempSync(join(tmpdir(), 'rt-preprocess-'));
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#406080' } }).png().toBuffer();
    writeFileSync(join(dir, 'a.png'), png);
    expect(Buffer.from((await pixelValues(join(dir, 'a.png'), cfg)).buffer).equals(Buffer.from((await pixelValues(png, cfg)).buffer))).toBe(true);
    const fifo = join(dir, 'swapped.png');
    execFileSync('mkfifo', [fifo]);
    await expect(pixelValues(fifo, cfg)).rejects.toThrow(`${fifo} is a FIFO (named pipe), not a regular file`);
  }, 10_000);
});
