/**
 * The sampler a diffusers folder names: `scheduler/scheduler_config.json`'s `_class_name`, else
 * the scheduler entry of `model_index.json` (`"scheduler": ["diffusers", "PNDMScheduler"]`), as
 * diffusers' DiffusionPipeline.from_pretrained resolves the component. MODELS.md appendix §4:
 * SD 1.5 names PNDMScheduler, SD-turbo EulerDiscreteScheduler, LCM Dreamshaper LCMScheduler.
 */
import type { SchedulerName } from '../../shared/contract/run-schemas.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readPythonJsonFile } from '../inference/schedulers/python-json.js';

/** diffusers class name → Roundtrip sampler, for the classes whose maths Roundtrip implements. */
const SCHEDULER_CLASSES: Readonly<Record<string, SchedulerName>> = Object.freeze({
  DDIMScheduler: 'ddim',
  PNDMScheduler: 'pndm',
  EulerDiscreteScheduler: 'euler',
  EulerAncestralDiscreteScheduler: 'euler-ancestral',
  LCMScheduler: 'lcm',
  DPMSolverMultistepScheduler: 'dpm-solver++',
});

export interface PublishedScheduler {
  /** The diffusers class the folder names. */
  className: string;
  /** Which file named it, relative to the folder. */
  source: 'scheduler/scheduler_config.json' | 'model_index.json';
  /** Roundtrip's sampler of that class; undefined when Roundtrip does not implement it (e.g. UniPC). */
  scheduler: SchedulerName | undefined;
}

function classFrom(dir: string, rel: string, pick: (json: Record<string, unknown>) => unknown): string | undefined {
  try {
    // Python-written JSON: a DPM-Solver config holds `-Infinity` (python-json.ts).
    const json = existsSync(join(dir, rel)) ? readPythonJsonFile(join(dir, rel)) : undefined;
    const name = json && typeof json === 'object' && !Array.isArray(json) ? pick(json as Record<string, unknown>) : undefined;
    return typeof name === 'string' && name.length > 0 ? name : undefined;
  } catch {
    return undefined; // a broken file is reported when the generator loads it, not here
  }
}

/** The scheduler class `dir` names, or undefined when neither file names one. */
export function publishedScheduler(dir: string): PublishedScheduler | undefined {
  const fromConfig = classFrom(dir, 'scheduler/scheduler_config.json', (j) => j._class_name);
  // model_index.json lists each component as [library, class name].
  const fromIndex = fromConfig ? undefined : classFrom(dir, 'model_index.json', (j) => (Array.isArray(j.scheduler) ? j.scheduler[1] : undefined));
  const className = fromConfig ?? fromIndex;
  if (!className) return undefined;
  return {
    className,
    source: fromConfig ? 'scheduler/scheduler_config.json' : 'model_index.json',
    scheduler: Object.hasOwn(SCHEDULER_CLASSES, className) ? SCHEDULER_CLASSES[className] : undefined,
  };
}
