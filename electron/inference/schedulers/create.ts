/** Building the sampler the user picked from a model folder's scheduler_config.json. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { resolveSchedulerConfig, type ResolvedSchedulerConfig, type SchedulerConfig, type SchedulerKind } from './config.js';
import { DdimScheduler } from './ddim.js';
import { DpmSolverScheduler } from './dpm-solver.js';
import { EulerAncestralScheduler, EulerScheduler } from './euler.js';
import { LcmScheduler } from './lcm.js';
import { PndmScheduler } from './pndm.js';
import type { DiffusionScheduler } from './types.js';

/**
 * A `kind` scheduler for `steps` inference steps, from a validated config (parseSchedulerConfig).
 * `source` names the config file in error messages: unsupported options, and step counts the
 * schedule cannot produce, are reported as BAD_FORMAT / INVALID_INPUT errors naming it.
 */
export function createScheduler(config: SchedulerConfig, kind: SchedulerKind, steps: number, source = 'scheduler_config.json'): DiffusionScheduler {
  return buildScheduler(resolveSchedulerConfig(config, kind, source), kind, steps, source);
}

/**
 * Why `steps` steps of `kind` on this config would start too low, or undefined when they start
 * near the top. The generator refuses such a run before its first UNet call; `models verify`
 * warns about a folder whose default run would. The schedule arithmetic itself stays available
 * at any step count (diffusers' own tables are tested at one step).
 */
export function lateStart(config: SchedulerConfig, kind: SchedulerKind, steps: number, source = 'scheduler_config.json'): string | undefined {
  const resolved = resolveSchedulerConfig(config, kind, source);
  return lateStartProblem(buildScheduler(resolved, kind, steps, source), resolved, steps, source);
}

/**
 * A sampler has to start where the latent is (nearly) pure noise: its first timestep high in the
 * training schedule. One whose first timestep is below half of num_train_timesteps starts from
 * noise the model takes for an almost finished image, and the result is noise — silently. The
 * usual cause: a distilled model's folder (SD-turbo: one Euler step) copied without
 * `"timestep_spacing": "trailing"`, so the linspace default puts the single step at t = 0
 * (MODELS.md appendix §4); a leading schedule with one step starts at steps_offset.
 */
function lateStartProblem(scheduler: DiffusionScheduler, resolved: ResolvedSchedulerConfig, steps: number, source: string): string | undefined {
  const first = scheduler.timesteps[0];
  const top = resolved.numTrainTimesteps;
  if (first === undefined || first >= top / 2) return undefined;
  return (
    `${source}: ${steps} ${scheduler.kind} step${steps === 1 ? '' : 's'} with timestep_spacing "${resolved.timestepSpacing}" would start at timestep ${first} of ${top}, ` +
    'denoising an image that was never noisy (the result is noise); set "timestep_spacing": "trailing" in scheduler_config.json ' +
    '(as distilled models such as SD-turbo ship it) or run more steps'
  );
}

function buildScheduler(resolved: ResolvedSchedulerConfig, kind: SchedulerKind, steps: number, source: string): DiffusionScheduler {
  if (!Number.isInteger(steps) || steps < 1 || steps > resolved.numTrainTimesteps) {
    throw new ApiError(ErrorCode.InvalidInput, `${source}: ${steps} inference steps is not possible (1 … ${resolved.numTrainTimesteps})`);
  }
  try {
    switch (kind) {
      case 'ddim':
        return new DdimScheduler(resolved, steps);
      case 'euler':
        return new EulerScheduler(resolved, steps);
      case 'euler-ancestral':
        return new EulerAncestralScheduler(resolved, steps);
      case 'lcm':
        return new LcmScheduler(resolved, steps);
      case 'pndm':
        return new PndmScheduler(resolved, steps);
      case 'dpm-solver++':
        return new DpmSolverScheduler(resolved, steps);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError(ErrorCode.InvalidInput, `${source}: ${error.message}`);
    throw error;
  }
}
