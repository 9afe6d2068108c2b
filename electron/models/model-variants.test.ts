import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presentVariants } from './model-variants.js';

const ROOT = join(import.meta.dirname, '../..');
const PUBLISHED = join(ROOT, 'tests/fixtures/published');

describe('presentVariants', () => {
  it('lists the dtypes every required graph of a transformers.js-layout folder has', () => {
    // ViT-GPT2: encoder and merged decoder in fp32, fp16 and q8 (the no-cache decoder is optional and has no fp16).
    expect(presentVariants({ path: join(PUBLISHED, 'Xenova--vit-gpt2-image-captioning'), family: 'vit-gpt2', role: 'captioner' })).toEqual(['fp32', 'fp16', 'q8']);
    expect(presentVariants({ path: join(PUBLISHED, 'Xenova--blip-image-captioning-base'), family: 'blip', role: 'captioner' })).toEqual(['fp32', 'q8']);
    expect(presentVariants({ path: join(PUBLISHED, 'Xenova--clip-vit-base-patch32'), family: 'clip', role: 'image-embedder' })).toEqual(['fp32', 'fp16', 'q8']);
    expect(presentVariants({ path: join(PUBLISHED, 'onnx-community--Florence-2-base-ft'), family: 'florence-2', role: 'captioner' })).toEqual(['fp32', 'fp16', 'q8']);
    expect(presentVariants({ path: join(ROOT, 'resources/demo/captioner'), family: 'demo', role: 'captioner' })).toEqual(['fp32']);
  });

  it('leaves out a dtype one required graph lacks', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-variants-')), 'vit-gpt2');
    cpSync(join(PUBLISHED, 'Xenova--vit-gpt2-image-captioning'), dir, { recursive: true });
    rmSync(join(dir, 'onnx/decoder_model_merged_fp16.onnx'));
    expect(presentVariants({ path: dir, family: 'vit-gpt2', role: 'captioner' })).toEqual(['fp32', 'q8']);
  });

  it('gives a diffusers folder the precision of its UNet’s weights, read from the file', () => {
    // SD-turbo: float16 weights behind float32 I/O; the 8-bit folder: q8 UNet (fp32 VAE); SD 1.5: fp32 in weights.pb.
    expect(presentVariants({ path: join(PUBLISHED, 'schmuell--sd-turbo-ort-web'), family: 'sd-turbo', role: 'generator' })).toEqual(['fp16']);
    expect(presentVariants({ path: join(PUBLISHED, 'roundtrip-fixtures--stable-diffusion-v1-5-int8-onnx'), family: 'stable-diffusion', role: 'generator' })).toEqual(['q8']);
    expect(presentVariants({ path: join(PUBLISHED, 'onnx-community--stable-diffusion-v1-5-ONNX'), family: 'stable-diffusion', role: 'generator' })).toEqual(['fp32']);
    expect(presentVariants({ path: join(ROOT, 'tests/fixtures/models/sd-fp16'), family: 'stable-diffusion', role: 'generator', manifestDtype: 'fp32' })).toEqual(['fp16']);
  });

  it('falls back to the manifest’s dtype when the UNet cannot be read, and gives an unknown family nothing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-variants-')), 'sd-turbo');
    cpSync(join(PUBLISHED, 'schmuell--sd-turbo-ort-web'), dir, { recursive: true });
    writeFileSync(join(dir, 'unet/model.onnx'), '{"not": "onnx"}');
    expect(presentVariants({ path: dir, family: 'sd-turbo', role: 'generator' })).toEqual([]);
    expect(presentVariants({ path: dir, family: 'sd-turbo', role: 'generator', manifestDtype: 'fp16' })).toEqual(['fp16']);
    expect(presentVariants({ path: PUBLISHED, family: undefined, role: undefined })).toEqual([]);
    expect(presentVariants({ path: join(ROOT, 'no-such-folder'), family: 'clip', role: 'image-embedder' })).toEqual([]);
  });
});
