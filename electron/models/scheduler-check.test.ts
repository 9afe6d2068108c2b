import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWithOnnxRuntime } from './graph-check.js';
import type { ModelManifest } from './manifest.js';
import { checkSchedulerConfig } from './scheduler-check.js';
import { verifyFolder } from './verify.js';

const SD15 = join(import.meta.dirname, '../../tests/fixtures/published/onnx-community--stable-diffusion-v1-5-ONNX');
const tmp = mkdtempSync(join(tmpdir(), 'rt-scheduler-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the published SD 1.5 fixture with its scheduler config edited. */
function sd15With(edit: (config: Record<string, unknown>) => Record<string, unknown>): string {
  const dir = join(tmp, Math.random().toString(36).slice(2));
  cpSync(SD15, dir, { recursive: true });
  const file = join(dir, 'scheduler', 'scheduler_config.json');
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)));
  return dir;
}

describe('checkSchedulerConfig', () => {
  it('the published SD 1.5 config is fine for its PNDM', () => {
    expect(checkSchedulerConfig(SD15, undefined)).toEqual({ problems: [], warnings: [] });
  });

  it('a config the default sampler refuses is a problem, found before any run', () => {
    const dir = sd15With((c) => ({ ...c, skip_prk_steps: false }));
    expect(checkSchedulerConfig(dir, undefined).problems).toEqual([
      'scheduler/scheduler_config.json: the pndm scheduler does not support skip_prk_steps: false; set skip_prk_steps to true for PLMS as Stable Diffusion ships it (the default sampler, pndm)',
    ]);
  });

  it('a class Roundtrip lacks is a warning; the manifest’s sampler is the one checked', () => {
    const dir = sd15With((c) => ({ ...c, _class_name: 'UniPCMultistepScheduler', use_karras_sigmas: true }));
    expect(checkSchedulerConfig(dir, undefined)).toEqual({
      problems: [],
      warnings: ['scheduler/scheduler_config.json: names UniPCMultistepScheduler, which Roundtrip does not implement; runs use ddim on its schedule unless they name a sampler'],
    });
    const manifest: ModelManifest = { id: 'x', role: 'generator', family: 'stable-diffusion', name: 'x', version: '1', licence: 'x', files: [], runDefaults: { scheduler: 'euler' } };
    expect(checkSchedulerConfig(dir, manifest).problems[0]).toMatch(/the euler scheduler does not support use_karras_sigmas: true \(the default sampler, euler\)/);
  });

  it('warns when the default run would start far from the top of the schedule (SD-turbo copied without trailing spacing)', () => {
    const turbo = join(tmp, 'turbo');
    cpSync(join(import.meta.dirname, '../../tests/fixtures/published/schmuell--sd-turbo-ort-web/scheduler'), join(turbo, 'scheduler'), { recursive: true });
    const manifest: ModelManifest = { id: 'x', role: 'generator', family: 'sd-turbo', name: 'x', version: '1', licence: 'x', files: [], runDefaults: { steps: 1, guidance: 0, scheduler: 'euler' } };
    expect(checkSchedulerConfig(turbo, manifest)).toEqual({ problems: [], warnings: [] });
    const file = join(turbo, 'scheduler', 'scheduler_config.json');
    const { timestep_spacing: _trailing, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(rest));
    expect(checkSchedulerConfig(turbo, manifest)).toEqual({
      problems: [],
      warnings: [
        'scheduler/scheduler_config.json: 1 euler step with timestep_spacing "linspace" would start at timestep 0 of 1000, denoising an image that was never noisy (the result is noise); ' +
          'set "timestep_spacing": "trailing" in scheduler_config.json (as distilled models such as SD-turbo ship it) or run more steps (the default run: euler, 1 step)',
      ],
    });
    // Without run defaults the run takes 20 steps, which start at 999.
    expect(checkSchedulerConfig(turbo, undefined).warnings).toEqual([]);
  });

  it('runs inside models verify for generators', async () => {
    const dir = sd15With((c) => ({ ...c, skip_prk_steps: false }));
    const report = await verifyFolder({ id: 'x', path: dir, family: 'stable-diffusion', role: 'generator' }, { openGraph: openWithOnnxRuntime, hashes: false });
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.includes('skip_prk_steps: false'))).toBe(true);
    const good = await verifyFolder({ id: 'x', path: SD15, family: 'stable-diffusion', role: 'generator' }, { openGraph: openWithOnnxRuntime, hashes: false });
    expect(good.problems).toEqual([]);
  });
});
