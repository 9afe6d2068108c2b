/**
 * Florence-2's processor, the text half: a task token such as `<CAPTION>` becomes the prompt the
 * model was trained with, and the generated text is cleaned up per the task's answer type.
 *
 * The prompts come from the folder: the onnx-community exports carry `task_prompts_without_inputs`,
 * `task_prompts_with_input` and `tasks_answer_post_processing_type` in preprocessor_config.json
 * (MODELS.md appendix §3, onnx-community commit 7657675), large-ft also a processor_config.json.
 * Folders without them (Microsoft's own copies keep them in Python code) get the known defaults.
 */
import { ApiError, ErrorCode } from '../../../../shared/contract/errors.js';
import { CAPTION_TASKS, DEFAULT_CAPTION_TASK } from '../../../../shared/contract/run-schemas.js';
import type { JsonObject as Json } from '../../model-files.js';

/** The caption tasks Roundtrip offers (run settings' captionTask): their answers are plain text. */
export const FLORENCE2_CAPTION_TASKS = CAPTION_TASKS;
export const DEFAULT_FLORENCE2_TASK: string = DEFAULT_CAPTION_TASK;

/**
 * Defaults when a folder names no prompts. `<MORE_DETAILED_CAPTION>` is verified against
 * transformers.js's processor test; `<CAPTION>` and `<DETAILED_CAPTION>` are the wording of
 * Microsoft's processing_florence2.py as ported independently (MODELS.md appendix §3).
 */
const DEFAULT_PROMPTS: Readonly<Record<string, string>> = {
  '<CAPTION>': 'What does the image describe?',
  '<DETAILED_CAPTION>': 'Describe in detail what is shown in the image.',
  '<MORE_DETAILED_CAPTION>': 'Describe with a paragraph what is shown in the image.',
};

export interface TaskPrompts {
  withoutInputs: ReadonlyMap<string, string>;
  withInput: ReadonlyMap<string, string>;
  /** Answer type per task; a task without one is `pure_text`, as in transformers.js. */
  answerTypes: ReadonlyMap<string, string>;
}

function stringMap(config: Json, key: string, file: string): Map<string, string> | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new ApiError(ErrorCode.BadFormat, `${file}: ${key} must map task tokens to strings`);
  }
  return new Map(Object.entries(value as Record<string, string>));
}

/**
 * The task tables of a folder: the first config (with its file name, for errors) that has
 * `task_prompts_without_inputs` wins for all three keys; without one, the caption defaults.
 */
export function readTaskPrompts(configs: readonly { file: string; json: Json | undefined }[]): TaskPrompts {
  for (const { file, json } of configs) {
    if (!json) continue;
    const withoutInputs = stringMap(json, 'task_prompts_without_inputs', file);
    if (!withoutInputs) continue;
    return {
      withoutInputs,
      withInput: stringMap(json, 'task_prompts_with_input', file) ?? new Map(),
      answerTypes: stringMap(json, 'tasks_answer_post_processing_type', file) ?? new Map(),
    };
  }
  return { withoutInputs: new Map(Object.entries(DEFAULT_PROMPTS)), withInput: new Map(), answerTypes: new Map() };
}

/**
 * The processor's `construct_prompts` (transformers.js processing_florence2.js): an exact task
 * key of `withoutInputs` gives its prompt; else the first `withInput` key contained in the text
 * fills `{input}` with the text and drops the key; else the text is the prompt as it is.
 */
export function constructPrompt(text: string, prompts: TaskPrompts): string {
  const fixed = prompts.withoutInputs.get(text);
  if (fixed !== undefined) return fixed;
  for (const [task, prompt] of prompts.withInput) {
    if (text.includes(task)) return prompt.replaceAll('{input}', text).replaceAll(task, '');
  }
  return text;
}

/**
 * The prompt for a captioning task. Only tasks whose answer is plain text make captions; a
 * detection or OCR-with-regions task (boxes as `<loc_N>` tokens) is refused with its type.
 */
export function captionPrompt(task: string, prompts: TaskPrompts, dir: string): string {
  if (!prompts.withoutInputs.has(task)) {
    const known = [...prompts.withoutInputs.keys()].filter((t) => answerType(t, prompts) === 'pure_text');
    throw new ApiError(ErrorCode.InvalidInput, `${dir}: Florence-2 task ${JSON.stringify(task)} is not one of its tasks (caption tasks: ${known.join(', ')})`);
  }
  const type = answerType(task, prompts);
  if (type !== 'pure_text') {
    throw new ApiError(ErrorCode.InvalidInput, `${dir}: Florence-2 task ${task} answers with ${type}, not a caption; use ${FLORENCE2_CAPTION_TASKS.join(', ')}`);
  }
  return constructPrompt(task, prompts);
}

function answerType(task: string, prompts: TaskPrompts): string {
  return prompts.answerTypes.get(task) ?? 'pure_text';
}

/**
 * `post_process_generation` for `pure_text`: the text decoded with special tokens kept, minus
 * `<s>`, `</s>` (transformers.js strips these two) and `<pad>` (what a batch pads finished rows
 * with), trimmed.
 */
export function cleanPureText(decoded: string): string {
  return decoded.replaceAll('<s>', '').replaceAll('</s>', '').replaceAll('<pad>', '').trim();
}
