/**
 * The prompt tokenizer of a Stable Diffusion folder. Optimum exports usually ship a
 * `tokenizer/tokenizer.json`, but the diffusers layout (and many public SD repos) only has the
 * slow CLIPTokenizer's `vocab.json` + `merges.txt`. For those we build the equivalent fast
 * tokenizer definition in memory — the one `transformers` writes when it converts CLIPTokenizer
 * (byte-level BPE with a `</w>` end-of-word suffix, CLIP's split regex, bos/eos around the
 * text) — so both layouts go through the same @huggingface/tokenizers code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { loadTokenizer, readModelJson, readOptionalModelJson } from '../model-files.js';

export const CLIP_BOS = '<|startoftext|>';
export const CLIP_EOS = '<|endoftext|>';
/** CLIP's context length, used when neither the graph nor tokenizer_config.json fixes one. */
const DEFAULT_MAX_LENGTH = 77;

/**
 * CLIP's pre-tokenisation regex (openai/CLIP simple_tokenizer.py): the two special tokens,
 * English contractions, runs of letters, single digits, runs of other non-space characters.
 * Whitespace is dropped (the matches are kept: `invert: true`).
 */
const CLIP_SPLIT = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/** `merges.txt` lines after the `#version` header: "a b" pairs, rank order. */
export function parseMerges(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line, i) => line.trim() !== '' && !(i === 0 && line.startsWith('#version')));
}

/**
 * A tokenizer.json object for CLIP's BPE from its vocab and merges (what transformers'
 * CLIPConverter produces). Both special tokens must be in the vocab.
 */
export function clipTokenizerJson(vocab: Record<string, number>, merges: readonly string[]): object {
  const bos = vocab[CLIP_BOS];
  const eos = vocab[CLIP_EOS];
  if (bos === undefined || eos === undefined) throw new Error(`the vocabulary lacks ${bos === undefined ? CLIP_BOS : CLIP_EOS}`);
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(CLIP_BOS, bos), special(CLIP_EOS, eos)],
    // ftfy's fix_text is not reproduced; NFC + whitespace collapsing + lowercase is what the
    // fast tokenizer does, and it agrees with the slow one on ordinary prompts.
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT }, behavior: 'Removed', invert: true },
        // Byte-level mapping without GPT-2's regex: CLIP's vocab is written in the same
        // byte-to-unicode alphabet, so non-ASCII characters reach the vocab's symbols.
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: [CLIP_EOS, eos], cls: [CLIP_BOS, bos], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: CLIP_EOS,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [...merges],
    },
  };
}

/** Prompts → fixed-length id rows, as the text encoder wants them. */
export interface PromptTokenizer {
  /** Every row has `maxLength` ids: truncated (keeping the end token) or padded with `padId`. */
  encode(texts: readonly string[]): number[][];
  readonly maxLength: number;
  readonly padId: number;
}

type TokenField = string | { content?: unknown } | null | undefined;

function tokenName(field: TokenField): string | undefined {
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && typeof field.content === 'string') return field.content;
  return undefined;
}

/**
 * The tokenizer in `dir` (a `tokenizer/` folder). `fixedLength` is the text encoder's declared
 * sequence length when the graph fixes one; it wins over tokenizer_config's model_max_length.
 */
export function loadPromptTokenizer(dir: string, fixedLength?: number): PromptTokenizer {
  const config = (readOptionalModelJson(dir, 'tokenizer_config.json') ?? {}) as Record<string, unknown>;
  const specialMap = (readOptionalModelJson(dir, 'special_tokens_map.json') ?? {}) as Record<string, unknown>;
  const tokenizer = buildTokenizer(dir, config);

  // transformers writes a huge sentinel (1e30) for "no limit"; fall back to CLIP's 77 then.
  const configured = typeof config.model_max_length === 'number' && config.model_max_length < 1e6 ? config.model_max_length : undefined;
  const maxLength = fixedLength ?? configured ?? DEFAULT_MAX_LENGTH;

  const eosName = tokenName(config.eos_token as TokenField) ?? tokenName(specialMap.eos_token as TokenField) ?? CLIP_EOS;
  const eosId = tokenizer.token_to_id(eosName);
  // SD 1.x pads with <|endoftext|>, SD 2.x / turbo with "!" (id 0): always the folder's choice.
  const padName = tokenName(config.pad_token as TokenField) ?? tokenName(specialMap.pad_token as TokenField) ?? eosName;
  const padId = tokenizer.token_to_id(padName);
  if (padId === undefined) {
    throw new ApiError(ErrorCode.BadFormat, `${join(dir, 'tokenizer_config.json')}: pad token ${JSON.stringify(padName)} is not in the vocabulary`);
  }

  return {
    maxLength,
    padId,
    encode(texts) {
      return texts.map((text) => {
        let ids = tokenizer.encode(text).ids;
        if (ids.length > maxLength) {
          // Like transformers' truncation, the end token survives: the text encoder's pooled
          // output and SD's conditioning expect a complete sequence.
          const endsWithEos = eosId !== undefined && ids.at(-1) === eosId;
          ids = endsWithEos ? [...ids.slice(0, maxLength - 1), eosId] : ids.slice(0, maxLength);
        }
        return [...ids, ...new Array<number>(maxLength - ids.length).fill(padId)];
      });
    },
  };
}

function buildTokenizer(dir: string, config: Record<string, unknown>): Tokenizer {
  if (existsSync(join(dir, 'tokenizer.json'))) return loadTokenizer(dir);
  const vocabFile = join(dir, 'vocab.json');
  const mergesFile = join(dir, 'merges.txt');
  if (!existsSync(vocabFile) || !existsSync(mergesFile)) {
    const missing = existsSync(vocabFile) ? mergesFile : vocabFile;
    throw new ApiError(ErrorCode.NotFound, `${missing}: missing file (the tokenizer needs tokenizer.json, or vocab.json and merges.txt)`);
  }
  const vocab = readModelJson(dir, 'vocab.json');
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab) || !Object.values(vocab).every((v) => Number.isInteger(v))) {
    throw new ApiError(ErrorCode.BadFormat, `${vocabFile}: expected an object of token → id`);
  }
  const merges = parseMerges(readFileSync(mergesFile, 'utf8'));
  const bad = merges.findIndex((m) => m.split(' ').length !== 2);
  if (bad >= 0) throw new ApiError(ErrorCode.BadFormat, `${mergesFile}: merge ${bad + 1} is not a pair ("${merges[bad]}")`);
  try {
    return new Tokenizer(clipTokenizerJson(vocab as Record<string, number>, merges), config);
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${vocabFile}: cannot build a CLIP tokenizer (${(error as Error).message})`);
  }
}
