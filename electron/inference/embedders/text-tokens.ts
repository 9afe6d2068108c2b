/**
 * Texts → equal-length id rows and attention masks, for text encoders. The JS tokenizer does not
 * apply tokenizer.json's truncation or padding, so both happen here, from the folder's own
 * settings (pad token, max length), because the pooled embedding depends on them.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { loadTokenizer, readModelJson, readOptionalModelJson, type JsonObject as Json } from '../model-files.js';

export interface TokenBatch {
  ids: number[][];
  /** 1 on real tokens, 0 on padding. */
  mask: number[][];
  length: number;
}

export interface TextTokenizer {
  /**
   * `'max'` pads every row to `maxLength` (a row then never depends on its batch-mates, whatever
   * the graph does with padding); `'longest'` pads to the longest row, for masked encoders.
   */
  encode(texts: readonly string[], padTo: 'max' | 'longest'): TokenBatch;
  readonly maxLength: number;
  readonly padId: number;
}

export interface TextTokenizerOptions {
  /** The graph's fixed sequence length, if it declares one: it overrides every config. */
  fixedLength?: number | undefined;
  /** When neither the tokenizer nor config.json gives a limit (CLIP: 77, BERT-likes: 512). */
  defaultMaxLength: number;
  /** Pad token to use when the folder names none (CLIP pads with its end token). */
  defaultPadToken?: string;
}

// transformers writes 1e30 for "no limit".
const NO_LIMIT = 1e6;

export function loadTextTokenizer(dir: string, options: TextTokenizerOptions): TextTokenizer {
  const tokenizer = loadTokenizer(dir);
  const tokJson = readModelJson(dir, 'tokenizer.json') as Json;
  const tokConfig = (readOptionalModelJson(dir, 'tokenizer_config.json') ?? {}) as Json;
  const specialMap = (readOptionalModelJson(dir, 'special_tokens_map.json') ?? {}) as Json;
  const config = (readOptionalModelJson(dir, 'config.json') ?? {}) as Json;
  const stConfig = (readOptionalModelJson(dir, 'sentence_bert_config.json') ?? {}) as Json;

  const maxLength = options.fixedLength ?? resolveMaxLength(tokJson, tokConfig, config, stConfig, options.defaultMaxLength);

  const padding = (tokJson.padding ?? {}) as Json;
  const padName = tokenName(tokConfig.pad_token) ?? tokenName(specialMap.pad_token) ?? options.defaultPadToken;
  const padId =
    (padName !== undefined ? tokenizer.token_to_id(padName) : undefined) ??
    (typeof padding.pad_id === 'number' ? padding.pad_id : undefined) ??
    (typeof config.pad_token_id === 'number' ? config.pad_token_id : undefined);
  if (padId === undefined) {
    const what = padName === undefined ? 'names no pad token' : `pad token ${JSON.stringify(padName)} is not in the vocabulary`;
    throw new ApiError(ErrorCode.BadFormat, `${join(dir, 'tokenizer_config.json')}: ${what}`);
  }

  // Post-processors append an end token ([SEP], <|endoftext|>); truncation must keep it, as
  // transformers does, since CLIP pools at the end token and BERT-likes were trained with it.
  const specialIds = new Set<number>(
    ((tokJson.added_tokens ?? []) as Json[]).filter((t) => t.special === true && typeof t.id === 'number').map((t) => t.id as number),
  );

  return {
    maxLength,
    padId,
    encode(texts, padTo) {
      const rows = texts.map((text) => truncate(tokenizer.encode(text).ids, maxLength, specialIds));
      // At least one position: a zero-length tensor is not a valid input for most graphs.
      const length = padTo === 'max' ? maxLength : Math.max(1, ...rows.map((r) => r.length));
      return {
        length,
        ids: rows.map((r) => [...r, ...new Array<number>(length - r.length).fill(padId)]),
        mask: rows.map((r) => [...new Array<number>(r.length).fill(1), ...new Array<number>(length - r.length).fill(0)]),
      };
    },
  };
}

function truncate(ids: number[], maxLength: number, specialIds: ReadonlySet<number>): number[] {
  if (ids.length <= maxLength) return ids;
  const last = ids.at(-1)!;
  return specialIds.has(last) ? [...ids.slice(0, maxLength - 1), last] : ids.slice(0, maxLength);
}

/**
 * sentence-transformers' max_seq_length first (MiniLM truncates at 256 there though the
 * tokenizer allows 512), then the tokenizer's limits; never beyond the position embeddings.
 */
function resolveMaxLength(tokJson: Json, tokConfig: Json, config: Json, stConfig: Json, fallback: number): number {
  const truncation = (tokJson.truncation ?? {}) as Json;
  const textConfig = (config.text_config ?? {}) as Json;
  const limit = positive(stConfig.max_seq_length) ?? positive(truncation.max_length) ?? positive(tokConfig.model_max_length);
  const positions = positive(textConfig.max_position_embeddings) ?? positive(config.max_position_embeddings);
  const chosen = limit ?? positions ?? fallback;
  return positions !== undefined ? Math.min(chosen, positions) : chosen;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < NO_LIMIT ? v : undefined;
}

function tokenName(field: unknown): string | undefined {
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && typeof (field as Json).content === 'string') return (field as Json).content as string;
  return undefined;
}
