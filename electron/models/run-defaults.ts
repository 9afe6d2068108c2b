/**
 * Generator settings for a run that names none: what the model's manifest says was measured for
 * it (the gain sweep's cheapest steps that keep the selection gain, and the guidance it was
 * measured with), else the general defaults. Per model, because the right values are the model's:
 * a distilled LCM needs 4 steps, SD-turbo no guidance, SD 1.5 with DDIM 20 or more steps and
 * guidance ~7, the demo generator 4 steps without guidance.
 */
import { RUN_DEFAULTS } from '../../shared/contract/run-schemas.js';
import { readManifest } from './manifest.js';

export interface GeneratorDefaults {
  steps: number;
  guidance: number;
}

export async function defaultGeneratorSettings(generatorDir: string): Promise<GeneratorDefaults> {
  const manifest = await readManifest(generatorDir).catch(() => undefined);
  return { steps: manifest?.runDefaults?.steps ?? RUN_DEFAULTS.steps, guidance: manifest?.runDefaults?.guidance ?? RUN_DEFAULTS.guidance };
}
