import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestSchema } from './manifest.js';
import { publishedRunDefaults } from './published-run-defaults.js';
import { publishedScheduler } from './published-scheduler.js';

const tmp = mkdtempSync(join(tmpdir(), 'rt-published-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A generator folder with the given scheduler config and model_index.json (either may be absent). */
function folder(files: { scheduler?: object | string; modelIndex?: object }): string {
  const dir = mkdtempSync(join(tmp, 'gen-'));
  if (files.scheduler !== undefined) {
    mkdirSync(join(dir, 'scheduler'));
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), typeof files.scheduler === 'string' ? files.scheduler : JSON.stringify(files.scheduler));
  }
  if (files.modelIndex) writeFileSync(join(dir, 'model_index.json'), JSON.stringify(files.modelIndex));
  return dir;
}

describe('publishedScheduler', () => {
  it('reads _class_name from scheduler_config.json, else model_index.json’s scheduler entry', () => {
    expect(publishedScheduler(folder({ scheduler: { _class_name: 'PNDMScheduler' } }))).toEqual({ className: 'PNDMScheduler', source: 'scheduler/scheduler_config.json', scheduler: 'pndm' });
    const onlyIndex = folder({ modelIndex: { _class_name: 'OnnxStableDiffusionPipeline', scheduler: ['diffusers', 'DPMSolverMultistepScheduler'] } });
    expect(publishedScheduler(onlyIndex)).toEqual({ className: 'DPMSolverMultistepScheduler', source: 'model_index.json', scheduler: 'dpm-solver++' });
  });

  it('maps every class Roundtrip implements and names the ones it does not', () => {
    const kinds = ['DDIMScheduler', 'PNDMScheduler', 'EulerDiscreteScheduler', 'EulerAncestralDiscreteScheduler', 'LCMScheduler', 'DPMSolverMultistepScheduler'].map((c) => publishedScheduler(folder({ scheduler: { _class_name: c } }))?.scheduler);
    expect(kinds).toEqual(['ddim', 'pndm', 'euler', 'euler-ancestral', 'lcm', 'dpm-solver++']);
    expect(publishedScheduler(folder({ scheduler: { _class_name: 'UniPCMultistepScheduler' } }))).toMatchObject({ className: 'UniPCMultistepScheduler', scheduler: undefined });
    expect(publishedScheduler(folder({ scheduler: { _class_name: 'toString' } }))?.scheduler).toBeUndefined();
  });

  it('is undefined without either file or with a broken one (the generator reports those when it loads)', () => {
    expect(publishedScheduler(folder({}))).toBeUndefined();
    expect(publishedScheduler(folder({ scheduler: '{ broken' }))).toBeUndefined();
  });
});

describe('publishedRunDefaults', () => {
  it('SD-turbo: one Euler step, no guidance; LCM: 4 LCM steps, guidance 8 — whatever the folder names', () => {
    const dir = folder({ scheduler: { _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing' } });
    expect(publishedRunDefaults('sd-turbo', dir)).toMatchObject({ steps: 1, guidance: 0, scheduler: 'euler' });
    expect(publishedRunDefaults('lcm', folder({ scheduler: { _class_name: 'LCMScheduler' } }))).toMatchObject({ steps: 4, guidance: 8, scheduler: 'lcm' });
  });

  it('SD: the sampler the folder names (SD 1.5: PNDM), 50 steps, guidance 7.5', () => {
    const sd15 = folder({ scheduler: { _class_name: 'PNDMScheduler', skip_prk_steps: true } });
    expect(publishedRunDefaults('stable-diffusion', sd15)).toEqual({
      steps: 50,
      guidance: 7.5,
      scheduler: 'pndm',
      note: 'diffusers StableDiffusionPipeline defaults: 50 steps, guidance 7.5; sampler PNDMScheduler from scheduler/scheduler_config.json',
    });
    // A class Roundtrip lacks: no sampler in the defaults (the run uses DDIM), and the note says why.
    const unipc = publishedRunDefaults('stable-diffusion', folder({ scheduler: { _class_name: 'UniPCMultistepScheduler' } }));
    expect(unipc).toMatchObject({ steps: 50, guidance: 7.5 });
    expect(unipc?.scheduler).toBeUndefined();
    expect(unipc?.note).toMatch(/UniPCMultistepScheduler \(named in scheduler\/scheduler_config\.json\) is not implemented, DDIM is used/);
  });

  it('nothing for families without published generator defaults', () => {
    for (const family of ['vit-gpt2', 'clip', 'demo', 'florence-2', 'constructor']) expect(publishedRunDefaults(family, folder({}))).toBeUndefined();
  });

  it('every result is a valid manifest runDefaults', () => {
    const dir = folder({ scheduler: { _class_name: 'PNDMScheduler' } });
    for (const family of ['sd-turbo', 'lcm', 'stable-diffusion']) {
      const runDefaults = publishedRunDefaults(family, dir);
      expect(() => manifestSchema.shape.runDefaults.parse(runDefaults)).not.toThrow();
    }
  });
});
