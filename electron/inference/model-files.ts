/** Reading the files of a model folder with errors that name the file and what is wrong. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { jsonErrorMessage } from '../../shared/json-error.js';

/** A JSON object as read from a model's config file, before its keys are checked. */
export type JsonObject = Record<string, unknown>;

export function readModelJson(dir: string, rel: string): unknown {
  const file = join(dir, rel);
  if (!existsSync(file)) throw new ApiError(ErrorCode.NotFound, `${file}: missing file`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${file}: not valid JSON (${jsonErrorMessage(error)})`);
  }
}

export function readOptionalModelJson(dir: string, rel: string): unknown {
  return existsSync(join(dir, rel)) ? readModelJson(dir, rel) : undefined;
}

/** A Hugging Face `tokenizer.json` (+ `tokenizer_config.json`) from `dir`. */
export function loadTokenizer(dir: string): Tokenizer {
  const json = readModelJson(dir, 'tokenizer.json');
  const config = readOptionalModelJson(dir, 'tokenizer_config.json') ?? {};
  try {
    return new Tokenizer(json as object, config as object);
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${join(dir, 'tokenizer.json')}: cannot build a tokenizer (${(error as Error).message})`);
  }
}
