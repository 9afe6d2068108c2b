import { describe, expect, it } from 'vitest';
import { captionPrompt, cleanPureText, constructPrompt, readTaskPrompts } from './task-prompts.js';

const published = {
  task_prompts_without_inputs: { '<CAPTION>': 'What does the image describe?', '<OD>': 'Locate the objects with category name in the image.' },
  task_prompts_with_input: { '<CAPTION_TO_PHRASE_GROUNDING>': 'Locate the phrases in the caption: {input}' },
  tasks_answer_post_processing_type: { '<CAPTION>': 'pure_text', '<OD>': 'description_with_bboxes' },
};

describe('Florence-2 task prompts', () => {
  it("construct_prompts: exact task key, then a task with input filled in and its key dropped, else the text itself", () => {
    const prompts = readTaskPrompts([{ file: 'preprocessor_config.json', json: published }]);
    expect(constructPrompt('<CAPTION>', prompts)).toBe('What does the image describe?');
    expect(constructPrompt('<CAPTION_TO_PHRASE_GROUNDING>a red car', prompts)).toBe('Locate the phrases in the caption: a red car');
    expect(constructPrompt('Any question?', prompts)).toBe('Any question?');
  });

  it('reads the first config that has task_prompts_without_inputs (processor_config.json before preprocessor_config.json)', () => {
    const processor = { task_prompts_without_inputs: { '<CAPTION>': 'from the processor' } };
    const prompts = readTaskPrompts([
      { file: 'processor_config.json', json: processor },
      { file: 'preprocessor_config.json', json: published },
    ]);
    expect(captionPrompt('<CAPTION>', prompts, 'dir')).toBe('from the processor');
    const fallback = readTaskPrompts([{ file: 'processor_config.json', json: undefined }, { file: 'preprocessor_config.json', json: { size: 768 } }]);
    // Microsoft's copies keep the prompts in Python code: the known caption prompts stand in.
    expect(captionPrompt('<DETAILED_CAPTION>', fallback, 'dir')).toBe('Describe in detail what is shown in the image.');
    expect(captionPrompt('<MORE_DETAILED_CAPTION>', fallback, 'dir')).toBe('Describe with a paragraph what is shown in the image.');
  });

  it('refuses tasks that do not answer with text, and unknown tasks, naming the folder', () => {
    const prompts = readTaskPrompts([{ file: 'preprocessor_config.json', json: published }]);
    expect(() => captionPrompt('<OD>', prompts, '/models/f2')).toThrow('/models/f2: Florence-2 task <OD> answers with description_with_bboxes, not a caption');
    expect(() => captionPrompt('<OCR>', prompts, '/models/f2')).toThrow('/models/f2: Florence-2 task "<OCR>" is not one of its tasks (caption tasks: <CAPTION>)');
  });

  it('pure_text clean-up strips <s>, </s> and <pad> only', () => {
    expect(cleanPureText('</s><s> a cat on a mat</s><pad><pad>')).toBe('a cat on a mat');
    expect(cleanPureText('<s>a cat<loc_12></s>')).toBe('a cat<loc_12>');
  });
});
