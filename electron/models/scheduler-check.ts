/**
 * `models verify` for a generator's scheduler: the config must parse, and the sampler a run
 * uses by default (the manifest's, else the class the folder names) must accept it — otherwise
 * every run would stop at its first image with the same error. A class Roundtrip does not
 * implement is a warning: runs still work, on DDIM, unless they name a sampler. So is a default
 * run whose first timestep is far below the top of the schedule (create.ts lateStart), which
 * runs refuse when they start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { parseSchedulerConfig, resolveSchedulerConfig } from '../inference/schedulers/config.js';
import { lateStart } from '../inference/schedulers/create.js';
import { readPythonJsonFile } from '../inference/schedulers/python-json.js';
import type { ModelManifest } from './manifest.js';
import { publishedScheduler } from './published-scheduler.js';

const CONFIG = 'scheduler/scheduler_config.json';

export function checkSchedulerConfig(dir: string, manifest: ModelManifest | undefined): { problems: string[]; warnings: string[] } {
  const file = join(dir, CONFIG);
  if (!existsSync(file)) return { problems: [], warnings: [] }; // a required file: reported as missing elsewhere
  const named = publishedScheduler(dir);
  const warnings: string[] = [];
  if (named && !named.scheduler) {
    warnings.push(`${named.source}: names ${named.className}, which Roundtrip does not implement; runs use ${RUN_DEFAULTS.scheduler} on its schedule unless they name a sampler`);
  }
  const kind = manifest?.runDefaults?.scheduler ?? named?.scheduler ?? RUN_DEFAULTS.scheduler;
  const steps = manifest?.runDefaults?.steps ?? RUN_DEFAULTS.steps;
  try {
    const config = parseSchedulerConfig(readPythonJsonFile(file), CONFIG);
    resolveSchedulerConfig(config, kind, CONFIG);
    // A warning, not a problem: runs that choose more steps or another sampler are fine; runs
    // with the defaults are refused when they start.
    const late = lateStart(config, kind, steps, CONFIG);
    if (late) warnings.push(`${late} (the default run: ${kind}, ${steps} step${steps === 1 ? '' : 's'})`);
  } catch (error) {
    return { problems: [`${(error as Error).message} (the default sampler, ${kind})`], warnings };
  }
  return { problems: [], warnings };
}
