import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from './generator.js';
import { DEFAULT_VAE_SCALE_FACTOR, defaultImageSize, readGeneratorLayout, vaeScaleFactor } from './layout.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');
const DEMO = join(import.meta.dirname, '../../../resources/demo/generator');
const tmp = mkdtempSync(join(tmpdir(), 'rt-layout-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of a generator folder with both VAE configs edited (or removed, when edit returns null). */
function withVaeConfig(source: string, edit: (config: Record<string, unknown>) => Record<string, unknown> | null): string {
  const dir = join(tmp, Math.random().toString(36).slice(2));
  cpSync(source, dir, { recursive: true });
  for (const part of ['vae_decoder', 'vae_encoder']) {
    const file = join(dir, part, 'config.json');
    const next = edit(JSON.parse(readFileSync(file, 'utf8')));
    if (next) writeFileSync(file, JSON.stringify(next));
    else rmSync(file);
  }
  return dir;
}

describe('vaeScaleFactor (diffusers: 2 ** (len(block_out_channels) - 1))', () => {
  it('is 8 for SD VAEs (four blocks) and without a config or block list', () => {
    expect(vaeScaleFactor({ block_out_channels: [128, 256, 512, 512] }, 'f')).toBe(8);
    expect(vaeScaleFactor(undefined, 'f')).toBe(DEFAULT_VAE_SCALE_FACTOR);
    expect(vaeScaleFactor({ scaling_factor: 0.18215 }, 'f')).toBe(8);
  });

  it('follows the number of blocks: three give 4, one gives 1', () => {
    expect(vaeScaleFactor({ block_out_channels: [32, 64, 64] }, 'f')).toBe(4);
    expect(vaeScaleFactor({ block_out_channels: [32] }, 'f')).toBe(1);
  });

  it('takes an explicit downsampling_factor over the block count', () => {
    expect(vaeScaleFactor({ block_out_channels: [24, 48, 64], downsampling_factor: 8 }, 'f')).toBe(8);
    expect(vaeScaleFactor({ block_out_channels: [32, 64, 64], downsampling_factor: 4 }, 'f')).toBe(4);
  });

  it('refuses what is not a power of two or not a block list, naming the file', () => {
    expect(() => vaeScaleFactor({ downsampling_factor: 6 }, '/m/vae_decoder/config.json')).toThrow(/\/m\/vae_decoder\/config\.json: downsampling_factor must be a power of two.*6/);
    expect(() => vaeScaleFactor({ downsampling_factor: 0 }, 'f')).toThrow(/power of two/);
    expect(() => vaeScaleFactor({ downsampling_factor: '8' }, 'f')).toThrow(/power of two/);
    expect(() => vaeScaleFactor({ block_out_channels: [] }, 'cfg.json')).toThrow(/cfg\.json: block_out_channels must be a non-empty list/);
    expect(() => vaeScaleFactor({ block_out_channels: 3 }, 'f')).toThrow(/block_out_channels/);
  });
});

describe('readGeneratorLayout reads the factor from the VAE config', () => {
  it('the contract fixtures (no block list) stay at 8', () => {
    expect(readGeneratorLayout(join(MODELS, 'sd15-int64-timestep')).vaeScaleFactor).toBe(8);
  });

  it('uses vae_decoder/config.json, then vae_encoder/config.json, then 8', () => {
    const three = withVaeConfig(join(MODELS, 'sd15-int64-timestep'), (c) => ({ ...c, block_out_channels: [8, 16, 16] }));
    expect(readGeneratorLayout(three)).toMatchObject({ vaeScaleFactor: 4, vaeConfigFile: join(three, 'vae_decoder', 'config.json') });
    rmSync(join(three, 'vae_decoder', 'config.json'));
    expect(readGeneratorLayout(three)).toMatchObject({ vaeScaleFactor: 4, vaeConfigFile: join(three, 'vae_encoder', 'config.json') });
    const none = withVaeConfig(join(MODELS, 'sd15-int64-timestep'), () => null);
    expect(readGeneratorLayout(none)).toMatchObject({ vaeScaleFactor: 8, vaeConfigFile: null, scalingFactor: 0.18215 });
  });
});

describe('Generator with the factor from the config', () => {
  it('makes latents of size / factor and refuses sizes that are not multiples of it', async () => {
    // The fixture's decoder upsamples by 8 whatever its config says: a 3-block config (factor 4)
    // gives 4×4 latents for 16×16, which the decoder turns into 32×32 — caught, not returned.
    const dir = withVaeConfig(join(MODELS, 'sd15-int64-timestep'), (c) => ({ ...c, block_out_channels: [8, 16, 16] }));
    const g = await Generator.load(dir);
    try {
      expect(g.vaeScaleFactor).toBe(4);
      const base = { steps: 2, guidanceScale: 1, scheduler: 'ddim' as const, seeds: [1] };
      const latents = await g.generateLatents(['x'], { ...base, height: 16, width: 16 });
      expect(latents.dims).toEqual([1, 4, 4, 4]);
      await expect(g.generate(['x'], { ...base, height: 16, width: 16 })).rejects.toThrow(/turns 4×4 latents into 32×32 images, but .*vae_decoder[\\/]config\.json gives a VAE downsampling factor of 4/);
      await expect(g.generate(['x'], { ...base, height: 18, width: 16 })).rejects.toThrow(/height must be a positive multiple of 4, got 18/);
    } finally {
      await g.dispose();
    }
  });

  it('refuses at load a config that contradicts a decoder graph with fixed sizes (the demo generator)', async () => {
    const dir = withVaeConfig(DEMO, (c) => ({ ...c, downsampling_factor: 2 }));
    await expect(Generator.load(dir)).rejects.toThrow(/vae_decoder[\\/]model\.onnx turns \d+×\d+ latents into 64×64 images, but .*config\.json gives a VAE downsampling factor of 2/);
  });

  it('the demo generator makes images at its native size from its own config', async () => {
    const g = await Generator.load(DEMO);
    try {
      const unet = JSON.parse(readFileSync(join(DEMO, 'unet', 'config.json'), 'utf8')) as { sample_size: number };
      expect(g.defaultSize).toEqual({ height: unet.sample_size * g.vaeScaleFactor, width: unet.sample_size * g.vaeScaleFactor });
      const [image] = await g.generate(['a red circle'], { steps: 2, guidanceScale: 2, scheduler: 'ddim', seeds: [3] });
      expect([image!.width, image!.height]).toEqual([64, 64]);
    } finally {
      await g.dispose();
    }
  });
});

describe('image size of an SD folder without unet/config.json (onnx-community SD 1.5, MODELS.md appendix §4)', () => {
  /** The SD 1.5 contract fixture (UNet with symbolic height/width) without its unet config. */
  function withoutUnetConfig(): string {
    const dir = join(tmp, Math.random().toString(36).slice(2));
    cpSync(join(MODELS, 'sd15-int64-timestep'), dir, { recursive: true });
    rmSync(join(dir, 'unet', 'config.json'));
    return dir;
  }

  it('runs at 512×512, the default of diffusers’ OnnxStableDiffusionPipeline, and says so', async () => {
    const dir = withoutUnetConfig();
    expect(readGeneratorLayout(dir)).toMatchObject({ sampleSize: null, sampleSizeSource: null });
    const g = await Generator.load(dir);
    try {
      expect(g.defaultSize).toEqual({ height: 512, width: 512 });
      expect(g.defaultSizeSource).toMatch(/no unet\/config\.json sample_size and the UNet graph leaves height and width open: 512×512, the default of diffusers' OnnxStableDiffusionPipeline/);
      const latents = await g.generateLatents(['a red cat'], { steps: 2, guidanceScale: 1, scheduler: 'pndm', seeds: [1] });
      expect(latents.dims).toEqual([1, 4, 64, 64]);
    } finally {
      await g.dispose();
    }
  });

  it('takes unet/config.json’s sample_size when there is one, and names the file', async () => {
    const g = await Generator.load(join(MODELS, 'sd15-int64-timestep'));
    try {
      expect(g.defaultSize).toEqual({ height: 16, width: 16 }); // sample_size 2 × factor 8
      expect(g.defaultSizeSource).toBe(`${join(MODELS, 'sd15-int64-timestep', 'unet', 'config.json')} sample_size 2 × VAE factor 8`);
    } finally {
      await g.dispose();
    }
  });

  it('takes the UNet graph’s fixed sample dims over any config (static-shape exports)', () => {
    const layout = readGeneratorLayout(join(MODELS, 'sd15-int64-timestep')); // sample_size 2
    expect(defaultImageSize([3, 5], '/m/unet/model.onnx', layout)).toEqual({ height: 24, width: 40, source: '/m/unet/model.onnx fixes sample at 3×5 × VAE factor 8' });
    expect(defaultImageSize(null, '/m/unet/model.onnx', layout)).toMatchObject({ height: 16, width: 16 });
  });
});
