/**
 * Issue 15, acceptance 1: each family pulled from its published layout on the local hub fetches
 * only what it runs — the chosen dtype's graphs and their external data, the configs and the
 * tokenizer — never PyTorch weights (listed with their real sizes, never served), other dtypes'
 * graphs or components Roundtrip does not run; the plan's size is told before the first file;
 * and `models verify` passes on the result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAMILIES } from './families.js';
import type { OnnxDtype } from './manifest.js';
import type { PullPlanSummary } from './pull.js';
import { ModelRegistry } from './registry.js';
import { startFakeHub, type FakeHub } from './testing/fake-hub.js';
import { publishedRepo } from './testing/published-repos.js';

const SHA = '5ed4c5c0a1b2c3d4e5f60718293a4b5c6d7e8f90';
let dir: string;
let hub: FakeHub | undefined;
let registry: ModelRegistry | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-pull-published-'));
});
afterEach(async () => {
  registry?.dispose();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

const WEIGHTS = /\.(safetensors|bin|h5|msgpack|ckpt|pt)$/;

interface Case {
  repo: string;
  family: string;
  dtype?: OnnxDtype;
  /** Files the pull must bring. */
  must: string[];
  /** Paths it must never request. */
  never: RegExp;
}

const CASES: Case[] = [
  {
    repo: 'Xenova/vit-gpt2-image-captioning',
    family: 'vit-gpt2',
    must: ['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx', 'tokenizer.json', 'config.json', 'generation_config.json', 'preprocessor_config.json'],
    never: /_fp16|_quantized|decoder_model\.onnx|decoder_with_past|quantize_config/,
  },
  {
    repo: 'Xenova/vit-gpt2-image-captioning',
    family: 'vit-gpt2',
    dtype: 'q8',
    must: ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx', 'tokenizer.json'],
    never: /_fp16|(encoder_model|decoder_model_merged)\.onnx|decoder_model_quantized|decoder_with_past/,
  },
  {
    repo: 'Xenova/vit-gpt2-image-captioning',
    family: 'vit-gpt2',
    dtype: 'fp16',
    must: ['onnx/encoder_model_fp16.onnx', 'onnx/decoder_model_merged_fp16.onnx'],
    never: /_quantized|(encoder_model|decoder_model_merged)\.onnx|decoder_with_past/,
  },
  { repo: 'Xenova/clip-vit-base-patch32', family: 'clip', must: ['onnx/vision_model.onnx', 'onnx/text_model.onnx', 'tokenizer.json'], never: /_fp16|_quantized|onnx\/model\.onnx/ },
  { repo: 'Xenova/clip-vit-base-patch32', family: 'clip', dtype: 'fp16', must: ['onnx/vision_model_fp16.onnx', 'onnx/text_model_fp16.onnx'], never: /_quantized|onnx\/model|_model\.onnx/ },
  { repo: 'Xenova/blip-image-captioning-base', family: 'blip', must: ['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx', 'config.json'], never: /_quantized|_fp16/ },
  {
    repo: 'onnx-community/stable-diffusion-v1-5-ONNX',
    family: 'stable-diffusion',
    // Appendix §4: the unet's weights live in weights.pb beside it, and the tokenizer has no tokenizer.json.
    must: ['unet/model.onnx', 'unet/weights.pb', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json', 'tokenizer/vocab.json', 'tokenizer/merges.txt', 'model_index.json'],
    never: /^(safety_checker|feature_extractor|vae_encoder)\//,
  },
  {
    repo: 'schmuell/sd-turbo-ort-web',
    family: 'sd-turbo',
    must: ['unet/model.onnx', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json', 'tokenizer/vocab.json', 'model_index.json'],
    never: /^vae_encoder\//,
  },
  {
    repo: 'SimianLuo/LCM_Dreamshaper_v7',
    family: 'lcm',
    must: ['unet/model.onnx', 'unet/model.onnx_data', 'unet/config.json', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json', 'tokenizer/vocab.json'],
    never: /^(safety_checker|vae|vae_encoder|feature_extractor)\/|LCM_Dreamshaper/,
  },
];

describe.each(CASES)('pull $repo ($family, $dtype)', ({ repo, family, dtype, must, never }) => {
  it('fetches only what the family runs, says the size first, and verifies', async () => {
    const { repo: fake } = await publishedRepo(repo, SHA);
    hub = await startFakeHub({ [repo]: fake });
    registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, env: {}, hubCacheDir: null });
    const order: string[] = [];
    let plan: PullPlanSummary | undefined;
    const { manifest } = await registry.pull(repo, {
      ...(dtype ? { dtype } : {}),
      onPlan: (p) => {
        plan = p;
        order.push(`plan after ${hub!.requests.filter((r) => r.server === 'cdn').length} downloads`);
      },
    });

    expect(manifest.family).toBe(family);
    const pulled = manifest.files.map((f) => f.path);
    for (const path of must) expect(pulled, path).toContain(path);
    const requested = hub.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url.split(`/resolve/${SHA}/`)[1]!);
    for (const path of requested) {
      expect(path, 'a weight file Roundtrip never loads').not.toMatch(WEIGHTS);
      expect(path, 'a file this family and dtype do not need').not.toMatch(never);
    }
    expect(hub.forbidden).toEqual([]);
    // Every file fetched is one the manifest vouches for, and nothing else.
    expect([...new Set(requested)].sort()).toEqual(pulled);

    // The plan came before the first file from the CDN, and its size is what arrived.
    expect(order).toEqual(['plan after 0 downloads']);
    expect(plan).toMatchObject({ repo, family, files: pulled.length, bytes: manifest.files.reduce((s, f) => s + f.bytes, 0), fromCache: { files: 0, bytes: 0 } });

    // Generators carry their publisher's run defaults from the pull on (distilled ones above all).
    if (family === 'sd-turbo') expect(manifest.runDefaults).toMatchObject({ steps: 1, guidance: 0, scheduler: 'euler' });
    if (family === 'lcm') expect(manifest.runDefaults).toMatchObject({ steps: 4, guidance: 8, scheduler: 'lcm' });
    if (manifest.role !== 'generator') expect(manifest.runDefaults).toBeUndefined();

    const report = await registry.verify(repo);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.graphsChecked).toBeGreaterThanOrEqual(FAMILIES.get(family)!.graphs.filter((g) => !g.optional).length);
  });
});

describe('pull onnx-community/Florence-2-base-ft', () => {
  // The florence-2 family descriptor is added with its captioner (issue 15, part 2).
  it.runIf(FAMILIES.has('florence-2'))('fetches the four graphs of the chosen dtype and verifies', async () => {
    const repo = 'onnx-community/Florence-2-base-ft';
    const { repo: fake } = await publishedRepo(repo, SHA);
    hub = await startFakeHub({ [repo]: fake });
    registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [], hubUrl: hub.url, env: {}, hubCacheDir: null });
    const { manifest } = await registry.pull(repo, { dtype: 'fp16' });
    expect(manifest.family).toBe('florence-2');
    const graphs = manifest.files.map((f) => f.path).filter((p) => p.endsWith('.onnx'));
    expect(graphs).toEqual(['onnx/decoder_model_merged_fp16.onnx', 'onnx/embed_tokens_fp16.onnx', 'onnx/encoder_model_fp16.onnx', 'onnx/vision_encoder_fp16.onnx']);
    expect(hub.forbidden).toEqual([]);
    expect((await registry.verify(repo)).problems).toEqual([]);
  });
});
