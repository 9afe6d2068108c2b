import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { edgeResize, outputSize, parsePreprocessorConfig, pixelValues } from './preprocess.js';

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

/** An image whose left half is one colour and right half another, in raw RGB. */
function halves(width: number, height: number, left: [number, number, number], right: [number, number, number]) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(x < width / 2 ? left : right, (y * width + x) * 3);
  return { rgb, width, height };
}

/** The value of channel c at (x, y) of CHW pixel_values of a given width and height. */
const at = (values: Float32Array, width: number, height: number, c: number, x: number, y: number) => values[c * width * height + y * width + x]!;

describe('preprocessor_config.json forms (MODELS.md appendix §0, transformers.js image_processors_utils.js)', () => {
  const file = 'preprocessor_config.json';

  it('reads size as a bare number: a square without a crop (ViT), the shortest edge before a crop (CLIP)', () => {
    expect(parsePreprocessorConfig({ size: 224 }, file).size).toEqual({ height: 224, width: 224 });
    const clip = parsePreprocessorConfig({ size: 224, crop_size: 224, do_center_crop: true }, file);
    expect(clip.size).toEqual({ shortest_edge: 224 });
    expect(clip.crop_size).toEqual({ height: 224, width: 224 });
    expect(outputSize(clip)).toEqual({ height: 224, width: 224 });
    // Feature-extractor era: image_size instead of size, mean/std instead of image_mean/image_std.
    const old = parsePreprocessorConfig({ image_size: 32, mean: [0.1, 0.2, 0.3], std: 0.5 }, file);
    expect(old).toMatchObject({ size: { height: 32, width: 32 }, image_mean: [0.1, 0.2, 0.3], image_std: [0.5, 0.5, 0.5] });
  });

  it('resizes by edges as the processors do: shortest edge up or down, longest edge only down, rounding down', () => {
    expect(edgeResize(640, 480, { shortest_edge: 224 })).toEqual([298, 224]); // 640 × 224/480 = 298.67
    expect(edgeResize(480, 640, { shortest_edge: 224 })).toEqual([224, 298]);
    expect(edgeResize(1000, 200, { shortest_edge: 100, longest_edge: 300 })).toEqual([300, 60]);
    expect(edgeResize(640, 480, { shortest_edge: 100, longest_edge: 1333 })).toEqual([133, 100]);
    expect(edgeResize(640, 480, { longest_edge: 320 })).toEqual([320, 240]);
  });

  it('rescales and normalises with a number or one value per channel, or not at all', async () => {
    const image = { rgb: Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => [51, 102, 204][i % 3]!), width: 4, height: 4 };
    const first = async (raw: object) => {
      const v = await pixelValues(image, parsePreprocessorConfig(raw, file));
      return [0, 1, 2].map((c) => at(v, 4, 4, c, 0, 0));
    };
    // (value/255 − mean) / std, by hand: 51/255 = 0.2, 102/255 = 0.4, 204/255 = 0.8.
    expect(await first({ size: 4, image_mean: 0.5, image_std: 0.5 })).toEqual([-0.6, -0.2, 0.6].map((v) => expect.closeTo(v, 6)));
    expect(await first({ size: 4, image_mean: [0.2, 0.4, 0.8], image_std: [0.1, 0.2, 0.4] })).toEqual([0, 0, 0].map((v) => expect.closeTo(v, 6)));
    expect(await first({ size: 4, do_normalize: false })).toEqual([0.2, 0.4, 0.8].map((v) => expect.closeTo(v, 6)));
    expect(await first({ size: 4, do_normalize: false, do_rescale: false })).toEqual([51, 102, 204]);
    expect(await first({ size: 4, do_normalize: false, rescale_factor: 0.5 })).toEqual([25.5, 51, 102]);
    expect(await first({ size: 4, do_convert_rgb: true, resample: 5 })).toEqual([-0.6, -0.2, 0.6].map((v) => expect.closeTo(v, 6)));
  });

  it('crops the centre of a shortest-edge resize (number or object crop_size), and not when do_center_crop is false', async () => {
    // 12×4: left half red, right half blue. Shortest edge 4 keeps it 12×4; a 4×4 centre crop takes columns 4..7.
    const image = halves(12, 4, [255, 0, 0], [0, 0, 255]);
    const norm = { do_normalize: false, resample: 0 };
    const cropped = await pixelValues(image, parsePreprocessorConfig({ ...norm, size: 4, do_center_crop: true, crop_size: 4 }, file));
    expect(cropped).toHaveLength(3 * 4 * 4);
    expect([0, 1, 2, 3].map((x) => [at(cropped, 4, 4, 0, x, 0), at(cropped, 4, 4, 2, x, 0)])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    const object = await pixelValues(image, parsePreprocessorConfig({ ...norm, size: { shortest_edge: 4 }, do_center_crop: true, crop_size: { height: 4, width: 4 } }, file));
    expect(Array.from(object)).toEqual(Array.from(cropped));
    // {height,width} squeezes the whole image instead: red on the left edge, blue on the right.
    const squeezed = await pixelValues(image, parsePreprocessorConfig({ ...norm, size: { height: 4, width: 4 }, crop_size: 2 }, file));
    expect([at(squeezed, 4, 4, 0, 0, 0), at(squeezed, 4, 4, 2, 3, 0)]).toEqual([1, 1]);
  });

  it('names the file and the problem for forms it cannot read', () => {
    expect(() => parsePreprocessorConfig({ size: '224' }, file)).toThrow(/^preprocessor_config\.json: size: /);
    expect(() => parsePreprocessorConfig({ size: 224, do_center_crop: true }, file)).toThrow('preprocessor_config.json: do_center_crop is true but crop_size is missing');
    expect(() => parsePreprocessorConfig({ size: 224, resample: 7 }, file)).toThrow(/preprocessor_config\.json: resample: /);
    expect(() => parsePreprocessorConfig({ size: 224, image_mean: [0.5, 0.5] }, file)).toThrow(/preprocessor_config\.json: image_mean: /);
    expect(() => parsePreprocessorConfig({}, file)).toThrow('preprocessor_config.json: size: missing (neither size nor image_size is given)');
    expect(() => parsePreprocessorConfig({ size: {} }, file)).toThrow(/preprocessor_config\.json: size/);
  });
});
