/**
 * How long a Florence-2 caption may run when the run names no length. The onnx-community
 * generation_config.json sets none (MODELS.md appendix §3), and one length cannot serve all three
 * tasks: `<CAPTION>` answers in a sentence, `<MORE_DETAILED_CAPTION>` in a paragraph, which a
 * one-sentence limit cuts off mid-word (the forced `</s>` lands at the limit).
 *
 * Microsoft's model card samples generate with max_new_tokens=1024 for every task and stop on
 * `</s>`; transformers.js's onnx-community sample gives `<MORE_DETAILED_CAPTION>` 100 tokens,
 * which cuts the card's own paragraph (about 120 tokens). The paragraph task therefore gets the
 * longest length a run may ask for; the detailed one a few sentences; the caption a sentence.
 */
import { type CaptionTask, DEFAULT_CAPTION_TASK, MAX_CAPTION_TOKENS } from '../../../../shared/contract/run-schemas.js';
import type { JsonObject } from '../../model-files.js';

const TASK_MAX_NEW_TOKENS: Readonly<Record<CaptionTask, number>> = {
  '<CAPTION>': 24,
  '<DETAILED_CAPTION>': 64,
  '<MORE_DETAILED_CAPTION>': MAX_CAPTION_TOKENS,
};

/**
 * The default length for `task` (default `<CAPTION>`), never more than the decoder has positions
 * for: `text_config.max_position_embeddings` less the start token, when config.json gives it.
 */
export function florence2TaskMaxNewTokens(config: JsonObject, task: string | undefined): number {
  const key = task !== undefined && Object.hasOwn(TASK_MAX_NEW_TOKENS, task) ? (task as CaptionTask) : DEFAULT_CAPTION_TASK;
  const wanted = TASK_MAX_NEW_TOKENS[key];
  const text = (config.text_config ?? {}) as JsonObject;
  const positions = text.max_position_embeddings;
  return typeof positions === 'number' && Number.isInteger(positions) && positions > 1 ? Math.min(wanted, positions - 1) : wanted;
}
