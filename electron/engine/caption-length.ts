/**
 * The caption length a run uses when it names no maxNewTokens: a re-caption cut short scores low
 * against a long source text for no fault of the image, and a paragraph task cut after one
 * sentence is not the task. One place decides it for the app's run kinds and the CLI.
 */
import { readOptionalModelJson, type JsonObject } from '../inference/model-files.js';
import { florence2TaskMaxNewTokens } from '../inference/captioner/florence2/task-lengths.js';

/** When the captioner's generation_config.json sets no length and the captioner has no tasks. */
export const FALLBACK_CAPTION_TOKENS = 24;

/**
 * The length the captioner was exported with (generation_config.json's max_new_tokens, else
 * max_length less the start token); else, for a captioner with tasks (Florence-2), the length of
 * `task` (task-lengths.ts); else FALLBACK_CAPTION_TOKENS. Captioners without tasks ignore `task`.
 */
export function captionerMaxNewTokens(captionerDir: string, task?: string): number {
  const generation = readOptionalModelJson(captionerDir, 'generation_config.json') as { max_new_tokens?: unknown; max_length?: unknown } | undefined;
  if (typeof generation?.max_new_tokens === 'number' && generation.max_new_tokens > 0) return generation.max_new_tokens;
  if (typeof generation?.max_length === 'number' && generation.max_length > 1) return generation.max_length - 1;
  const config = readOptionalModelJson(captionerDir, 'config.json') as JsonObject | undefined;
  if (config?.model_type === 'florence2') return florence2TaskMaxNewTokens(config, task);
  return FALLBACK_CAPTION_TOKENS;
}
