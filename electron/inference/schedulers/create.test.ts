import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchedulerConfig, type SchedulerConfig } from './config.js';
import { createScheduler, lateStart } from './create.js';
import { readPythonJsonFile } from './python-json.js';

const PUBLISHED = join(import.meta.dirname, '../../../tests/fixtures/published');
const config = (folder: string): SchedulerConfig => parseSchedulerConfig(readPythonJsonFile(join(PUBLISHED, folder, 'scheduler', 'scheduler_config.json')), 'scheduler_config.json');
// schmuell/sd-turbo-ort-web: EulerDiscreteScheduler, timestep_spacing "trailing" (MODELS.md appendix §4).
const TURBO = config('schmuell--sd-turbo-ort-web');
const { timestep_spacing: _trailing, ...turboWithoutSpacing } = TURBO;

describe('a sampler must start near the top of the schedule', () => {
  it('SD-turbo’s one Euler step starts at t = 999 with the publisher’s trailing spacing', () => {
    expect(TURBO.timestep_spacing).toBe('trailing');
    expect(createScheduler(TURBO, 'euler', 1).timesteps).toEqual([999]);
    expect(lateStart(TURBO, 'euler', 1)).toBeUndefined();
  });

  it('finds one Euler step on a copy without timestep_spacing (linspace: t = 0), naming scheduler_config.json and the fix', () => {
    const message = lateStart(turboWithoutSpacing, 'euler', 1);
    expect(message).toBe(
      'scheduler_config.json: 1 euler step with timestep_spacing "linspace" would start at timestep 0 of 1000, denoising an image that was never noisy (the result is noise); ' +
        'set "timestep_spacing": "trailing" in scheduler_config.json (as distilled models such as SD-turbo ship it) or run more steps',
    );
    expect(createScheduler(turboWithoutSpacing, 'euler', 1).timesteps).toEqual([0]); // the arithmetic, as diffusers has it
    // Two steps of the same schedule start at 999: nothing to refuse.
    expect(lateStart(turboWithoutSpacing, 'euler', 2)).toBeUndefined();
  });

  it('holds for any sampler: one DDIM step on SD 1.5’s leading schedule would start at steps_offset', () => {
    const sd15 = config('onnx-community--stable-diffusion-v1-5-ONNX');
    expect(lateStart(sd15, 'ddim', 1)).toMatch(/1 ddim step with timestep_spacing "leading" would start at timestep 1 of 1000/);
    expect(createScheduler(sd15, 'ddim', 2).timesteps).toEqual([501, 1]);
    expect(lateStart(sd15, 'ddim', 2)).toBeUndefined();
    expect(lateStart(config('SimianLuo--LCM_Dreamshaper_v7'), 'lcm', 1)).toBeUndefined();
  });
});
