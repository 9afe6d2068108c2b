/**
 * Issue 15, acceptance 3 (refusals): Stable Diffusion XL and a family Roundtrip cannot name are
 * refused before any model file is requested — only the listing and the small configs that name
 * the family are read, into memory — with a message naming what is missing or what was seen; a
 * gated repo without a token says how to give one.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRegistry } from './registry.js';
import { startFakeHub, type FakeHub, type FakeRepo } from './testing/fake-hub.js';
import { familyFiles } from './testing/model-folders.js';

const SHA = 'feedface0123456789abcdef0123456789abcdef';
const GB = 1024 ** 3;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
let dir: string;
let hub: FakeHub | undefined;
let registry: ModelRegistry | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-pull-refuse-'));
});
afterEach(async () => {
  registry?.dispose();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(repos: Record<string, FakeRepo>, env: NodeJS.ProcessEnv = {}) {
  hub = await startFakeHub(repos);
  registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, env, hubCacheDir: null });
  return hub;
}

/** Paths requested through `resolve` (listing requests excluded). */
const resolved = (h: FakeHub) => h.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.replace(/^.*\/resolve\/[^/]+\//, ''));

/** An SDXL ONNX export (Optimum layout): every graph declared with its real size, none served. */
function sdxlRepo(modelIndex: object | null): FakeRepo {
  return {
    sha: SHA,
    files: {
      ...(modelIndex ? { 'model_index.json': json(modelIndex) } : {}),
      'scheduler/scheduler_config.json': json({ _class_name: 'EulerDiscreteScheduler' }),
      'tokenizer/vocab.json': json({}),
      'tokenizer_2/vocab.json': json({}),
    },
    declared: {
      'text_encoder/model.onnx': 0.49 * GB,
      'text_encoder_2/model.onnx': 2.78 * GB,
      'unet/model.onnx': 0.01 * GB,
      'unet/model.onnx_data': 10.3 * GB,
      'vae_decoder/model.onnx': 0.2 * GB,
      'unet/diffusion_pytorch_model.fp16.safetensors': 5.1 * GB,
    },
  };
}

describe('pull refuses before downloading', () => {
  it('Stable Diffusion XL, naming what Roundtrip lacks, even when asked for as stable-diffusion', async () => {
    const h = await start({ 'stabilityai/sdxl-onnx': sdxlRepo({ _class_name: 'ORTStableDiffusionXLPipeline' }) });
    const message = /is Stable Diffusion XL \(model_index\.json names ORTStableDiffusionXLPipeline; the repo has text_encoder_2\/ and tokenizer_2\/\).*the second text encoder \(text_encoder_2\) with its pooled text embeds, and the added time_ids conditioning/;
    await expect(registry!.pull('stabilityai/sdxl-onnx')).rejects.toThrow(message);
    await expect(registry!.pull('stabilityai/sdxl-onnx', { family: 'stable-diffusion' })).rejects.toThrow(message);
    expect(resolved(h)).toEqual(['model_index.json', 'model_index.json']);
    expect(h.forbidden).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('SDXL known only from its listing (no model_index.json), and sdxl-turbo from its name', async () => {
    const h = await start({ 'someone/sdxl-parts': sdxlRepo(null), 'stabilityai/sdxl-turbo': { sha: SHA, files: { 'model_index.json': json({ _class_name: 'StableDiffusionPipeline' }) } } });
    await expect(registry!.pull('someone/sdxl-parts')).rejects.toThrow('someone/sdxl-parts is Stable Diffusion XL (the repo has text_encoder_2/ and tokenizer_2/)');
    await expect(registry!.pull('stabilityai/sdxl-turbo')).rejects.toThrow('stabilityai/sdxl-turbo is Stable Diffusion XL (its name says sdxl-turbo)');
    expect(resolved(h)).toEqual(['model_index.json']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an inpainting pipeline (by its class, or a UNet whose config takes other than 4 channels), even when asked for as stable-diffusion', async () => {
    const sd = (modelIndex: object, unet?: object): FakeRepo => ({
      sha: SHA,
      files: {
        'model_index.json': json(modelIndex),
        ...(unet ? { 'unet/config.json': json(unet) } : {}),
        'scheduler/scheduler_config.json': json({ _class_name: 'PNDMScheduler' }),
        'tokenizer/vocab.json': json({}),
      },
      declared: { 'text_encoder/model.onnx': 0.49 * GB, 'unet/model.onnx': 3.4 * GB, 'vae_decoder/model.onnx': 0.2 * GB },
    });
    const h = await start({
      'runwayml/inpaint-onnx': sd({ _class_name: 'OnnxStableDiffusionInpaintPipeline' }, { in_channels: 9 }),
      'someone/sd2-inpaint-onnx': sd({ _class_name: 'OnnxStableDiffusionPipeline' }, { in_channels: 9, sample_size: 64 }),
    });
    await expect(registry!.pull('runwayml/inpaint-onnx')).rejects.toThrow(/inpainting pipeline \(model_index\.json names OnnxStableDiffusionInpaintPipeline\).*mask/);
    await expect(registry!.pull('runwayml/inpaint-onnx', { family: 'stable-diffusion' })).rejects.toThrow(/inpainting pipeline/);
    await expect(registry!.pull('someone/sd2-inpaint-onnx', { family: 'stable-diffusion' })).rejects.toThrow(/unet\/config\.json gives in_channels 9.*4 latent channels/);
    expect(resolved(h).every((p) => p === 'model_index.json' || p === 'unet/config.json')).toBe(true);
    expect(h.forbidden).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a family it cannot name, saying what it saw', async () => {
    const whisper: FakeRepo = { sha: SHA, files: { 'config.json': json({ model_type: 'whisper' }) }, declared: { 'onnx/encoder_model.onnx': 0.6 * GB, 'onnx/decoder_model_merged.onnx': 0.9 * GB } };
    const flux: FakeRepo = { sha: SHA, files: { 'model_index.json': json({ _class_name: 'FluxPipeline' }) }, declared: { 'transformer/model.onnx': 23 * GB } };
    const bare: FakeRepo = { sha: SHA, files: {}, declared: { 'model.onnx': GB } };
    const h = await start({ 'openai/whisper': whisper, 'bfl/flux': flux, 'org/bare': bare });
    await expect(registry!.pull('openai/whisper')).rejects.toThrow("cannot tell which model family this is (model_type 'whisper' in config.json); pass --family (one of vit-gpt2, blip, stable-diffusion, sd-turbo, lcm");
    await expect(registry!.pull('bfl/flux')).rejects.toThrow("cannot run this diffusion model: model_index.json names FluxPipeline, and Roundtrip's generator runs StableDiffusionPipeline and LatentConsistencyModelPipeline exports");
    await expect(registry!.pull('org/bare')).rejects.toThrow('cannot tell which model family this is (no config.json or model_index.json)');
    expect(resolved(h)).toEqual(['config.json', 'model_index.json']);
    expect(h.forbidden).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a gated repo without a token, saying how to give one; with HF_TOKEN the same pull succeeds', async () => {
    const files = { ...Object.fromEntries(familyFiles('clip')), 'config.json': json({ model_type: 'clip' }) };
    const gated: FakeRepo = { sha: SHA, files, lfs: ['onnx/vision_model.onnx', 'onnx/text_model.onnx'], gated: { token: 'hf_GrantedToken' } };
    const h = await start({ 'meta/gated-clip': gated });
    await expect(registry!.pull('meta/gated-clip')).rejects.toThrow(
      `meta/gated-clip is a gated repository; accept the licence on ${h.url}/meta/gated-clip while logged in, then give Roundtrip a token: set HF_TOKEN, or run \`huggingface-cli login\``,
    );
    expect(await readdir(dir)).toEqual([]);

    registry!.dispose();
    registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: h.url, env: { HF_TOKEN: 'hf_GrantedToken' }, hubCacheDir: null });
    const before = h.requests.length;
    const { manifest } = await registry.pull('meta/gated-clip');
    expect(manifest.family).toBe('clip');
    const after = h.requests.slice(before);
    expect(after.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_GrantedToken')).toBe(true);
    expect(after.filter((r) => r.server === 'cdn').map((r) => r.authorization)).toEqual([undefined, undefined]);
  });
});
