/**
 * Generator steps for a run that names none: what the model's manifest says was measured for it
 * (the gain sweep's cheapest setting that keeps the selection gain), else the general default.
 * Per model, because the right count is the model's: a distilled LCM needs 4, SD 1.5 with DDIM
 * 20 or more, the demo generator far fewer.
 */
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { readManifest } from './manifest.js';

export async function defaultGeneratorSteps(generatorDir: string): Promise<number> {
  const manifest = await readManifest(generatorDir).catch(() => undefined);
  return manifest?.runDefaults?.steps ?? RUN_DEFAULTS.steps;
}
