import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGenerationDefaults, readSpecialTokens } from './special-tokens.js';

function folder(config: object, generation?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-tokens-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  if (generation) writeFileSync(join(dir, 'generation_config.json'), JSON.stringify(generation));
  return dir;
}

// Salesforce/blip-image-captioning-base's config.json text_config ids (MODELS.md §1.4): [DEC] 30522, [SEP] 102, [PAD] 0; eos 2 is not what generate stops on.
const BLIP = { model_type: 'blip', text_config: { bos_token_id: 30522, eos_token_id: 2, pad_token_id: 0, sep_token_id: 102, vocab_size: 30524 }, vision_config: {} };

describe('captioner token ids', () => {
  it('BLIP: starts from text_config bos 30522, stops on sep 102, pads with 0 — with or without a generation_config.json', () => {
    expect(readSpecialTokens(folder(BLIP), 30524)).toEqual({ bos: 30522, eos: 102, pad: 0 });
    expect(readSpecialTokens(folder(BLIP, { bos_token_id: 1, eos_token_id: 2 }), 30524)).toEqual({ bos: 30522, eos: 102, pad: 0 });
    // text_config without the ids: BlipTextConfig's defaults.
    expect(readSpecialTokens(folder({ model_type: 'blip', text_config: {} }), 30524)).toEqual({ bos: 30522, eos: 102, pad: 0 });
  });

  it('ViT-GPT2: generation_config.json first, else config.json, its decoder sub-config, then text_config', () => {
    // Xenova/vit-gpt2-image-captioning: bos = eos = decoder_start = 50256, no pad (MODELS.md appendix §1).
    const top = { model_type: 'vision-encoder-decoder', decoder_start_token_id: 50256, eos_token_id: 50256, decoder: { bos_token_id: 50256, eos_token_id: 50256 } };
    expect(readSpecialTokens(folder(top), 50257)).toEqual({ bos: 50256, eos: 50256, pad: 50256 });
    expect(readSpecialTokens(folder(top, { decoder_start_token_id: 7, eos_token_id: 8, pad_token_id: 9 }), 50257)).toEqual({ bos: 7, eos: 8, pad: 9 });
    expect(readSpecialTokens(folder({ model_type: 'vision-encoder-decoder', decoder: { bos_token_id: 3, eos_token_id: 4, pad_token_id: null } }), 10)).toEqual({ bos: 3, eos: 4, pad: 4 });
    expect(readSpecialTokens(folder({ model_type: 'x', text_config: { bos_token_id: 1, eos_token_id: [2, 5] } }), 10)).toEqual({ bos: 1, eos: 2, pad: 2 });
  });

  it('refuses a missing or out-of-vocabulary stop token at load, naming the file and the key', () => {
    const noEos = folder({ model_type: 'vision-encoder-decoder', decoder_start_token_id: 0 });
    expect(() => readSpecialTokens(noEos, 16)).toThrow(`${noEos}: generation_config.json / config.json (with its decoder and text_config) name no eos_token_id`);
    const wrong = folder({ model_type: 'vision-encoder-decoder', decoder_start_token_id: 0 }, { eos_token_id: 50256 });
    expect(() => readSpecialTokens(wrong, 16)).toThrow(`${join(wrong, 'generation_config.json')}: eos_token_id 50256 is not a token id of the decoder's 16-token vocabulary (eos_token_id)`);
    const blip = folder({ model_type: 'blip', text_config: { sep_token_id: 40000 } });
    expect(() => readSpecialTokens(blip, 30524)).toThrow(/config\.json \(text_config\): sep_token_id 40000 is not a token id of the decoder's 30524-token vocabulary/);
    expect(() => readSpecialTokens(folder({ model_type: 'x', eos_token_id: 1.5, bos_token_id: 0 }), 16)).toThrow(/eos_token_id 1\.5 is not a token id/);
  });
});

describe('readGenerationDefaults (Florence-2’s forced tokens and n-gram block)', () => {
  it('takes generation_config.json first, else config.json, else its text_config; null is unset', () => {
    // Florence-2 large-ft: a 62-byte generation_config, the values in config.json's text_config (MODELS.md appendix §3).
    const text = { forced_bos_token_id: 0, forced_eos_token_id: 2, no_repeat_ngram_size: 3 };
    expect(readGenerationDefaults(folder({ model_type: 'florence2', text_config: text }, { _from_model_config: true }))).toEqual({ forcedBosTokenId: 0, forcedEosTokenId: 2, noRepeatNgramSize: 3 });
    expect(readGenerationDefaults(folder({ model_type: 'florence2', no_repeat_ngram_size: null, text_config: text }, { forced_eos_token_id: 5 }))).toEqual({ forcedBosTokenId: 0, forcedEosTokenId: 5, noRepeatNgramSize: 3 });
    expect(readGenerationDefaults(folder({ model_type: 'vision-encoder-decoder' }))).toEqual({});
  });

  it('names the file of a value that is not a whole number', () => {
    const dir = folder({ model_type: 'florence2' }, { no_repeat_ngram_size: '3' });
    expect(() => readGenerationDefaults(dir)).toThrow(`${join(dir, 'generation_config.json')}: no_repeat_ngram_size "3" is not a whole number`);
  });
});
