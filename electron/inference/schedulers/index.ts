/** Diffusion samplers for the generator's UNet loop (pure arithmetic; the model call is outside). */
export { type DiffusionScheduler, StepMemory } from './types.js';
export {
  SCHEDULER_KINDS,
  SchedulerConfigSchema,
  parseSchedulerConfig,
  resolveSchedulerConfig,
  type PredictionType,
  type ResolvedSchedulerConfig,
  type SchedulerConfig,
  type SchedulerKind,
  type TimestepSpacing,
} from './config.js';
export { createScheduler, lateStart } from './create.js';
export { DdimScheduler } from './ddim.js';
export { DpmSolverScheduler, dpmTimesteps } from './dpm-solver.js';
export { PndmScheduler, plmsTimesteps } from './pndm.js';
export { EulerAncestralScheduler, EulerScheduler } from './euler.js';
export { LcmScheduler, lcmBoundaryScalings, lcmGuidanceEmbedding, lcmTimesteps } from './lcm.js';
export { alphasCumprod, betas, sigmaOf, spacedTimesteps } from './schedule.js';
