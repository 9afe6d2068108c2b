/**
 * The published generator layouts (tests/fixtures/published: tiny random-weight copies of
 * onnx-community SD 1.5, schmuell SD-turbo, LCM Dreamshaper) run to the end with the run
 * defaults their publishers document and the sampler their scheduler config names — the
 * settings a pulled folder gets (published-run-defaults.ts) — at their native size.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedRunDefaults } from '../../models/published-run-defaults.js';
import { Generator } from './generator.js';

const PUBLISHED = join(import.meta.dirname, '../../../tests/fixtures/published');

describe.each([
  // No unet/config.json and dynamic UNet dims: diffusers' ONNX pipeline default, 512².
  ['onnx-community--stable-diffusion-v1-5-ONNX', 'stable-diffusion', { steps: 50, guidance: 7.5, scheduler: 'pndm' }, 512, /512×512, the default of diffusers' OnnxStableDiffusionPipeline/],
  ['schmuell--sd-turbo-ort-web', 'sd-turbo', { steps: 1, guidance: 0, scheduler: 'euler' }, 512, /unet[\\/]config\.json sample_size 64 × VAE factor 8/],
  ['SimianLuo--LCM_Dreamshaper_v7', 'lcm', { steps: 4, guidance: 8, scheduler: 'lcm' }, 768, /unet[\\/]config\.json sample_size 96 × VAE factor 8/],
] as const)('%s', (folder, family, expected, size, sizeSource) => {
  const dir = join(PUBLISHED, folder);

  it(`runs with its published defaults (${expected.steps} ${expected.scheduler} steps, guidance ${expected.guidance}) at ${size}²`, async () => {
    const defaults = publishedRunDefaults(family, dir)!;
    expect(defaults).toMatchObject(expected);
    const g = await Generator.load(dir);
    try {
      expect(g.defaultSizeSource).toMatch(sizeSource);
      const calls: number[] = [];
      const [image] = await g.generate(['a red cat on a mat'], { steps: defaults.steps!, guidanceScale: defaults.guidance!, scheduler: defaults.scheduler!, seeds: [5], onStep: ({ step }) => calls.push(step) });
      expect([image!.width, image!.height]).toEqual([size, size]);
      // PLMS makes one model call more than its steps.
      expect(calls.length).toBe(expected.scheduler === 'pndm' ? expected.steps + 1 : expected.steps);
      const pixels = new Set(image!.rgb);
      expect(pixels.size).toBeGreaterThan(1); // an image, not a constant (NaN latents decode to one value)
    } finally {
      await g.dispose();
    }
  }, 120_000);
});

describe('an SD-turbo copy whose scheduler_config.json lost "timestep_spacing": "trailing"', () => {
  it('is refused before the first UNet call of its one-step run, naming the file and the fix, instead of drawing noise', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rt-turbo-linspace-')), 'sd-turbo');
    cpSync(join(PUBLISHED, 'schmuell--sd-turbo-ort-web'), dir, { recursive: true });
    const file = join(dir, 'scheduler', 'scheduler_config.json');
    const { timestep_spacing: _trailing, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(rest));
    const g = await Generator.load(dir);
    try {
      const calls: number[] = [];
      const run = g.generate(['a red cat on a mat'], { steps: 1, guidanceScale: 0, scheduler: 'euler', seeds: [5], onStep: ({ step }) => calls.push(step) });
      await expect(run).rejects.toThrow(`${file}: 1 euler step with timestep_spacing "linspace" would start at timestep 0 of 1000`);
      await expect(run).rejects.toThrow('set "timestep_spacing": "trailing" in scheduler_config.json');
      expect(calls).toEqual([]);
    } finally {
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
