/**
 * Reading scheduler_config.json: clear errors naming the file and key, diffusers' from_config
 * default rules (per-target defaults, `_use_default_values`), and refusal of options we do not
 * implement.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { SCHEDULER_KINDS, parseSchedulerConfig, resolveSchedulerConfig } from './config.js';
import { createScheduler } from './create.js';

const FILE = '/models/sd15/scheduler/scheduler_config.json';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('parseSchedulerConfig', () => {
  it('accepts a real file with keys it does not know (skip_prk_steps, nulls)', () => {
    const raw = JSON.parse(
      '{"_class_name":"PNDMScheduler","_diffusers_version":"0.6.0","beta_end":0.012,"beta_schedule":"scaled_linear","beta_start":0.00085,"num_train_timesteps":1000,"set_alpha_to_one":false,"skip_prk_steps":true,"steps_offset":1,"trained_betas":null,"clip_sample":false}',
    ) as unknown;
    const config = parseSchedulerConfig(raw, FILE);
    expect(config.steps_offset).toBe(1);
    // PLMS makes one model call more than its steps (its second call repeats a timestep).
    for (const kind of SCHEDULER_KINDS) expect(createScheduler(config, kind, 4, FILE).timesteps).toHaveLength(kind === 'pndm' ? 5 : 4);
  });

  it('names the file, the key and the problem', () => {
    const e = errorOf(() => parseSchedulerConfig({ beta_schedule: 'sigmoid', steps_offset: 1.5 }, FILE));
    expect(e.code).toBe(ErrorCode.BadFormat);
    expect(e.message).toContain(FILE);
    expect(e.message).toContain('beta_schedule: unsupported beta_schedule "sigmoid" (supported: linear, scaled_linear, squaredcos_cap_v2)');
    expect(e.message).toContain('steps_offset:');
    expect(errorOf(() => parseSchedulerConfig([1, 2], FILE)).message).toMatch(/top level/);
    expect(errorOf(() => parseSchedulerConfig({ prediction_type: 'flow' }, FILE)).message).toMatch(
      /prediction_type: unsupported prediction_type "flow" \(supported: epsilon, v_prediction, sample\)/,
    );
  });
});

describe('resolveSchedulerConfig', () => {
  it('applies the target scheduler’s own defaults for missing keys', () => {
    expect(resolveSchedulerConfig({}, 'ddim', FILE)).toMatchObject({ timestepSpacing: 'leading', clipSample: true, betaSchedule: 'linear' });
    expect(resolveSchedulerConfig({}, 'euler', FILE)).toMatchObject({ timestepSpacing: 'linspace', clipSample: false });
    expect(resolveSchedulerConfig({}, 'lcm', FILE)).toMatchObject({ betaSchedule: 'scaled_linear', betaStart: 0.00085, originalInferenceSteps: 50 });
  });

  it('keys listed in _use_default_values take the target defaults, as diffusers’ from_config does', () => {
    const resolved = resolveSchedulerConfig({ timestep_spacing: 'leading', _use_default_values: ['timestep_spacing'] }, 'euler', FILE);
    expect(resolved.timestepSpacing).toBe('linspace');
  });

  it('refuses options it does not implement, naming them', () => {
    const e = errorOf(() => resolveSchedulerConfig({ use_karras_sigmas: true, rescale_betas_zero_snr: true }, 'euler', FILE));
    expect(e.message).toBe(`${FILE}: the euler scheduler does not support rescale_betas_zero_snr: true, use_karras_sigmas: true`);
    expect(() => resolveSchedulerConfig({ thresholding: true }, 'ddim', FILE)).toThrow(/thresholding: true/);
    expect(() => resolveSchedulerConfig({ timestep_type: 'continuous' }, 'euler', FILE)).toThrow(/timestep_type: "continuous"/);
    // Defaults written out explicitly are fine.
    expect(() => resolveSchedulerConfig({ use_karras_sigmas: false, thresholding: false, interpolation_type: 'linear' }, 'euler', FILE)).not.toThrow();
  });

  it('checks the beta range and trained_betas length', () => {
    expect(() => resolveSchedulerConfig({ beta_start: 0.02, beta_end: 0.01 }, 'ddim', FILE)).toThrow(/beta_start \(0.02\) must be below beta_end/);
    expect(() => resolveSchedulerConfig({ trained_betas: [0.1, 0.2] }, 'ddim', FILE)).toThrow(/trained_betas has 2 values but num_train_timesteps is 1000/);
  });
});

describe('createScheduler', () => {
  it('rejects impossible step counts as invalid input, naming the file', () => {
    for (const steps of [0, 1.5, 1001]) {
      const e = errorOf(() => createScheduler({}, 'euler', steps, FILE));
      expect(e.code).toBe(ErrorCode.InvalidInput);
      expect(e.message).toContain(FILE);
    }
    // leading + steps_offset pushes DDIM past the last training step.
    expect(() => createScheduler({ steps_offset: 1 }, 'ddim', 1000, FILE)).toThrow(/timestep 1000 is outside 0 … 999/);
  });

  it('builds each kind', () => {
    const kinds = SCHEDULER_KINDS.map((kind) => createScheduler({ skip_prk_steps: true }, kind, 2).kind);
    expect(kinds).toEqual(['ddim', 'pndm', 'euler', 'euler-ancestral', 'lcm', 'dpm-solver++']);
  });
});
