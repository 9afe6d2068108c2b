/**
 * Reading a diffusers `scheduler/scheduler_config.json`. A model folder ships the config of the
 * scheduler it was released with (SD 1.5: PNDMScheduler), and we reinterpret it for the sampler
 * the user picked, the way diffusers' `SomeScheduler.from_config(...)` does: keys the file has
 * are used, keys it lacks (or lists in `_use_default_values`) take the *target* scheduler's
 * defaults. Features we do not implement are refused with an error naming the file and the key,
 * never silently ignored — a wrong schedule would produce plausible but wrong images.
 */
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';

/** The samplers the generator offers. */
export type SchedulerKind = 'ddim' | 'euler' | 'euler-ancestral' | 'lcm';
export const SCHEDULER_KINDS: readonly SchedulerKind[] = ['ddim', 'euler', 'euler-ancestral', 'lcm'];

export type PredictionType = 'epsilon' | 'v_prediction' | 'sample';
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

const oneOf = <T extends string>(key: string, values: readonly [T, ...T[]]) =>
  z.enum(values, { error: (issue) => `unsupported ${key} ${JSON.stringify(issue.input)} (supported: ${values.join(', ')})` });

/** The keys of scheduler_config.json we understand; anything else is ignored, as diffusers does. */
export const SchedulerConfigSchema = z
  .object({
    _class_name: z.string().optional(),
    _use_default_values: z.array(z.string()).optional(),
    num_train_timesteps: z.int().min(2).optional(),
    beta_start: z.number().positive().optional(),
    beta_end: z.number().positive().optional(),
    beta_schedule: oneOf('beta_schedule', ['linear', 'scaled_linear', 'squaredcos_cap_v2']).optional(),
    trained_betas: z.array(z.number().gt(0).lt(1)).nullable().optional(),
    prediction_type: oneOf('prediction_type', ['epsilon', 'v_prediction', 'sample']).optional(),
    set_alpha_to_one: z.boolean().optional(),
    steps_offset: z.int().nonnegative().optional(),
    timestep_spacing: oneOf('timestep_spacing', ['leading', 'trailing', 'linspace']).optional(),
    clip_sample: z.boolean().optional(),
    clip_sample_range: z.number().positive().optional(),
    original_inference_steps: z.int().positive().nullable().optional(),
    timestep_scaling: z.number().positive().optional(),
    final_sigmas_type: oneOf('final_sigmas_type', ['zero', 'sigma_min']).optional(),
    // Accepted only at their default values (checked in resolveSchedulerConfig).
    thresholding: z.boolean().optional(),
    rescale_betas_zero_snr: z.boolean().optional(),
    use_karras_sigmas: z.boolean().nullable().optional(),
    use_exponential_sigmas: z.boolean().nullable().optional(),
    use_beta_sigmas: z.boolean().nullable().optional(),
    interpolation_type: z.string().optional(),
    timestep_type: z.string().optional(),
  })
  .loose();

/** A validated scheduler_config.json, as written in the file (no defaults applied yet). */
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

/** Every setting a scheduler reads, after applying the target scheduler's defaults. */
export interface ResolvedSchedulerConfig {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: BetaSchedule;
  trainedBetas: readonly number[] | null;
  predictionType: PredictionType;
  setAlphaToOne: boolean;
  stepsOffset: number;
  timestepSpacing: TimestepSpacing;
  clipSample: boolean;
  clipSampleRange: number;
  originalInferenceSteps: number;
  timestepScaling: number;
  finalSigmasType: 'zero' | 'sigma_min';
}

// Constructor defaults of the diffusers classes (DDIMScheduler, EulerDiscreteScheduler,
// EulerAncestralDiscreteScheduler, LCMScheduler). Note they differ: DDIM clips x0 and uses
// leading spacing by default, Euler uses linspace, LCM carries SD's scaled_linear betas.
const BASE: ResolvedSchedulerConfig = {
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  trainedBetas: null,
  predictionType: 'epsilon',
  setAlphaToOne: true,
  stepsOffset: 0,
  timestepSpacing: 'leading',
  clipSample: false,
  clipSampleRange: 1,
  originalInferenceSteps: 50,
  timestepScaling: 10,
  finalSigmasType: 'zero',
};
const DEFAULTS: Record<SchedulerKind, ResolvedSchedulerConfig> = {
  ddim: { ...BASE, clipSample: true },
  euler: { ...BASE, timestepSpacing: 'linspace' },
  'euler-ancestral': { ...BASE, timestepSpacing: 'linspace' },
  lcm: { ...BASE, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' },
};

function bad(source: string, problem: string): ApiError {
  return new ApiError(ErrorCode.BadFormat, `${source}: ${problem}`);
}

/**
 * Validates the parsed JSON of a scheduler_config.json. `source` (normally the file's path)
 * starts every error message, so the user knows which file to fix.
 */
export function parseSchedulerConfig(raw: unknown, source: string): SchedulerConfig {
  const result = SchedulerConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : 'top level';
      return `${where}: ${issue.message}`;
    });
    throw bad(source, `invalid scheduler config (${problems.join('; ')})`);
  }
  return result.data;
}

/**
 * The settings `kind` will use: the file's values over the kind's diffusers defaults. Throws
 * (naming `source` and the key) for options this engine does not implement.
 */
export function resolveSchedulerConfig(config: SchedulerConfig, kind: SchedulerKind, source: string): ResolvedSchedulerConfig {
  // diffusers' extract_init_dict drops keys listed in _use_default_values so the target
  // class's own defaults apply to them.
  const skip = new Set(config._use_default_values ?? []);
  const c = Object.fromEntries(Object.entries(config).filter(([k, v]) => !skip.has(k) && v !== undefined)) as SchedulerConfig;
  const d = DEFAULTS[kind];

  const unsupported: string[] = [];
  if (c.thresholding) unsupported.push('thresholding: true');
  if (c.rescale_betas_zero_snr) unsupported.push('rescale_betas_zero_snr: true');
  if (kind === 'euler' || kind === 'euler-ancestral') {
    for (const key of ['use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas'] as const) {
      if (c[key]) unsupported.push(`${key}: true`);
    }
    if (c.interpolation_type !== undefined && c.interpolation_type !== 'linear') unsupported.push(`interpolation_type: ${JSON.stringify(c.interpolation_type)}`);
    if (c.timestep_type !== undefined && c.timestep_type !== 'discrete') unsupported.push(`timestep_type: ${JSON.stringify(c.timestep_type)}`);
  }
  if (kind === 'euler-ancestral' && c.prediction_type === 'sample') unsupported.push('prediction_type: "sample"');
  if (unsupported.length) throw bad(source, `the ${kind} scheduler does not support ${unsupported.join(', ')}`);

  const resolved: ResolvedSchedulerConfig = {
    numTrainTimesteps: c.num_train_timesteps ?? d.numTrainTimesteps,
    betaStart: c.beta_start ?? d.betaStart,
    betaEnd: c.beta_end ?? d.betaEnd,
    betaSchedule: c.beta_schedule ?? d.betaSchedule,
    trainedBetas: c.trained_betas ?? null,
    predictionType: c.prediction_type ?? d.predictionType,
    setAlphaToOne: c.set_alpha_to_one ?? d.setAlphaToOne,
    stepsOffset: c.steps_offset ?? d.stepsOffset,
    timestepSpacing: c.timestep_spacing ?? d.timestepSpacing,
    clipSample: c.clip_sample ?? d.clipSample,
    clipSampleRange: c.clip_sample_range ?? d.clipSampleRange,
    originalInferenceSteps: c.original_inference_steps ?? d.originalInferenceSteps,
    timestepScaling: c.timestep_scaling ?? d.timestepScaling,
    finalSigmasType: c.final_sigmas_type ?? d.finalSigmasType,
  };
  if (resolved.trainedBetas && resolved.trainedBetas.length !== resolved.numTrainTimesteps) {
    throw bad(source, `trained_betas has ${resolved.trainedBetas.length} values but num_train_timesteps is ${resolved.numTrainTimesteps}`);
  }
  if (!resolved.trainedBetas && !(resolved.betaStart < resolved.betaEnd && resolved.betaEnd < 1)) {
    throw bad(source, `beta_start (${resolved.betaStart}) must be below beta_end (${resolved.betaEnd}), and beta_end below 1`);
  }
  if (kind === 'lcm' && resolved.originalInferenceSteps > resolved.numTrainTimesteps) {
    throw bad(source, `original_inference_steps (${resolved.originalInferenceSteps}) exceeds num_train_timesteps (${resolved.numTrainTimesteps})`);
  }
  return resolved;
}
