import { describe, expect, it } from 'vitest';
import { descriptorFor, FAMILIES, graphPath } from './families.js';
import { manifestSchema } from './manifest.js';
import { inferFamily } from './infer-family.js';
import { resolveDescriptor, selectFiles } from './select-files.js';

describe('family descriptors', () => {
  it('are frozen, deep down', () => {
    const vit = FAMILIES.get('vit-gpt2')!;
    expect(Object.isFrozen(vit) && Object.isFrozen(vit.graphs[0]!.inputs[0]!.dtypes)).toBe(true);
    expect(() => (vit.graphs as unknown[]).push({})).toThrow();
  });

  it('map the demo family to the public layout of its role', () => {
    expect(descriptorFor('demo', 'captioner')!.family).toBe('vit-gpt2');
    expect(descriptorFor('demo', 'generator')!.family).toBe('stable-diffusion');
    expect(descriptorFor('demo', 'text-embedder')!.family).toBe('clip');
    expect(descriptorFor('demo')).toBeUndefined();
    expect(descriptorFor('nope')).toBeUndefined();
  });

  it('name dtype variants the way transformers.js does, only in onnx/ layouts', () => {
    const vit = FAMILIES.get('vit-gpt2')!;
    expect(graphPath(vit, vit.graphs[0]!, 'q8')).toBe('onnx/encoder_model_quantized.onnx');
    expect(graphPath(vit, vit.graphs[1]!, 'q4f16')).toBe('onnx/decoder_model_merged_q4f16.onnx');
    const sd = FAMILIES.get('stable-diffusion')!;
    expect(graphPath(sd, sd.graphs[1]!, 'fp16')).toBe('unet/model.onnx');
  });
});

describe('selectFiles', () => {
  it('require the configs each loader reads (a pull that lacks one would verify and then fail to open)', () => {
    // vit-gpt2 / BLIP: special-tokens.ts reads config.json, captioner.ts preprocessor_config.json;
    // CLIP / DINOv2: the embedders read config.json (model_type, projection or hidden size) and
    // preprocessor_config.json; sentence encoders config.json (model_type, hidden_size).
    const needs: Record<string, string[]> = {
      'vit-gpt2': ['config.json', 'preprocessor_config.json', 'tokenizer.json'],
      blip: ['config.json', 'preprocessor_config.json', 'tokenizer.json'],
      clip: ['config.json', 'preprocessor_config.json', 'tokenizer.json'],
      dinov2: ['config.json', 'preprocessor_config.json'],
      'sentence-transformers': ['config.json', 'tokenizer.json'],
      'florence-2': ['config.json', 'preprocessor_config.json', 'tokenizer.json'],
    };
    for (const [family, files] of Object.entries(needs)) {
      const descriptor = FAMILIES.get(family)!;
      const graphsOnly = descriptor.graphs.map((g) => graphPath(descriptor, g));
      expect(selectFiles(descriptor, graphsOnly).missing.sort(), family).toEqual(files);
      // generation_config.json is optional: each captioner has a fallback (config.json, its decoder or text_config).
      expect(descriptor.requiredFiles, family).not.toContain('generation_config.json');
    }
  });

  it('takes the chosen dtype, external data and configs, and skips the rest', () => {
    const available = [
      'README.md', 'config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt', 'modules.json', '1_Pooling/config.json',
      'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data', 'openvino/openvino_model.xml',
    ];
    const st = FAMILIES.get('sentence-transformers')!;
    expect(selectFiles(st, available, 'q8')).toEqual({
      files: ['1_Pooling/config.json', 'config.json', 'modules.json', 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data', 'tokenizer.json', 'vocab.txt'],
      missing: [],
    });
    expect(selectFiles(st, ['onnx/model.onnx', 'config.json'], 'fp32').missing).toEqual(['tokenizer.json']);
    expect(selectFiles(st, [], 'fp16').missing).toEqual(['onnx/model_fp16.onnx', 'tokenizer.json', 'config.json']);
  });

  it('takes whole component folders in the diffusers layout, but not other graphs', () => {
    const sd = FAMILIES.get('stable-diffusion')!;
    const available = ['unet/model.onnx', 'unet/weights.pb', 'unet/config.json', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'vae_encoder/model.onnx', 'scheduler/scheduler_config.json', 'tokenizer/merges.txt', 'tokenizer/vocab.json', 'safety_checker/model.onnx'];
    expect(selectFiles(sd, available).files).toEqual([
      'scheduler/scheduler_config.json', 'text_encoder/model.onnx', 'tokenizer/merges.txt', 'tokenizer/vocab.json', 'unet/config.json', 'unet/model.onnx', 'unet/weights.pb', 'vae_decoder/model.onnx',
    ]);
    expect(selectFiles(sd, available.filter((p) => !p.startsWith('tokenizer/'))).missing).toEqual(['tokenizer/']);
  });
});

describe('inferFamily', () => {
  it.each([
    [{ files: [], config: { model_type: 'vision-encoder-decoder' } }, 'vit-gpt2'],
    [{ files: [], config: { model_type: 'clip' } }, 'clip'],
    [{ files: [], config: { model_type: 'dinov2' } }, 'dinov2'],
    [{ files: ['modules.json'], config: { model_type: 'bert' } }, 'sentence-transformers'],
    [{ files: ['unet/model.onnx'] }, 'stable-diffusion'],
    [{ files: [], modelIndexText: '{"_class_name":"StableDiffusionPipeline"}' }, 'stable-diffusion'],
    [{ files: [], modelIndexText: '{"scheduler":["diffusers","LCMScheduler"]}' }, 'lcm'],
  ])('%j → %s', (hints, family) => {
    expect(inferFamily(hints)).toBe(family);
  });

  it('asks for --family when it cannot tell', () => {
    expect(() => inferFamily({ files: ['config.json'], config: { model_type: 'bert' } })).toThrow("cannot tell which model family this is (model_type 'bert' in config.json); pass --family (one of vit-gpt2, blip");
    expect(() => resolveDescriptor('clip', 'captioner')).toThrow("family 'clip' cannot be a captioner (it can be image-embedder or text-embedder)");
  });
});

describe('manifest schema', () => {
  const base = { id: 'a', role: 'captioner', family: 'vit-gpt2', name: 'a', version: '1', licence: 'MIT', files: [] };
  it('accepts a minimal manifest and rejects paths that leave the folder or bad hashes', () => {
    expect(manifestSchema.safeParse(base).success).toBe(true);
    const file = (path: string, sha256 = 'a'.repeat(64)) => ({ ...base, files: [{ path, sha256, bytes: 1 }] });
    expect(manifestSchema.safeParse(file('onnx/model.onnx')).success).toBe(true);
    for (const bad of ['../x', '/etc/passwd', 'a//b', 'a\\b']) expect(manifestSchema.safeParse(file(bad)).success).toBe(false);
    expect(manifestSchema.safeParse(file('x', 'ABC')).success).toBe(false);
  });
});
