/**
 * Run defaults of distilled generators, from `models pull` to where a user sees them: the
 * manifest, the pull's output, `models list --json`, the Models view's ModelInfo, and the
 * settings a run takes when it names none.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelCatalog } from '../backend/runs/model-catalog.js';
import type { CliIo } from '../cli/cli-io.js';
import { runCli } from '../cli/run-cli.js';
import { MANIFEST_FILE } from './manifest.js';
import { ModelRegistry } from './registry.js';
import { defaultGeneratorSettings } from './run-defaults.js';
import { startFakeHub, type FakeHub, type FakeRepo } from './testing/fake-hub.js';
import { familyFiles } from './testing/model-folders.js';

let dir: string;
let hub: FakeHub | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-run-defaults-pull-'));
  vi.stubEnv('ROUNDTRIP_HOME', join(dir, 'home'));
  vi.stubEnv('ROUNDTRIP_DEMO_MODELS', join(dir, 'demo'));
  vi.stubEnv('HF_HOME', join(dir, 'hf')); // no Hugging Face cache or token of this machine
  vi.stubEnv('HF_TOKEN', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: () => {}, progress: () => {} };
  return { code: await runCli(argv, io), out };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
/** A diffusers ONNX repo of `family`'s graphs with the publisher's scheduler class and pipeline. */
function generatorRepo(family: string, scheduler: object, pipeline: string): FakeRepo {
  const files: Record<string, Buffer> = Object.fromEntries(familyFiles(family));
  files['scheduler/scheduler_config.json'] = json(scheduler);
  files['model_index.json'] = json({ _class_name: pipeline, scheduler: ['diffusers', (scheduler as { _class_name: string })._class_name] });
  return { sha: 'abcdef0123456789abcdef0123456789abcdef01', files, lfs: Object.keys(files).filter((p) => p.endsWith('.onnx')) };
}

describe('published run defaults from pull to run', () => {
  it('LCM: 4 LCM steps, guidance 8 in the manifest, the pull output, list --json, ModelInfo and a run without settings', async () => {
    hub = await startFakeHub({ 'SimianLuo/LCM_Dreamshaper_v7': generatorRepo('lcm', { _class_name: 'LCMScheduler', original_inference_steps: 50 }, 'LatentConsistencyModelPipeline') });
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    const pulled = await cli('models', 'pull', 'SimianLuo/LCM_Dreamshaper_v7');
    expect(pulled.code).toBe(0);
    expect(pulled.out).toContain('Run defaults: 4 steps · guidance 8 · lcm (LCM as published: 4 LCM steps, guidance 8 through timestep_cond)');

    const folder = join(dir, 'home', 'models', 'SimianLuo--LCM_Dreamshaper_v7');
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as { family: string; runDefaults: object };
    expect(manifest).toMatchObject({ family: 'lcm', runDefaults: { steps: 4, guidance: 8, scheduler: 'lcm' } });

    const listed = JSON.parse((await cli('models', 'list', '--json')).out[0]!) as { id: string; runDefaults?: object }[];
    expect(listed.find((m) => m.id === 'SimianLuo/LCM_Dreamshaper_v7')?.runDefaults).toEqual(manifest.runDefaults);

    const registry = new ModelRegistry({ modelsDir: join(dir, 'home', 'models'), readOnlyRoots: [] });
    try {
      const info = (await new ModelCatalog(registry).list()).find((m) => m.id === 'SimianLuo/LCM_Dreamshaper_v7');
      expect(info?.runDefaults).toEqual(manifest.runDefaults);
    } finally {
      registry.dispose();
    }
    expect(await defaultGeneratorSettings(folder)).toEqual({ steps: 4, guidance: 8, scheduler: 'lcm' });
  });

  it('SD-turbo (family from its name): one Euler step without guidance', async () => {
    const config = { _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 };
    hub = await startFakeHub({ 'schmuell/sd-turbo-ort-web': generatorRepo('stable-diffusion', config, 'StableDiffusionPipeline') });
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    expect((await cli('models', 'pull', 'schmuell/sd-turbo-ort-web')).code).toBe(0);
    expect(await defaultGeneratorSettings(join(dir, 'home', 'models', 'schmuell--sd-turbo-ort-web'))).toEqual({ steps: 1, guidance: 0, scheduler: 'euler' });
  });

  it('SD 1.5: its PNDM, 50 steps, guidance 7.5; a captioner gets none', async () => {
    const config = { _class_name: 'PNDMScheduler', skip_prk_steps: true, steps_offset: 1, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 };
    hub = await startFakeHub({ 'onnx-community/stable-diffusion-v1-5-ONNX': generatorRepo('stable-diffusion', config, 'OnnxStableDiffusionPipeline') });
    vi.stubEnv('ROUNDTRIP_HUB_URL', hub.url);
    expect((await cli('models', 'pull', 'onnx-community/stable-diffusion-v1-5-ONNX')).code).toBe(0);
    const folder = join(dir, 'home', 'models', 'onnx-community--stable-diffusion-v1-5-ONNX');
    expect(await defaultGeneratorSettings(folder)).toEqual({ steps: 50, guidance: 7.5, scheduler: 'pndm' });
  });
});
