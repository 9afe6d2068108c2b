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
import { SCHEDULER_NAMES, type SchedulerName } from '../../../shared/contract/run-schemas.js';

/** The samplers the generator offers (the API's list: shared/contract/run-schemas.ts). */
export type SchedulerKind = SchedulerName;
export const SCHEDULER_KINDS: readonly SchedulerKind[] = SCHEDULER_NAMES;

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
    // PNDM
    skip_prk_steps: z.boolean().optional(),
    // DPM-Solver multistep. diffusers maps the retired "deis" algorithm to dpmsolver++ and the
    // UniPC solver types to midpoint when a config names them (its __init__), and so do we.
    solver_order: z.int().min(1).max(3).optional(),
    algorithm_type: oneOf('algorithm_type', ['dpmsolver++', 'deis', 'dpmsolver', 'sde-dpmsolver', 'sde-dpmsolver++']).optional(),
    solver_type: oneOf('solver_type', ['midpoint', 'heun', 'logrho', 'bh1', 'bh2']).optional(),
    lower_order_final: z.boolean().optional(),
    euler_at_final: z.boolean().optional(),
    // −Infinity (the default, written by Python as -Infinity: python-json.ts) is a valid value.
    lambda_min_clipped: z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v), { error: 'expected a number (or -Infinity)' }).optional(),
    variance_type: z.string().nullable().optional(),
    use_lu_lambdas: z.boolean().nullable().optional(),
    use_flow_sigmas: z.boolean().nullable().optional(),
    use_dynamic_shifting: z.boolean().nullable().optional(),
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
  /** PNDM: true runs PLMS only (what SD ships); false would need the Runge–Kutta warm-up, refused. */
  skipPrkSteps: boolean;
  /** DPM-Solver++: 1 or 2 (3 is refused). */
  solverOrder: number;
  solverType: 'midpoint' | 'heun';
  lowerOrderFinal: boolean;
  eulerAtFinal: boolean;
  /** DPM-Solver: timesteps whose log-SNR λ is below this are not used (−∞: all of them). */
  lambdaMinClipped: number;
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
  skipPrkSteps: false,
  solverOrder: 2,
  solverType: 'midpoint',
  lowerOrderFinal: true,
  eulerAtFinal: false,
  lambdaMinClipped: -Infinity,
};
const DEFAULTS: Record<SchedulerKind, ResolvedSchedulerConfig> = {
  ddim: { ...BASE, clipSample: true },
  // PNDMScheduler.__init__: set_alpha_to_one=False, skip_prk_steps=False (SD's file says true).
  pndm: { ...BASE, setAlphaToOne: false },
  euler: { ...BASE, timestepSpacing: 'linspace' },
  'euler-ancestral': { ...BASE, timestepSpacing: 'linspace' },
  lcm: { ...BASE, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear' },
  // DPMSolverMultistepScheduler.__init__: solver_order=2, dpmsolver++, midpoint, linspace spacing.
  'dpm-solver++': { ...BASE, timestepSpacing: 'linspace' },
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
  if (kind === 'euler' || kind === 'euler-ancestral' || kind === 'dpm-solver++') {
    for (const key of ['use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas'] as const) {
      if (c[key]) unsupported.push(`${key}: true`);
    }
  }
  if (kind === 'euler' || kind === 'euler-ancestral') {
    if (c.interpolation_type !== undefined && c.interpolation_type !== 'linear') unsupported.push(`interpolation_type: ${JSON.stringify(c.interpolation_type)}`);
    if (c.timestep_type !== undefined && c.timestep_type !== 'discrete') unsupported.push(`timestep_type: ${JSON.stringify(c.timestep_type)}`);
  }
  if (kind === 'euler-ancestral' && c.prediction_type === 'sample') unsupported.push('prediction_type: "sample"');
  // PNDMScheduler._get_prev_sample accepts epsilon and v_prediction only.
  if (kind === 'pndm' && c.prediction_type === 'sample') unsupported.push('prediction_type: "sample"');
  if (kind === 'pndm' && !(c.skip_prk_steps ?? d.skipPrkSteps)) {
    // Only the PLMS half of PNDM is implemented; diffusers' default (false) would start with
    // three Runge–Kutta steps of four model calls each.
    unsupported.push(`skip_prk_steps: false${c.skip_prk_steps === undefined ? ' (the PNDMScheduler default, as the file does not set it)' : ''}; set skip_prk_steps to true for PLMS as Stable Diffusion ships it`);
  }
  if (kind === 'dpm-solver++') unsupported.push(...unsupportedDpm(c));
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
    skipPrkSteps: c.skip_prk_steps ?? d.skipPrkSteps,
    solverOrder: c.solver_order ?? d.solverOrder,
    // "logrho", "bh1", "bh2" are UniPC's; DPMSolverMultistepScheduler.__init__ registers midpoint for them.
    solverType: c.solver_type === 'heun' ? 'heun' : 'midpoint',
    lowerOrderFinal: c.lower_order_final ?? d.lowerOrderFinal,
    eulerAtFinal: c.euler_at_final ?? d.eulerAtFinal,
    lambdaMinClipped: c.lambda_min_clipped ?? d.lambdaMinClipped,
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

/** The DPMSolverMultistepScheduler options this engine does not implement, as written in the file. */
function unsupportedDpm(c: SchedulerConfig): string[] {
  const out: string[] = [];
  // The DPM-Solver (noise-prediction) and SDE variants are other integrators; only DPM-Solver++ is ported.
  if (c.algorithm_type !== undefined && c.algorithm_type !== 'dpmsolver++' && c.algorithm_type !== 'deis') out.push(`algorithm_type: ${JSON.stringify(c.algorithm_type)}`);
  if (c.solver_order === 3) out.push('solver_order: 3');
  if (c.variance_type !== undefined && c.variance_type !== null) out.push(`variance_type: ${JSON.stringify(c.variance_type)}`);
  for (const key of ['use_lu_lambdas', 'use_flow_sigmas', 'use_dynamic_shifting'] as const) {
    if (c[key]) out.push(`${key}: true`);
  }
  return out;
}
