/**
 * Types of the decode loop. The model is behind `DecoderStepper`, so the same loop drives a
 * hand-written toy model in tests and, later, onnxruntime sessions with a KV cache (the merged
 * decoder protocol of MODELS.md §1.4: first step with an empty past, then one token per row).
 */

/**
 * Minimal random source: anything with `nextFloat()` in [0, 1). Kept local so this folder does
 * not depend on a particular PRNG implementation; the seeded one lives elsewhere.
 */
export interface RandomSource {
  nextFloat(): number;
}

/** What one decoder step returns. */
export interface StepOutput<S> {
  /** Row-major `rows × vocabSize` logits of the last position of each row. */
  logits: Float32Array;
  /** The state after consuming the tokens (e.g. the grown KV cache). */
  state: S;
}

/**
 * One decoder step for a batch of rows. `state` is opaque to the loop (the KV cache, the encoder
 * output of each row, ...). Row `i` of a batch started with `start(n)` belongs to input `i`.
 */
export interface DecoderStepper<S> {
  readonly vocabSize: number;
  /** An empty cache for `batchSize` rows, one per input (image). */
  start(batchSize: number): S;
  /**
   * Feeds each row its new tokens: the prompt on the first step, then exactly one token per row.
   * All rows get the same number of tokens. Returns the logits of the last position of each row.
   */
  step(state: S, lastTokens: number[][]): Promise<StepOutput<S>>;
  /**
   * Selects (and possibly duplicates) rows: row `j` of the result is row `rowIndices[j]` of
   * `state`. Used to fan one input out to N rows, to follow beam selection, and (optionally) to
   * drop finished rows.
   */
  reorder(state: S, rowIndices: number[]): S;
}

/** Decoding strategy; `numBeams`/`topK`/... are read only by the strategy they belong to. */
export type DecodingStrategy = 'greedy' | 'beam' | 'sample';

/** Options of `generate`. Defaults follow Hugging Face `GenerationConfig` where one exists. */
export interface GenerateOptions {
  /** Decoder start token (prompt when `prompt` is not given). */
  bosTokenId: number;
  eosTokenId: number;
  /** Fed to rows that have finished while other rows still run. */
  padTokenId: number;
  /** Shared decoder prompt; defaults to `[bosTokenId]`. Not part of the returned sequences. */
  prompt?: number[];
  /** Number of independent inputs decoded together (rows of `stepper.start`). Default 1. */
  batchSize?: number;
  /** Hard limit on generated tokens, EOS included. */
  maxNewTokens: number;
  /** EOS is impossible before this many tokens were generated. Default 0. */
  minNewTokens?: number;
  strategy: DecodingStrategy;
  /** Beam search only. Default 4. */
  numBeams?: number;
  /** Beam search only: finished scores are `sumLogProb / length ** lengthPenalty`. Default 1. */
  lengthPenalty?: number;
  /** Beam search only: `true`, `false` (heuristic) or `'never'`, as in HF. Default false. */
  earlyStopping?: boolean | 'never';
  /** Sampling only; 0 disables. Default 0 (HF's default of 50 is deliberately not copied). */
  topK?: number;
  /** Sampling only; 1 disables. Default 1. */
  topP?: number;
  /** Sampling only; 1 disables, 0 means argmax. Default 1. */
  temperature?: number;
  /** All strategies; 1 disables. Default 1. */
  repetitionPenalty?: number;
  /** All strategies; 0 disables. Default 0. */
  noRepeatNgramSize?: number;
  /** All strategies: the first generated token is this one (HF `forced_bos_token_id`). Default none. */
  forcedBosTokenId?: number;
  /** All strategies: a row still running at the length limit ends with this token (HF `forced_eos_token_id`). Default none. */
  forcedEosTokenId?: number;
  /** Sequences per input: N sampled rows, or the N best beams (≤ numBeams). Default 1. */
  numReturnSequences?: number;
  /** Required for `'sample'`. Same rng state ⇒ same sequences. */
  rng?: RandomSource;
  /**
   * Drop rows that have finished (reorder them away) instead of feeding them `padTokenId`.
   * Saves model work once rows finish; results are identical either way. Default false.
   */
  dropFinishedRows?: boolean;
}

/** Output of `generate`: `batchSize × numReturnSequences` entries, input-major. */
export interface GenerateResult {
  /** Generated tokens, without the prompt, up to and excluding EOS. */
  sequences: number[][];
  /**
   * Greedy/sample: the sum of the model's log-probabilities of the generated tokens (EOS
   * included). Beam: HF's sequence score, the (processed) sum divided by `length ** lengthPenalty`.
   */
  scores: number[];
  /**
   * Per generated token, the model's log-probability (log-softmax of the raw logits, before any
   * processor or warper). Has one more entry than `sequences[i]` when the row ended with EOS.
   */
  tokenLogProbs: number[][];
  /** Whether the row ended with EOS (false: it hit `maxNewTokens`). */
  finished: boolean[];
}
