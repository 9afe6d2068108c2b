/**
 * Generator settings for a run that names none: what the model's manifest says was measured for
 * it (the gain sweep's cheapest steps that keep the selection gain, the guidance and sampler it
 * was measured with), else the scheduler its publisher ships (scheduler_config.json's
 * `_class_name`, else model_index.json's scheduler entry, when Roundtrip implements that sampler)
 * and the general defaults. Per model, because the right values are the model's: a distilled LCM
 * needs its LCM sampler and 4 steps, SD-turbo one Euler step without guidance, SD 1.5 its PNDM
 * with 50 steps and guidance 7.5 (published-run-defaults.ts writes these at pull), the demo
 * generator 4 steps without guidance.
 */
import { SCHEDULER_KINDS, type SchedulerKind } from '../inference/schedulers/config.js';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { readManifest } from './manifest.js';
import { publishedRunDefaults } from './published-run-defaults.js';
import { publishedScheduler } from './published-scheduler.js';

export interface GeneratorDefaults {
  steps: number;
  guidance: number;
  scheduler: SchedulerKind;
}

/** The sampler the folder's scheduler config (else model_index.json) names, when Roundtrip has it. */
function publishedSchedulerKind(generatorDir: string): SchedulerKind | undefined {
  return publishedScheduler(generatorDir)?.scheduler;
}

export async function defaultGeneratorSettings(generatorDir: string): Promise<GeneratorDefaults> {
  const manifest = await readManifest(generatorDir).catch(() => undefined);
  // A manifest from before pulls wrote runDefaults still gets its family's published ones.
  const measured = manifest?.runDefaults ?? (manifest ? publishedRunDefaults(manifest.family, generatorDir) : undefined);
  const scheduler = measured?.scheduler && SCHEDULER_KINDS.includes(measured.scheduler) ? measured.scheduler : (publishedSchedulerKind(generatorDir) ?? RUN_DEFAULTS.scheduler);
  return { steps: measured?.steps ?? RUN_DEFAULTS.steps, guidance: measured?.guidance ?? RUN_DEFAULTS.guidance, scheduler };
}
