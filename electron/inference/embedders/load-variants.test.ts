import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageEmbedder, loadTextEmbedder } from './load.js';
import type { ImageEmbedder, TextEmbedder } from './types.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
let dir: string;
let images: Buffer[];

beforeAll(async () => {
  // Xenova/clip-vit-base-patch32's onnx/: each tower as .onnx, _fp16.onnx and _quantized.onnx (MODELS.md appendix §2).
  dir = join(mkdtempSync(join(tmpdir(), 'rt-clip-dtypes-')), 'clip');
  cpSync(join(MODELS, 'clip-vit-b32'), dir, { recursive: true });
  cpSync(join(MODELS, 'clip-vit-b32-dtypes'), dir, { recursive: true });
  images = await Promise.all(['#c03020', '#2040d0', '#30a040'].map((c) => sharp({ create: { width: 20, height: 14, channels: 3, background: c } }).png().toBuffer()));
});

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

async function withBoth<T extends ImageEmbedder | TextEmbedder>(open: () => Promise<T>, openVariant: () => Promise<T>, check: (fp32: T, variant: T) => Promise<void>): Promise<void> {
  const [a, b] = [await open(), await openVariant()];
  try {
    await check(a, b);
  } finally {
    await a.dispose();
    await b.dispose();
  }
}

describe('embedders open the precision variant asked for', () => {
  it.each(['fp16', 'q8'] as const)('CLIP image tower %s: the variant file, fed in its dtype, embeds like fp32', async (dtype) => {
    await withBoth(
      () => loadImageEmbedder(dir),
      () => loadImageEmbedder(dir, { dtype }),
      async (fp32, variant) => {
        expect(fp32.sessions[0]).toMatchObject({ dtype: 'fp32', file: join(dir, 'onnx', 'vision_model.onnx') });
        expect(variant.sessions[0]).toMatchObject({ dtype, file: join(dir, 'onnx', `vision_model${dtype === 'fp16' ? '_fp16' : '_quantized'}.onnx`) });
        const [a, b] = [await fp32.embedImages(images), await variant.embedImages(images)];
        b.forEach((v, i) => expect(cosine(v, a[i]!)).toBeGreaterThan(0.99));
      },
    );
  });

  it.each(['fp16', 'q8'] as const)('CLIP text tower %s: the variant file embeds like fp32', async (dtype) => {
    await withBoth(
      () => loadTextEmbedder(dir),
      () => loadTextEmbedder(dir, { dtype }),
      async (fp32, variant) => {
        expect(variant.sessions[0]!.dtype).toBe(dtype);
        const texts = ['a red square', 'two blue circles'];
        const [a, b] = [await fp32.embedTexts(texts), await variant.embedTexts(texts)];
        b.forEach((v, i) => expect(cosine(v, a[i]!)).toBeGreaterThan(0.99));
      },
    );
  });

  it('follows the manifest’s dtype, picks fp32 on the CPU otherwise, and names a chosen variant that is missing', async () => {
    const manifest = await loadImageEmbedder(dir, { manifestDtype: 'fp16' });
    expect(manifest.sessions[0]!.dtype).toBe('fp16');
    await manifest.dispose();
    await expect(loadTextEmbedder(dir, { dtype: 'bnb4' })).rejects.toThrow(`${join(dir, 'onnx', 'text_model_bnb4.onnx')}: missing file (dtype bnb4 was chosen for this model; present: fp32`);
  });
});
