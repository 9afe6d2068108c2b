import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from './generator.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
// The same contract fixture as sd-float-timestep, converted to an fp16 export: float16 sample,
// timestep, encoder_hidden_states, latent_sample and outputs (tools/fixtures/make_dtype_variants.py).
const FP16 = join(MODELS, 'sd-fp16');
const FP32 = join(MODELS, 'sd-float-timestep');
let fp16: Generator;
let fp32: Generator;

beforeAll(async () => {
  fp16 = await Generator.load(FP16);
  fp32 = await Generator.load(FP32);
});

afterAll(async () => {
  await fp16?.dispose();
  await fp32?.dispose();
});

describe('Generator on an fp16 diffusers export', () => {
  it('reads each component’s dtype from what its graph declares', () => {
    expect(fp16.sessions.map((s) => [s.file.slice(FP16.length + 1), s.dtype])).toEqual([
      ['text_encoder/model.onnx', 'fp16'],
      ['unet/model.onnx', 'fp16'],
      ['vae_decoder/model.onnx', 'fp16'],
    ]);
    expect(fp32.sessions.map((s) => s.dtype)).toEqual(['fp32', 'fp32', 'fp32']);
  });

  it.each(['ddim', 'euler', 'euler-ancestral'] as const)('draws with %s the images the fp32 export draws, to fp16 precision', async (scheduler) => {
    const options = { steps: 3, guidanceScale: 7.5, scheduler, seeds: [1, 2] };
    const [half, full] = [await fp16.generate(['a red cat', 'a blue dog'], options), await fp32.generate(['a red cat', 'a blue dog'], options)];
    expect(half.map((i) => [i.width, i.height])).toEqual(full.map((i) => [i.width, i.height]));
    half.forEach((image, n) => {
      const diffs = Array.from(image.rgb, (v, i) => Math.abs(v - full[n]!.rgb[i]!));
      expect(Math.max(...diffs)).toBeLessThanOrEqual(2);
    });
    // And the encoder path (img2img latents) reads fp16 outputs back too.
    const latents = await fp16.encodeImage(half[0]!);
    expect(latents.data.every(Number.isFinite)).toBe(true);
  });

  it('accepts the dtype the folder declares and refuses another, naming the UNet file', async () => {
    const chosen = await Generator.load(FP16, { dtype: 'fp16' });
    await chosen.dispose();
    await expect(Generator.load(FP16, { dtype: 'q8' })).rejects.toThrow(`${join(FP16, 'unet', 'model.onnx')}: declares float16 tensors (fp16); a diffusers ONNX folder holds one variant per component, so dtype q8 cannot be chosen for it`);
    await expect(Generator.load(FP32, { dtype: 'fp16' })).rejects.toThrow(/unet\/model\.onnx: declares float32 tensors \(fp32\)/);
  });
});
