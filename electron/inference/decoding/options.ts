/**
 * Defaults and validation of `GenerateOptions`. Bad settings fail before the first model call
 * with a message naming the option, rather than as odd output many steps later.
 */
import type { DecodingStrategy, GenerateOptions, RandomSource } from './types.js';

/** `GenerateOptions` with every default filled in and every value checked. */
export interface ResolvedOptions {
  eosTokenId: number;
  padTokenId: number;
  prompt: number[];
  batchSize: number;
  maxNewTokens: number;
  minNewTokens: number;
  strategy: DecodingStrategy;
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean | 'never';
  topK: number;
  topP: number;
  temperature: number;
  repetitionPenalty: number;
  noRepeatNgramSize: number;
  forcedBosTokenId: number | undefined;
  forcedEosTokenId: number | undefined;
  numReturnSequences: number;
  rng: RandomSource | undefined;
  dropFinishedRows: boolean;
}

function fail(message: string): never {
  throw new RangeError(`generate: ${message}`);
}

function int(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

function tokenId(name: string, value: number, vocabSize: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= vocabSize) {
    fail(`${name} must be a token id in [0, ${vocabSize}), got ${value}`);
  }
  return value;
}

/** Fills defaults and checks `options` against a vocabulary of `vocabSize` tokens. */
export function resolveOptions(options: GenerateOptions, vocabSize: number): ResolvedOptions {
  int('vocabSize', vocabSize, 1);
  const strategy = options.strategy;
  if (strategy !== 'greedy' && strategy !== 'beam' && strategy !== 'sample') fail(`unknown strategy ${String(strategy)}`);
  const bos = tokenId('bosTokenId', options.bosTokenId, vocabSize);
  const prompt = options.prompt ?? [bos];
  if (prompt.length === 0) fail('prompt must not be empty');
  prompt.forEach((t, i) => tokenId(`prompt[${i}]`, t, vocabSize));

  const resolved: ResolvedOptions = {
    eosTokenId: tokenId('eosTokenId', options.eosTokenId, vocabSize),
    padTokenId: tokenId('padTokenId', options.padTokenId, vocabSize),
    prompt: [...prompt],
    batchSize: int('batchSize', options.batchSize ?? 1, 1),
    maxNewTokens: int('maxNewTokens', options.maxNewTokens, 1),
    minNewTokens: int('minNewTokens', options.minNewTokens ?? 0, 0),
    strategy,
    numBeams: int('numBeams', options.numBeams ?? 4, 1),
    lengthPenalty: options.lengthPenalty ?? 1,
    earlyStopping: options.earlyStopping ?? false,
    topK: int('topK', options.topK ?? 0, 0),
    topP: options.topP ?? 1,
    temperature: options.temperature ?? 1,
    repetitionPenalty: options.repetitionPenalty ?? 1,
    noRepeatNgramSize: int('noRepeatNgramSize', options.noRepeatNgramSize ?? 0, 0),
    forcedBosTokenId: options.forcedBosTokenId === undefined ? undefined : tokenId('forcedBosTokenId', options.forcedBosTokenId, vocabSize),
    forcedEosTokenId: options.forcedEosTokenId === undefined ? undefined : tokenId('forcedEosTokenId', options.forcedEosTokenId, vocabSize),
    numReturnSequences: int('numReturnSequences', options.numReturnSequences ?? 1, 1),
    rng: options.rng,
    dropFinishedRows: options.dropFinishedRows ?? false,
  };

  if (!Number.isFinite(resolved.lengthPenalty)) fail(`lengthPenalty must be finite, got ${resolved.lengthPenalty}`);
  if (resolved.earlyStopping !== true && resolved.earlyStopping !== false && resolved.earlyStopping !== 'never') {
    fail(`earlyStopping must be true, false or 'never'`);
  }
  if (!(resolved.topP > 0 && resolved.topP <= 1)) fail(`topP must be in (0, 1], got ${resolved.topP}`);
  if (!(resolved.temperature >= 0 && Number.isFinite(resolved.temperature))) {
    fail(`temperature must be ≥ 0, got ${resolved.temperature}`);
  }
  if (!(resolved.repetitionPenalty > 0 && Number.isFinite(resolved.repetitionPenalty))) {
    fail(`repetitionPenalty must be > 0, got ${resolved.repetitionPenalty}`);
  }
  if (strategy === 'sample' && !resolved.rng) fail("strategy 'sample' needs an rng");
  if (strategy === 'greedy' && resolved.numReturnSequences !== 1) {
    fail('greedy decoding returns one sequence per input; use sampling or beam search for more');
  }
  if (strategy === 'beam' && resolved.numReturnSequences > resolved.numBeams) {
    fail(`numReturnSequences (${resolved.numReturnSequences}) must be ≤ numBeams (${resolved.numBeams})`);
  }
  return resolved;
}
