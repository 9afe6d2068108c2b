/**
 * Opens a captioner folder with the runtime its config.json names: `model_type` florence2 is
 * Florence-2's four-graph layout (MODELS.md appendix §3); everything else Roundtrip captions with
 * (vision-encoder-decoder, BLIP, the demo) is the two-graph encoder + decoder layout.
 */
import type { LoadOptions } from '../graph-variants.js';
import { readOptionalModelJson } from '../model-files.js';
import { Captioner } from './captioner.js';
import { Florence2Captioner } from './florence2/florence2-captioner.js';
import type { ImageCaptioner } from './types.js';

export async function loadCaptioner(dir: string, options: LoadOptions = {}): Promise<ImageCaptioner> {
  const config = readOptionalModelJson(dir, 'config.json') as { model_type?: unknown } | undefined;
  if (config?.model_type === 'florence2') return Florence2Captioner.load(dir, options);
  return Captioner.load(dir, options);
}
