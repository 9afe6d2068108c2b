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
  it('reads each component’s dtype from its weights', () => {
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
    await expect(Generator.load(FP16, { dtype: 'q8' })).rejects.toThrow(`${join(FP16, 'unet', 'model.onnx')}: holds float16 weights (dtype fp16); a diffusers ONNX folder holds one variant per component, so dtype q8 cannot be chosen for it`);
    await expect(Generator.load(FP32, { dtype: 'fp16' })).rejects.toThrow(/unet\/model\.onnx: holds float32 weights \(dtype fp32\)/);
  });
});

describe('Generator on published folders whose dtype only the weights say (inputs and outputs float32)', () => {
  const PUBLISHED = join(MODELS, '../published');
  // 8-bit UNet (ConvInteger, uint8) and text encoder (MatMulInteger, int8), weights in model.onnx.data; VAE fp32.
  const INT8 = join(PUBLISHED, 'roundtrip-fixtures--stable-diffusion-v1-5-int8-onnx');

  it('opens the 8-bit folder as q8 (or uint8, its UNet’s integer type) and refuses fp16 naming the UNet', async () => {
    for (const dtype of ['q8', 'uint8'] as const) {
      const generator = await Generator.load(INT8, { dtype });
      try {
        expect(generator.sessions.map((s) => [s.file.slice(INT8.length + 1), s.dtype])).toEqual([
          ['text_encoder/model.onnx', 'q8'],
          ['unet/model.onnx', 'q8'],
          ['vae_decoder/model.onnx', 'fp32'],
        ]);
      } finally {
        await generator.dispose();
      }
    }
    await expect(Generator.load(INT8, { dtype: 'fp16' })).rejects.toThrow(`${join(INT8, 'unet', 'model.onnx')}: holds 8-bit uint8 weights (ConvInteger, DynamicQuantizeLinear, MatMulInteger: dtype q8 or uint8); a diffusers ONNX folder holds one variant per component, so dtype fp16 cannot be chosen for it`);
    await expect(Generator.load(INT8, { dtype: 'int8' })).rejects.toThrow(/unet\/model\.onnx: holds 8-bit uint8 weights/);
  });

  it('labels SD-turbo’s float16 weights fp16 though its graphs take and return float32', async () => {
    const dir = join(PUBLISHED, 'schmuell--sd-turbo-ort-web');
    const generator = await Generator.load(dir, { dtype: 'fp16' });
    try {
      expect(generator.sessions.map((s) => s.dtype)).toEqual(['fp16', 'fp16', 'fp16']);
      expect(generator.sessions.flatMap((s) => [...s.inputs, ...s.outputs]).some((t) => t.dtype === 'float16')).toBe(false);
    } finally {
      await generator.dispose();
    }
  });
});
