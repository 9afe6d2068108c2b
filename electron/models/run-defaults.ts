/**
 * Generator settings for a run that names none: what the model's manifest says was measured for
 * it (the gain sweep's cheapest steps that keep the selection gain, the guidance and sampler it
 * was measured with), else the scheduler its publisher ships (scheduler_config.json's
 * `_class_name`, when Roundtrip implements that sampler) and the general defaults. Per model,
 * because the right values are the model's: a distilled LCM needs its LCM sampler and 4 steps,
 * SD-turbo an Euler sampler without guidance, SD 1.5 with DDIM 20 or more steps and guidance
 * ~7, the demo generator 4 steps without guidance.
 */
import { SCHEDULER_KINDS, type SchedulerKind } from '../inference/schedulers/config.js';
import { readOptionalModelJson } from '../inference/model-files.js';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { readManifest } from './manifest.js';

export interface GeneratorDefaults {
  steps: number;
  guidance: number;
  scheduler: SchedulerKind;
}

/** diffusers class names of the samplers Roundtrip implements (MODELS.md §5). */
const SCHEDULER_CLASSES: Record<string, SchedulerKind> = {
  DDIMScheduler: 'ddim',
  EulerDiscreteScheduler: 'euler',
  EulerAncestralDiscreteScheduler: 'euler-ancestral',
  LCMScheduler: 'lcm',
};

/** The sampler the folder's scheduler_config.json names, when Roundtrip has it; PNDM, DPM-Solver and others: undefined. */
export function publishedScheduler(generatorDir: string): SchedulerKind | undefined {
  try {
    const config = readOptionalModelJson(generatorDir, 'scheduler/scheduler_config.json') as { _class_name?: unknown } | undefined;
    return typeof config?._class_name === 'string' ? SCHEDULER_CLASSES[config._class_name] : undefined;
  } catch {
    return undefined; // a broken config is reported when the generator loads, not here
  }
}

export async function defaultGeneratorSettings(generatorDir: string): Promise<GeneratorDefaults> {
  const manifest = await readManifest(generatorDir).catch(() => undefined);
  const measured = manifest?.runDefaults;
  const scheduler = measured?.scheduler && SCHEDULER_KINDS.includes(measured.scheduler) ? measured.scheduler : (publishedScheduler(generatorDir) ?? RUN_DEFAULTS.scheduler);
  return { steps: measured?.steps ?? RUN_DEFAULTS.steps, guidance: measured?.guidance ?? RUN_DEFAULTS.guidance, scheduler };
}
