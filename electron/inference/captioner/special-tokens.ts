/**
 * A captioner's start, stop and padding token ids, read where its publisher puts them and checked
 * at load: a missing or out-of-vocabulary stop token is an error naming the file, never a decode
 * that runs to the length limit on every caption.
 *
 * Precedence, as transformers loads a model for generate(): `generation_config.json` when present,
 * else what it derives from `config.json` — the top level, then the decoder's sub-config
 * (`decoder`, vision-encoder-decoder exports such as ViT-GPT2, MODELS.md appendix §1) or the text
 * sub-config (`text_config`). The decoder starts from `decoder_start_token_id`, else `bos_token_id`.
 *
 * BLIP is the exception: BlipForConditionalGeneration.generate starts from
 * `text_config.bos_token_id` (30522, [DEC]), stops on `text_config.sep_token_id` (102, [SEP]) and
 * pads with `text_config.pad_token_id` (0), whatever eos_token_id says (MODELS.md §1.4, BLIP);
 * BlipTextConfig's defaults stand in for keys text_config leaves out.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { readModelJson, readOptionalModelJson, type JsonObject as Json } from '../model-files.js';

export interface SpecialTokens {
  bos: number;
  eos: number;
  pad: number;
}

/** What a publisher's generation settings fix beyond the token ids (Florence-2 sets all three). */
export interface GenerationDefaults {
  forcedBosTokenId?: number;
  forcedEosTokenId?: number;
  noRepeatNgramSize?: number;
}

/** BlipTextConfig's defaults (transformers configuration_blip.py). */
const BLIP_TEXT_DEFAULTS = { bos_token_id: 30522, sep_token_id: 102, pad_token_id: 0 } as const;

interface Source {
  file: string;
  values: Json;
}

export function readSpecialTokens(dir: string, vocabSize: number): SpecialTokens {
  const configFile = join(dir, 'config.json');
  const config = asObject(readModelJson(dir, 'config.json'), configFile);
  const text = asObject(config.text_config ?? {}, `${configFile} (text_config)`);
  if (config.model_type === 'blip') {
    const blip: Source = { file: `${configFile} (text_config)`, values: { ...BLIP_TEXT_DEFAULTS, ...text } };
    return {
      bos: checked(pick([blip], 'bos_token_id'), vocabSize, 'bos_token_id'),
      eos: checked(pick([blip], 'sep_token_id'), vocabSize, 'sep_token_id (BLIP stops on [SEP])'),
      pad: checked(pick([blip], 'pad_token_id'), vocabSize, 'pad_token_id'),
    };
  }
  const sources = generationSources(dir, config, text);
  const start = pick(sources, 'decoder_start_token_id') ?? pick(sources, 'bos_token_id');
  const eos = pick(sources, 'eos_token_id');
  if (!start || !eos) {
    const missing = [!start && 'decoder_start_token_id or bos_token_id', !eos && 'eos_token_id'].filter(Boolean).join(' and ');
    throw new ApiError(ErrorCode.BadFormat, `${dir}: generation_config.json / config.json (with its decoder and text_config) name no ${missing}`);
  }
  const pad = pick(sources, 'pad_token_id');
  return {
    bos: checked(start, vocabSize, 'decoder_start_token_id'),
    eos: checked(eos, vocabSize, 'eos_token_id'),
    // GPT-2 has no pad token; generate() pads finished rows with eos then.
    pad: pad ? checked(pad, vocabSize, 'pad_token_id') : checked(eos, vocabSize, 'eos_token_id'),
  };
}

/**
 * forced_bos/forced_eos_token_id and no_repeat_ngram_size in the same precedence (Florence-2
 * large-ft's generation_config is 62 bytes, so there they come from config.json; MODELS.md
 * appendix §3). A value that is not a whole number is an error naming its file.
 */
export function readGenerationDefaults(dir: string): GenerationDefaults {
  const configFile = join(dir, 'config.json');
  const config = asObject(readModelJson(dir, 'config.json'), configFile);
  const sources = generationSources(dir, config, asObject(config.text_config ?? {}, `${configFile} (text_config)`));
  const result: GenerationDefaults = {};
  const bos = wholeNumber(pick(sources, 'forced_bos_token_id'));
  const eos = wholeNumber(pick(sources, 'forced_eos_token_id'));
  const ngram = wholeNumber(pick(sources, 'no_repeat_ngram_size'));
  if (bos !== undefined) result.forcedBosTokenId = bos;
  if (eos !== undefined) result.forcedEosTokenId = eos;
  if (ngram !== undefined) result.noRepeatNgramSize = ngram;
  return result;
}

/** generation_config.json when present, then config.json, its decoder and its text_config. */
function generationSources(dir: string, config: Json, text: Json): Source[] {
  const configFile = join(dir, 'config.json');
  const generation = readOptionalModelJson(dir, 'generation_config.json');
  return [
    ...(generation === undefined ? [] : [{ file: join(dir, 'generation_config.json'), values: asObject(generation, join(dir, 'generation_config.json')) }]),
    { file: configFile, values: config },
    { file: `${configFile} (decoder)`, values: asObject(config.decoder ?? {}, `${configFile} (decoder)`) },
    { file: `${configFile} (text_config)`, values: text },
  ];
}

function wholeNumber(picked: Picked | undefined): number | undefined {
  if (!picked) return undefined;
  if (!Number.isInteger(picked.value) || (picked.value as number) < 0) {
    throw new ApiError(ErrorCode.BadFormat, `${picked.file}: ${picked.key} ${JSON.stringify(picked.value)} is not a whole number`);
  }
  return picked.value as number;
}

interface Picked {
  file: string;
  key: string;
  value: unknown;
}

/** The first source that sets `key` (null counts as unset, as in transformers). */
function pick(sources: readonly Source[], key: string): Picked | undefined {
  for (const s of sources) if (s.values[key] !== undefined && s.values[key] !== null) return { file: s.file, key, value: s.values[key] };
  return undefined;
}

/** An id inside the vocabulary; a list (several stop ids) contributes its first, the one the decode loop stops on. */
function checked(picked: Picked | undefined, vocabSize: number, what: string): number {
  if (!picked) throw new ApiError(ErrorCode.BadFormat, `no ${what} found`);
  const value = Array.isArray(picked.value) ? picked.value[0] : picked.value;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= vocabSize) {
    throw new ApiError(
      ErrorCode.BadFormat,
      `${picked.file}: ${picked.key} ${JSON.stringify(picked.value)} is not a token id of the decoder's ${vocabSize}-token vocabulary (${what})`,
    );
  }
  return value as number;
}

function asObject(value: unknown, file: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(ErrorCode.BadFormat, `${file}: expected a JSON object`);
  return value as Json;
}
