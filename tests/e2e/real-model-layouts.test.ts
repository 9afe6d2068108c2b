/**
 * Issue 15, acceptance 1, as a user runs it: every family from its published layout
 * (tests/fixtures/published/, served by the local hub with realistic listings) is pulled with
 * `roundtrip models pull`, checked with `roundtrip models verify`, and then used in a run with the
 * run's defaults — a `suggest` run for captioners; for generators and CLIP, a suggest run with the
 * model in its role (CLIP also as the text embedder of a `verify-images` run). The demo models
 * (resources/demo) fill the other roles. No steps, guidance or sampler are given: each run must
 * record the generator's own (published-run-defaults.ts, the demo's manifest).
 *
 * Precision variants run to the end too: ViT-GPT2 pulled as fp16 and q8, Florence-2 as q8;
 * generators SD-turbo (fp16 inside, float32 I/O: MODELS.md appendix §4), an SD folder with
 * float16 I/O (tests/fixtures/models/sd-fp16, served under our own repo name) and an 8-bit SD 1.5
 * export (tools/published-fixtures/sd15_int8.py, also ours).
 *
 * The commands run in this process (`runCli`, the same entry as bin/roundtrip.mjs) against the
 * source, with ROUNDTRIP_HOME and ROUNDTRIP_HUB_URL pointing at temporary folders and the local
 * hub, and an empty Hugging Face cache so every file comes over HTTP.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuggestRunSettings } from '../../electron/engine/suggest-run.js';
import { captionerMaxNewTokens } from '../../electron/engine/caption-length.js';
import type { VerifyImagesRunSettings } from '../../electron/engine/verify-images-run.js';
import { runCli } from '../../electron/cli/run-cli.js';
import { readManifest } from '../../electron/models/manifest.js';
import { repoFromFolder, startFakeHub, type FakeHub, type FakeRepo } from '../../electron/models/testing/fake-hub.js';
import { PUBLISHED_REPOS, publishedRepo } from '../../electron/models/testing/published-repos.js';
import { Project } from '../../electron/storage/project.js';
import { writeCocoFixture, writeSquareImage } from '../fixtures/make-images.js';

const ROOT = join(import.meta.dirname, '../..');
const DEMO = join(ROOT, 'resources/demo');
const FP16_IO = 'roundtrip-fixtures/sd-fp16-io16';
const INT8 = 'roundtrip-fixtures/stable-diffusion-v1-5-int8-onnx';
const SHA = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
/** PyTorch / TF / Flax weights: a pull of an ONNX layout never asks for them. */
const WEIGHTS = /\.(safetensors|bin|h5|msgpack|ckpt|pt)$/;

let scratch: string;
let hub: FakeHub;
let project: string;
let cocoProject: string;
const savedEnv = { ...process.env };

interface Cli {
  code: number;
  out: string;
  err: string;
}

async function roundtrip(...args: string[]): Promise<Cli> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rt-real-layouts-'));
  const repos: Record<string, FakeRepo> = {};
  for (const repo of PUBLISHED_REPOS) repos[repo] = (await publishedRepo(repo, SHA)).repo;
  // An SD folder whose graphs take and return float16 (like amd/stable-diffusion-1.5_io16_amdgpu): ours, tests/fixtures/models.
  repos[FP16_IO] = await repoFromFolder(join(ROOT, 'tests/fixtures/models/sd-fp16'), { sha: SHA, license: 'mit' });
  hub = await startFakeHub(repos);
  process.env.ROUNDTRIP_HUB_URL = hub.url;
  process.env.ROUNDTRIP_DEMO_MODELS = DEMO;
  // An empty Hugging Face cache and no token: every file comes from the hub.
  process.env.HF_HOME = join(scratch, 'hf-home');
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) delete process.env[name];

  // Three small images, one project for the suggest runs; a COCO project (references) for verify-images.
  const images = join(scratch, 'images');
  mkdirSync(images);
  for (const [i, colour] of (['red', 'blue', 'green'] as const).entries()) await writeSquareImage(join(images, `${i}.png`), colour, 48);
  project = join(scratch, 'project');
  expect((await roundtrip('init', project)).code).toBe(0);
  expect((await roundtrip('import', project, '--folder', images)).code).toBe(0);
  const coco = await writeCocoFixture(join(scratch, 'coco'), 2);
  cocoProject = join(scratch, 'coco-project');
  expect((await roundtrip('init', cocoProject)).code).toBe(0);
  expect((await roundtrip('import', cocoProject, '--coco', coco.file, '--images', coco.imagesDir)).code).toBe(0);
});

afterAll(async () => {
  await hub?.close();
  process.env = savedEnv;
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * `roundtrip models pull REPO [--dtype D]` into a models folder of its own, then
 * `roundtrip models verify REPO`; returns the pulled folder and the files fetched.
 */
async function pullAndVerify(repo: string, dtype?: string): Promise<{ dir: string; fetched: string[] }> {
  process.env.ROUNDTRIP_HOME = join(scratch, `home-${repo.replace('/', '--')}-${dtype ?? 'default'}`);
  const before = hub.requests.length;
  const pulled = await roundtrip('models', 'pull', repo, ...(dtype ? ['--dtype', dtype] : []));
  expect(pulled.code, pulled.out + pulled.err).toBe(0);
  expect(pulled.out).toMatch(new RegExp(`^Pulled ${repo} `, 'm'));
  const fetched = hub.requests
    .slice(before)
    .filter((r) => r.server === 'hub' && r.url.includes('/resolve/'))
    .map((r) => decodeURIComponent(r.url.split(`/resolve/${SHA}/`)[1]!));
  for (const path of fetched) expect(path, 'a weight file Roundtrip never loads').not.toMatch(WEIGHTS);
  expect(hub.forbidden).toEqual([]);

  const verified = await roundtrip('models', 'verify', repo);
  expect(verified.code, verified.out + verified.err).toBe(0);
  expect(verified.out).toMatch(new RegExp(`^ok  +${repo} `, 'm'));
  const dir = join(process.env.ROUNDTRIP_HOME, 'models', repo.replace('/', '--'));
  // Exactly what the manifest vouches for was fetched.
  const manifest = await readManifest(dir);
  expect([...new Set(fetched)].sort()).toEqual(manifest!.files.map((f) => f.path).sort());
  return { dir, fetched };
}

/** The ONNX graphs in a pulled folder, relative to it. */
function graphsIn(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.onnx') ? [join(d, e.name)] : []));
  return walk(dir)
    .map((f) => relative(dir, f))
    .sort();
}

interface RunResult {
  settings: SuggestRunSettings;
  /** Per image: its candidates' text, rank, similarity and reconstruction size. */
  images: { text: string; rank: number | null; similarity: number | null; size: [number, number] | null }[][];
}

/** `roundtrip suggest` with only the models named (and a few candidates): every other setting is the run's default. */
async function suggest(models: { captioner?: string; generator?: string; embedder?: string }): Promise<RunResult> {
  const run = await roundtrip(
    'suggest',
    project,
    '--captioner',
    models.captioner ?? join(DEMO, 'captioner'),
    '--generator',
    models.generator ?? join(DEMO, 'generator'),
    '--embedder',
    models.embedder ?? join(DEMO, 'clip'),
    '--candidates',
    '3',
  );
  expect(run.code, run.err).toBe(0);
  const runId = Number(/^Run (\d+) completed: 3 done, 0 failed of 3/m.exec(run.out)?.[1]);
  expect(runId, run.out).toBeGreaterThan(0);
  const opened = Project.open(project);
  try {
    const stored = opened.runs.get(runId)!;
    expect(stored).toMatchObject({ status: 'completed', done: 3, failed: 0, total: 3 });
    const images = [];
    for (const image of opened.images.list({ offset: 0, limit: 10 }).items) {
      const candidates = [];
      for (const c of opened.runs.candidates(runId, image.id)) {
        const file = c.reconstruction ? join(opened.dir, c.reconstruction) : null;
        const meta = file && existsSync(file) ? await sharp(readFileSync(file)).metadata() : null;
        candidates.push({ text: c.text, rank: c.rank, similarity: c.similarity, size: meta ? ([meta.width!, meta.height!] as [number, number]) : null });
      }
      images.push(candidates);
    }
    return { settings: stored.settings as SuggestRunSettings, images };
  } finally {
    opened.dispose();
  }
}

/** Every image got its candidates, ranked by reconstruction similarity, each with its reconstruction written at `size`. */
function expectRankedReconstructions(result: RunResult, size: number): void {
  expect(result.images).toHaveLength(3);
  for (const candidates of result.images) {
    expect(candidates).toHaveLength(3);
    // One reconstruction per distinct caption: identical captions share its rank.
    const distinct = new Set(candidates.map((c) => c.text)).size;
    expect([...new Set(candidates.map((c) => c.rank))].sort()).toEqual(Array.from({ length: distinct }, (_, i) => i + 1));
    for (const c of candidates) {
      // Decoded text, special tokens stripped (a tiny random model may well stop at once).
      expect(c.text).not.toMatch(/<\|endoftext\|>|\[SEP\]|\[DEC\]|<\/?s>|<pad>/);
      expect(c.similarity).toEqual(expect.any(Number));
      expect(c.size).toEqual([size, size]);
    }
  }
}

/** resources/demo/generator/roundtrip-model.json `runDefaults`: 4 DDIM steps (its scheduler config) without guidance. */
const DEMO_GENERATOR_DEFAULTS = { steps: 4, guidanceScale: 1, scheduler: 'ddim' };

describe('captioners from their published layouts: pull, verify, suggest with the defaults', () => {
  it.each([
    ['Xenova/vit-gpt2-image-captioning', undefined, ['onnx/decoder_model_merged.onnx', 'onnx/encoder_model.onnx']],
    ['Xenova/vit-gpt2-image-captioning', 'fp16', ['onnx/decoder_model_merged_fp16.onnx', 'onnx/encoder_model_fp16.onnx']],
    ['Xenova/vit-gpt2-image-captioning', 'q8', ['onnx/decoder_model_merged_quantized.onnx', 'onnx/encoder_model_quantized.onnx']],
    ['Xenova/blip-image-captioning-base', undefined, ['onnx/decoder_model_merged.onnx', 'onnx/encoder_model.onnx']],
    [
      'onnx-community/Florence-2-base-ft',
      undefined,
      ['onnx/decoder_model_merged.onnx', 'onnx/embed_tokens.onnx', 'onnx/encoder_model.onnx', 'onnx/vision_encoder.onnx'],
    ],
    [
      'onnx-community/Florence-2-base-ft',
      'q8',
      ['onnx/decoder_model_merged_quantized.onnx', 'onnx/embed_tokens_quantized.onnx', 'onnx/encoder_model_quantized.onnx', 'onnx/vision_encoder_quantized.onnx'],
    ],
  ] as const)('%s (%s)', async (repo, dtype, graphs) => {
    const { dir } = await pullAndVerify(repo, dtype);
    // Only the chosen variant is in the folder, so the run below can only have opened it.
    expect(graphsIn(dir)).toEqual(graphs);
    const result = await suggest({ captioner: dir });
    expect(result.settings.models.captioner.dir).toBe(dir);
    expect(result.settings.generation).toEqual(DEMO_GENERATOR_DEFAULTS);
    // Top-p with the greedy caption first, at the captioner's own length (its configs), none given here.
    expect(result.settings.decoding).toMatchObject({ strategy: 'sample', topP: 0.9, numReturnSequences: 3, greedyFirst: true, maxNewTokens: captionerMaxNewTokens(dir) });
    expectRankedReconstructions(result, 64);
  });
});

describe('generators from their published layouts: pull, verify, suggest with the publisher\'s defaults', () => {
  it.each([
    // MODELS.md appendix §4: no unet/config.json (the sample size comes from elsewhere), weights.pb; PNDM named, 50 steps, guidance 7.5.
    ['onnx-community/stable-diffusion-v1-5-ONNX', { steps: 50, guidanceScale: 7.5, scheduler: 'pndm' }, 512],
    // One Euler step on trailing timesteps, no guidance (published-run-defaults.ts). Its graphs
    // compute in fp16 behind float32 inputs and outputs, as the ORT web demo feeds them: the fp16 generator run.
    ['schmuell/sd-turbo-ort-web', { steps: 1, guidanceScale: 0, scheduler: 'euler' }, 512],
    // 4 LCM steps, guidance 8 through timestep_cond; unet/model.onnx_data; sample_size 96.
    ['SimianLuo/LCM_Dreamshaper_v7', { steps: 4, guidanceScale: 8, scheduler: 'lcm' }, 768],
  ] as const)('%s', async (repo, defaults, size) => {
    const { dir } = await pullAndVerify(repo);
    const result = await suggest({ generator: dir });
    expect(result.settings.models.generator.dir).toBe(dir);
    expect(result.settings.generation).toEqual(defaults);
    expectRankedReconstructions(result, size);
  });
});

describe('CLIP from its published layout as the image and the text embedder', () => {
  it('pull, verify; a suggest run ranks by it; a verify-images run scores references with it', async () => {
    const { dir } = await pullAndVerify('Xenova/clip-vit-base-patch32');
    expect(graphsIn(dir)).toEqual(['onnx/text_model.onnx', 'onnx/vision_model.onnx']);
    const suggested = await suggest({ embedder: dir });
    expect(suggested.settings.models.embedder.dir).toBe(dir);
    expectRankedReconstructions(suggested, 64);

    const run = await roundtrip(
      'verify-images',
      cocoProject,
      '--captioner',
      join(DEMO, 'captioner'),
      '--generator',
      join(DEMO, 'generator'),
      '--embedder',
      dir,
      '--text-embedder',
      dir,
    );
    expect(run.code, run.err).toBe(0);
    const runId = Number(/^Run (\d+) completed: 2 done, 0 failed of 2/m.exec(run.out)?.[1]);
    expect(runId, run.out).toBeGreaterThan(0);
    const opened = Project.open(cocoProject);
    try {
      const settings = opened.runs.get(runId)!.settings as VerifyImagesRunSettings;
      expect(settings.models).toMatchObject({ embedder: { dir }, textEmbedder: { dir } });
      expect(settings.generation).toEqual(DEMO_GENERATOR_DEFAULTS);
      for (const imageId of opened.runs.itemImageIds(runId)) {
        const generated = opened.runs.generatedImages(runId, imageId);
        expect(generated.length).toBeGreaterThan(0);
        for (const g of generated) {
          // The recaption scored against its reference through CLIP's text tower, the image through its vision tower.
          expect(g.recaption).toEqual(expect.any(String));
          expect(g.textSimilarity).toEqual(expect.any(Number));
          expect(g.realSimilarity).toEqual(expect.any(Number));
          expect(g.rank).toBeGreaterThanOrEqual(1);
          expect(existsSync(join(opened.dir, g.path))).toBe(true);
        }
      }
    } finally {
      opened.dispose();
    }
  });
});

describe('generator precision variants, pulled and run to the end with their defaults', () => {
  const sd15 = { steps: 50, guidanceScale: 7.5, scheduler: 'pndm' };

  it('q8: SD 1.5 with 8-bit UNet and text encoder (weights in model.onnx.data), VAE fp32', async () => {
    const { dir, fetched } = await pullAndVerify(INT8);
    expect(fetched).toEqual(expect.arrayContaining(['unet/model.onnx.data', 'text_encoder/model.onnx.data']));
    // The graphs that ran are the 8-bit ones: integer kernels, no float weights left to multiply.
    const unet = readFileSync(join(dir, 'unet/model.onnx')).toString('latin1');
    expect(unet).toContain('ConvInteger');
    expect(readFileSync(join(dir, 'text_encoder/model.onnx')).toString('latin1')).toContain('MatMulInteger');
    const result = await suggest({ generator: dir });
    expect(result.settings.generation).toEqual(sd15);
    expectRankedReconstructions(result, 512);
  });

  it('fp16: a folder whose graphs take and return float16', async () => {
    const { dir } = await pullAndVerify(FP16_IO);
    const result = await suggest({ generator: dir });
    // Its scheduler_config.json names PNDM; the family's defaults give 50 steps and guidance 7.5.
    expect(result.settings.generation).toEqual(sd15);
    // unet/config.json sample_size 2 → 16 px.
    expectRankedReconstructions(result, 16);
  });
});
