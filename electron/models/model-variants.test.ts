import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

  it('gives a diffusers folder its manifest’s dtype only, and an unknown family nothing', () => {
    const sdTurbo = join(PUBLISHED, 'schmuell--sd-turbo-ort-web');
    expect(presentVariants({ path: sdTurbo, family: 'sd-turbo', role: 'generator' })).toEqual([]);
    expect(presentVariants({ path: sdTurbo, family: 'sd-turbo', role: 'generator', manifestDtype: 'fp16' })).toEqual(['fp16']);
    expect(presentVariants({ path: PUBLISHED, family: undefined, role: undefined })).toEqual([]);
    expect(presentVariants({ path: join(ROOT, 'no-such-folder'), family: 'clip', role: 'image-embedder' })).toEqual([]);
  });
});
