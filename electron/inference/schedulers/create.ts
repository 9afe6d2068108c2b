/** Building the sampler the user picked from a model folder's scheduler_config.json. */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { resolveSchedulerConfig, type SchedulerConfig, type SchedulerKind } from './config.js';
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
  const resolved = resolveSchedulerConfig(config, kind, source);
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
