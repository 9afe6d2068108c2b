import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageGeneratorModel } from '../../engine/engine-models.js';
import { OnnxSession } from '../onnx/session.js';
import { randn, Xoshiro128 } from '../random/index.js';
import { alphasCumprod, betas, createScheduler, lcmGuidanceEmbedding, parseSchedulerConfig, resolveSchedulerConfig, type SchedulerKind } from '../schedulers/index.js';
import { loadPromptTokenizer } from './clip-bpe-tokenizer.js';
import { Generator } from './generator.js';
import { toPng } from './image-output.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
const SD = ['sd15-int64-timestep', 'sd-float-timestep'] as const;
const SD_SCHEDULERS: SchedulerKind[] = ['ddim', 'euler', 'euler-ancestral'];
const PROMPTS = ['a red cat', 'a blue dog'];

const generators = new Map<string, Generator>();
const tmp = mkdtempSync(join(tmpdir(), 'rt-gen-'));
const gen = (name: string) => generators.get(name)!;

/** A copy of a fixture whose scheduler config is edited (e.g. trailing spacing: 1 step at t = 999). */
function fixtureCopy(name: string, edit: (dir: string) => void): string {
  const dir = join(tmp, `${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(join(MODELS, name), dir, { recursive: true });
  edit(dir);
  return dir;
}

function trailing(dir: string): void {
  const file = join(dir, 'scheduler', 'scheduler_config.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), timestep_spacing: 'trailing' }));
}

beforeAll(async () => {
  for (const name of [...SD, 'lcm']) generators.set(name, await Generator.load(join(MODELS, name)));
});

afterAll(async () => {
  await Promise.all([...generators.values()].map((g) => g.dispose()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('Generator on the SD contract fixtures', () => {
  const cases = [...SD.flatMap((name) => SD_SCHEDULERS.map((kind) => [name, kind] as const)), ['lcm', 'lcm'] as const];
  it.each(cases)('%s generates 16×16 RGB images with %s, reproducibly per seed', async (name, scheduler) => {
    const g = gen(name);
    const settings = { steps: 3, guidanceScale: 7.5, scheduler };
    const images = await g.generate(PROMPTS, { ...settings, seeds: [1, 2] });
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect([image.width, image.height, image.rgb.length]).toEqual([16, 16, 16 * 16 * 3]);
    }
    const again = await g.generate(PROMPTS, { ...settings, seeds: [1, 2] });
    expect(again.map((i) => Buffer.from(i.rgb))).toEqual(images.map((i) => Buffer.from(i.rgb)));
    const otherSeeds = await g.generate(PROMPTS, { ...settings, seeds: [3, 4] });
    expect(Buffer.from(otherSeeds[0]!.rgb).equals(Buffer.from(images[0]!.rgb))).toBe(false);
    // Prompts differ only through the text conditioning: the same seed still gives different latents.
    const latents = await g.generateLatents(PROMPTS, { ...settings, seeds: [5, 5] });
    expect(latents.data.subarray(0, 16)).not.toEqual(latents.data.subarray(16, 32));
  });

  it.each([...SD.map((name) => [name, 'euler-ancestral'] as const), ['lcm', 'lcm'] as const])(
    '%s: an image does not depend on the rest of its batch (%s, with injected noise)',
    async (name, scheduler) => {
      const settings = { steps: 3, guidanceScale: 5, scheduler, negativePrompt: 'blurry' };
      const pair = await gen(name).generateLatents(PROMPTS, { ...settings, seeds: [11, 12] });
      const alone = await gen(name).generateLatents([PROMPTS[1]!], { ...settings, seeds: [12] });
      // Same noise stream, same conditioning; onnxruntime's kernels may round the last bit
      // differently at another batch size (here LCM's ReduceMean over timestep_cond), so equal
      // up to float32 rounding rather than bit for bit.
      Array.from(pair.data.subarray(16, 32)).forEach((v, i) => expect(v).toBeCloseTo(alone.data[i]!, 5));
    },
  );

  it('runs the UNet once per step for the whole batch; CFG doubles the rows only when guidance > 1', async () => {
    const g = gen('sd15-int64-timestep');
    const count = async (guidanceScale: number, steps = 4) => {
      g.resetStats();
      await g.generate(PROMPTS, { steps, guidanceScale, scheduler: 'ddim', seeds: [1, 2] });
      return g.stats;
    };
    expect(await count(1)).toMatchObject({ unetRuns: 4, unetEvaluations: 8, runs: { textEncoder: 1, unet: 4, vaeDecoder: 1 } });
    expect(await count(7.5)).toMatchObject({ unetRuns: 4, unetEvaluations: 16, runs: { textEncoder: 1, unet: 4 } });
    expect(g.stats.runMs).toBeGreaterThan(0);
    // An LCM UNet has guidance distilled in: never a CFG batch.
    const lcm = gen('lcm');
    lcm.resetStats();
    await lcm.generate(PROMPTS, { steps: 2, guidanceScale: 8, scheduler: 'lcm', seeds: [1, 2] });
    expect(lcm.stats).toMatchObject({ unetRuns: 2, unetEvaluations: 4 });
  });

  it('denoises at most maxBatch prompts together, each chunk with its own seeds and negative prompts', async () => {
    const g = gen('sd15-int64-timestep');
    const prompts = ['a', 'b', 'c', 'd', 'e'];
    const settings = { steps: 2, guidanceScale: 3, scheduler: 'ddim' as const, seeds: [1, 2, 3, 4, 5], negativePrompt: ['n1', 'n2', 'n3', 'n4', 'n5'] };
    g.resetStats();
    const chunked = await g.generate(prompts, { ...settings, maxBatch: 2 });
    expect(g.stats).toMatchObject({ unetRuns: 6, unetEvaluations: 20, runs: { textEncoder: 3, vaeDecoder: 3 } });
    const last = await g.generate(['e'], { ...settings, seeds: [5], negativePrompt: ['n5'] });
    expect(Buffer.from(chunked[4]!.rgb).equals(Buffer.from(last[0]!.rgb))).toBe(true);
    await expect(g.generate(prompts, { ...settings, maxBatch: 0 })).rejects.toThrow(/maxBatch must be a positive integer/);
  });

  it('is the engine\'s ImageGeneratorModel', () => {
    const model: ImageGeneratorModel = gen('lcm');
    expect(typeof model.generate).toBe('function');
  });

  it('reports progress after each step', async () => {
    const seen: string[] = [];
    await gen('sd-float-timestep').generate(['x'], { steps: 3, guidanceScale: 1, scheduler: 'euler', seeds: [0], onStep: (p) => seen.push(`${p.step}/${p.steps}`) });
    expect(seen).toEqual(['1/3', '2/3', '3/3']);
  });
});

/** Text conditioning computed outside the Generator: tokenizer + a direct text_encoder run. */
async function handEncode(dir: string, text: string): Promise<ort.Tensor> {
  const encoder = await OnnxSession.open(join(dir, 'text_encoder', 'model.onnx'));
  const ids = loadPromptTokenizer(join(dir, 'tokenizer')).encode([text])[0]!;
  const spec = encoder.input('input_ids');
  const feed = spec.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(ids), [1, ids.length]) : new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
  const hidden = (await encoder.run({ input_ids: feed })).last_hidden_state!;
  await encoder.dispose();
  return hidden;
}

describe('the timestep reaches the UNet as each export declares it', () => {
  it.each([
    ['sd15-int64-timestep', new ort.Tensor('int64', BigInt64Array.of(999n), [1])],
    ['sd-float-timestep', new ort.Tensor('float32', Float32Array.of(999), [])],
  ])('%s: one trailing DDIM step (t = 999) equals a hand-run UNet call and the DDIM formula', async (name, timestep) => {
    const dir = fixtureCopy(name, trailing);
    const g = await Generator.load(dir);
    const seed = 42;
    const got = await g.generateLatents(['a red cat'], { steps: 1, guidanceScale: 1, scheduler: 'ddim', seeds: [seed] });
    await g.dispose();

    const x = randn([1, 4, 2, 2], new Xoshiro128(seed)); // DDIM's init_noise_sigma is 1
    const unet = await OnnxSession.open(join(dir, 'unet', 'model.onnx'));
    const eps = (await unet.run({ sample: new ort.Tensor('float32', x, [1, 4, 2, 2]), timestep, encoder_hidden_states: await handEncode(dir, 'a red cat') })).out_sample!.data as Float32Array;
    await unet.dispose();
    const config = resolveSchedulerConfig(parseSchedulerConfig(JSON.parse(readFileSync(join(dir, 'scheduler/scheduler_config.json'), 'utf8')), 'test'), 'ddim', 'test');
    const ac = alphasCumprod(betas(config));
    const [at, aPrev] = [ac[999]!, ac[0]!]; // 999 − 1000 < 0 and set_alpha_to_one is false: ᾱ_0
    const expected = Array.from(x, (xi, i) => {
      const x0 = (xi - Math.sqrt(1 - at) * eps[i]!) / Math.sqrt(at);
      return Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps[i]!;
    });
    Array.from(got.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });

  it('lcm: timestep_cond carries the guidance embedding of w = g − 1 (one LCM step, hand-run)', async () => {
    const dir = join(MODELS, 'lcm');
    const got = await gen('lcm').generateLatents(['a red cat'], { steps: 1, guidanceScale: 8, scheduler: 'lcm', seeds: [7] });
    const scheduler = createScheduler(parseSchedulerConfig(JSON.parse(readFileSync(join(dir, 'scheduler/scheduler_config.json'), 'utf8')), 'test'), 'lcm', 1);
    const rng = new Xoshiro128(7);
    const x = randn([1, 4, 2, 2], rng);
    const unet = await OnnxSession.open(join(dir, 'unet', 'model.onnx'));
    const eps = (
      await unet.run({
        sample: new ort.Tensor('float32', x, [1, 4, 2, 2]),
        timestep: new ort.Tensor('int64', BigInt64Array.of(BigInt(scheduler.timesteps[0]!)), [1]),
        encoder_hidden_states: await handEncode(dir, 'a red cat'),
        timestep_cond: new ort.Tensor('float32', lcmGuidanceEmbedding(7, 256), [1, 256]),
      })
    ).out_sample!.data as Float32Array;
    await unet.dispose();
    const expected = scheduler.step(eps, 0, x, rng);
    Array.from(got.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });
});

describe('VAE helpers, outputs and errors', () => {
  it('encodes an image to [1, 4, h/8, w/8] UNet-space latents and writes PNGs', async () => {
    const g = gen('sd15-int64-timestep');
    const [image] = await g.generate(['a red cat'], { steps: 2, guidanceScale: 3, scheduler: 'euler', seeds: [9] });
    const latents = await g.encodeImage(image!);
    expect(latents.dims).toEqual([1, 4, 2, 2]);
    expect(latents.data.every(Number.isFinite)).toBe(true);
    expect(await g.decodeLatents(latents)).toHaveLength(1);
    const png = await toPng(image!);
    const raw = await sharp(png).raw().toBuffer();
    expect(raw.equals(Buffer.from(image!.rgb))).toBe(true);
  });

  it('names unet/model.onnx when it is missing, and when it has the wrong tensors', async () => {
    const missing = fixtureCopy('sd15-int64-timestep', (d) => rmSync(join(d, 'unet', 'model.onnx')));
    await expect(Generator.load(missing)).rejects.toThrow(/unet[\\/]model\.onnx: missing file/);
    const wrong = fixtureCopy('sd15-int64-timestep', (d) => cpSync(join(d, 'text_encoder', 'model.onnx'), join(d, 'unet', 'model.onnx')));
    await expect(Generator.load(wrong)).rejects.toThrow(/unet[\\/]model\.onnx: missing input 'sample'/);
  });

  it('refuses mismatched seeds and sizes that are not multiples of 8', async () => {
    const g = gen('sd-float-timestep');
    const base = { steps: 2, guidanceScale: 1, scheduler: 'ddim' as const }; // one step of a leading schedule is refused (t = 1)
    await expect(g.generate(PROMPTS, { ...base, seeds: [1] })).rejects.toThrow(/2 prompts need 2 seeds/);
    await expect(g.generate(['x'], { ...base, seeds: [1], height: 12 })).rejects.toThrow(/multiple of 8/);
    const big = await g.generate(['x'], { ...base, seeds: [1], height: 24, width: 32 });
    expect([big[0]!.width, big[0]!.height]).toEqual([32, 24]);
  });
});
