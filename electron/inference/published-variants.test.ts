/**
 * The loaders on the publishers' own file trees (tests/fixtures/published, tiny random weights in
 * the exact layouts of MODELS.md appendix §1, §2, §4): every precision variant the publisher ships
 * opens by its transformers.js name and runs to the end.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Captioner } from './captioner/captioner.js';
import { loadImageEmbedder, loadTextEmbedder } from './embedders/load.js';
import { Generator } from './generator/generator.js';

const PUBLISHED = join(import.meta.dirname, '../../tests/fixtures/published');
let images: Buffer[];

beforeAll(async () => {
  images = await Promise.all(['#c03020', '#2040d0'].map((c) => sharp({ create: { width: 40, height: 30, channels: 3, background: c } }).png().toBuffer()));
});

describe('published layouts, every variant', () => {
  it.each(['fp32', 'fp16', 'q8'] as const)('Xenova/vit-gpt2-image-captioning %s captions to the end', async (dtype) => {
    const dir = join(PUBLISHED, 'Xenova--vit-gpt2-image-captioning');
    const captioner = await Captioner.load(dir, { dtype });
    try {
      expect(captioner.sessions.map((s) => s.dtype)).toEqual([dtype, dtype]);
      const out = await captioner.caption(images, { strategy: 'greedy', maxNewTokens: 6 });
      expect(out.map((c) => c.length)).toEqual([1, 1]);
      for (const c of out.flat()) {
        expect(c.tokens.length).toBeLessThanOrEqual(6);
        expect(Number.isFinite(c.score)).toBe(true);
      }
    } finally {
      await captioner.dispose();
    }
  });

  it.each(['fp32', 'fp16', 'q8'] as const)('Xenova/clip-vit-base-patch32 %s embeds images and texts', async (dtype) => {
    const dir = join(PUBLISHED, 'Xenova--clip-vit-base-patch32');
    const [image, text] = [await loadImageEmbedder(dir, { dtype }), await loadTextEmbedder(dir, { dtype })];
    try {
      expect([image.sessions[0]!.dtype, text.sessions[0]!.dtype]).toEqual([dtype, dtype]);
      const [a, b] = [await image.embedImages(images), await text.embedTexts(['a red square'])];
      for (const v of [...a, ...b]) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    } finally {
      await image.dispose();
      await text.dispose();
    }
  });

  it.each([
    ['onnx-community--stable-diffusion-v1-5-ONNX', 'pndm'],
    ['schmuell--sd-turbo-ort-web', 'euler'],
    ['SimianLuo--LCM_Dreamshaper_v7', 'lcm'],
  ] as const)('%s draws (external data, declared dtypes)', async (name, scheduler) => {
    const generator = await Generator.load(join(PUBLISHED, name));
    try {
      const options = { steps: 2, guidanceScale: scheduler === 'lcm' ? 8 : 1, scheduler, seeds: [1] };
      const size = generator.defaultSize ?? { height: 64, width: 64 };
      const [image] = await generator.generate(['a red cat'], { ...options, ...size });
      expect(image!.rgb.length).toBe(image!.width * image!.height * 3);
      expect(generator.sessions.every((s) => s.dtype === 'fp32' || s.dtype === 'fp16')).toBe(true);
    } finally {
      await generator.dispose();
    }
  });
});
