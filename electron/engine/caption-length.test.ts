import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunSettingsSchema } from '../../shared/contract/run-schemas.js';
import { RUN_KINDS } from '../backend/runs/run-kinds.js';
import { captionerMaxNewTokens, FALLBACK_CAPTION_TOKENS } from './caption-length.js';

const PUBLISHED = join(import.meta.dirname, '../../tests/fixtures/published');
// onnx-community's layout: generation_config.json sets no length (MODELS.md appendix §3).
const FLORENCE = join(PUBLISHED, 'onnx-community--Florence-2-base-ft');
const VIT_GPT2 = join(import.meta.dirname, '../../tests/fixtures/models/vit-gpt2');
const scratch = mkdtempSync(join(tmpdir(), 'rt-caption-length-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the default caption length', () => {
  it('gives Florence-2 a length per task: a sentence for <CAPTION>, a paragraph for <MORE_DETAILED_CAPTION>', () => {
    expect(captionerMaxNewTokens(FLORENCE)).toBe(24);
    expect(captionerMaxNewTokens(FLORENCE, '<CAPTION>')).toBe(24);
    expect(captionerMaxNewTokens(FLORENCE, '<DETAILED_CAPTION>')).toBe(64);
    expect(captionerMaxNewTokens(FLORENCE, '<MORE_DETAILED_CAPTION>')).toBe(256);
  });

  it('never exceeds the decoder’s positions (text_config.max_position_embeddings less the start token)', () => {
    const dir = join(scratch, 'short-positions');
    cpSync(FLORENCE, dir, { recursive: true, filter: (src) => !src.endsWith('.onnx') });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { text_config: Record<string, unknown> };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, text_config: { ...config.text_config, max_position_embeddings: 40 } }));
    expect(captionerMaxNewTokens(dir, '<MORE_DETAILED_CAPTION>')).toBe(39);
    expect(captionerMaxNewTokens(dir, '<CAPTION>')).toBe(24);
  });

  it('keeps the publisher’s length first, and ignores the task for captioners without tasks', () => {
    const dir = join(scratch, 'publisher-length');
    cpSync(FLORENCE, dir, { recursive: true, filter: (src) => !src.endsWith('.onnx') });
    writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ decoder_start_token_id: 2, eos_token_id: 2, max_length: 101 }));
    expect(captionerMaxNewTokens(dir, '<MORE_DETAILED_CAPTION>')).toBe(100);
    expect(captionerMaxNewTokens(VIT_GPT2, '<MORE_DETAILED_CAPTION>')).toBe(captionerMaxNewTokens(VIT_GPT2));
    expect(captionerMaxNewTokens(scratch)).toBe(FALLBACK_CAPTION_TOKENS);
  });

  it('is what a run started with a task and no maxNewTokens records, for suggest and verify-images re-captions', () => {
    const provenance = (dir: string) => ({ dir, id: null, version: null, files: [] });
    const models = { captioner: provenance(FLORENCE), generator: provenance('/m/g'), imageEmbedder: provenance('/m/e'), textEmbedder: provenance('/m/t') };
    const paragraph = RunSettingsSchema.parse({ candidates: 2, beams: 2, captionTask: '<MORE_DETAILED_CAPTION>' });
    expect(RUN_KINDS.suggest!.engineSettings(paragraph, models)).toMatchObject({ decoding: { maxNewTokens: 256, task: '<MORE_DETAILED_CAPTION>' } });
    expect(RUN_KINDS['verify-images']!.engineSettings(paragraph, models)).toMatchObject({ recaption: { maxNewTokens: 256, task: '<MORE_DETAILED_CAPTION>' } });
    expect(RUN_KINDS.suggest!.engineSettings(RunSettingsSchema.parse({ candidates: 2, captionTask: '<MORE_DETAILED_CAPTION>', maxNewTokens: 12 }), models)).toMatchObject({ decoding: { maxNewTokens: 12 } });
  });
});
