import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { MANIFEST_FILE } from './manifest.js';
import { defaultGeneratorSettings } from './run-defaults.js';

function folder(manifest?: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-run-defaults-'));
  if (manifest !== undefined) writeFileSync(join(dir, MANIFEST_FILE), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const base = { id: 'x/gen', role: 'generator', family: 'stable-diffusion', name: 'gen', version: '1', licence: 'MIT', files: [] };
const general = { steps: RUN_DEFAULTS.steps, guidance: RUN_DEFAULTS.guidance, scheduler: RUN_DEFAULTS.scheduler };

/** A folder whose scheduler/scheduler_config.json names `className` (raw text when a string with a brace). */
function withScheduler(className: string, manifest?: object): string {
  const dir = folder(manifest);
  mkdirSync(join(dir, 'scheduler'));
  writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), className.includes('{') ? className : JSON.stringify({ _class_name: className }));
  return dir;
}

describe('defaultGeneratorSettings', () => {
  it('takes the steps and guidance the generator’s manifest measured, each on its own', async () => {
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 3, guidance: 1, note: 'gain sweep' } }))).toEqual({ steps: 3, guidance: 1, scheduler: RUN_DEFAULTS.scheduler });
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 3 } }))).toEqual({ ...general, steps: 3 });
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { guidance: 0 } }))).toEqual({ ...general, guidance: 0 });
  });

  it('falls back to the general defaults without a manifest, without runDefaults, or with a broken manifest', async () => {
    expect(await defaultGeneratorSettings(folder())).toEqual(general);
    expect(await defaultGeneratorSettings(folder({ ...base, family: 'demo' }))).toEqual(general);
    expect(await defaultGeneratorSettings(folder('{ not json'))).toEqual(general);
  });

  it('ignores out-of-range values rather than using them', async () => {
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { steps: 0 } }))).toEqual(general);
    expect(await defaultGeneratorSettings(folder({ ...base, runDefaults: { guidance: 99 } }))).toEqual(general);
  });

  it('takes the sampler from the manifest, else the one the publisher’s scheduler_config.json names when Roundtrip has it', async () => {
    expect((await defaultGeneratorSettings(withScheduler('EulerDiscreteScheduler', { ...base, runDefaults: { scheduler: 'lcm' } }))).scheduler).toBe('lcm');
    expect((await defaultGeneratorSettings(withScheduler('EulerDiscreteScheduler'))).scheduler).toBe('euler'); // SD-turbo
    expect((await defaultGeneratorSettings(withScheduler('EulerAncestralDiscreteScheduler'))).scheduler).toBe('euler-ancestral');
    expect((await defaultGeneratorSettings(withScheduler('LCMScheduler'))).scheduler).toBe('lcm');
    expect((await defaultGeneratorSettings(withScheduler('DDIMScheduler'))).scheduler).toBe('ddim');
    expect((await defaultGeneratorSettings(withScheduler('PNDMScheduler'))).scheduler).toBe('pndm'); // SD 1.5
    expect((await defaultGeneratorSettings(withScheduler('DPMSolverMultistepScheduler'))).scheduler).toBe('dpm-solver++');
    // A class Roundtrip does not implement: the general default
    expect((await defaultGeneratorSettings(withScheduler('UniPCMultistepScheduler'))).scheduler).toBe(RUN_DEFAULTS.scheduler);
    expect((await defaultGeneratorSettings(withScheduler('{ broken'))).scheduler).toBe(RUN_DEFAULTS.scheduler);
  });
});

describe('defaultGeneratorSettings with published run defaults', () => {
  it('a manifest without runDefaults (pulled before they were written) gets its family’s published ones', async () => {
    const dir = withScheduler('PNDMScheduler', base);
    expect(await defaultGeneratorSettings(dir)).toEqual({ steps: 50, guidance: 7.5, scheduler: 'pndm' });
    expect(await defaultGeneratorSettings(folder({ ...base, family: 'lcm' }))).toEqual({ steps: 4, guidance: 8, scheduler: 'lcm' });
  });

  it('reads the scheduler class from model_index.json when the folder has no scheduler_config.json', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'model_index.json'), JSON.stringify({ _class_name: 'OnnxStableDiffusionPipeline', scheduler: ['diffusers', 'EulerDiscreteScheduler'] }));
    expect((await defaultGeneratorSettings(dir)).scheduler).toBe('euler');
  });
});
