/**
 * Token choice from one row of processed scores: multinomial sampling with an injected random
 * source (reproducible), and the warper chain that sampling uses.
 */
import {
  applyNoRepeatNgram,
  applyRepetitionPenalty,
  applyTemperature,
  applyTopK,
  applyTopP,
  forceToken,
  suppressToken,
} from './logits-processors.js';
import { nucleusIndices, topKIndices } from './selection.js';
import type { RandomSource } from './types.js';

/**
 * Draws an index with probability softmax(scores). Overwrites `scores` with the unnormalised
 * weights (the caller's scratch row), which avoids a second vocabulary-sized buffer.
 * Exactly one `rng.nextFloat()` per call, so the number of draws never depends on the scores.
 */
export function sampleIndex(scores: Float64Array, rng: RandomSource): number {
  const n = scores.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  const u = rng.nextFloat();
  if (max === -Infinity) throw new Error('sampleIndex: every token has probability 0');
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(scores[i]! - max);
    scores[i] = w;
    total += w;
  }
  const target = u * total;
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const w = scores[i]!;
    if (w === 0) continue;
    cumulative += w;
    last = i;
    if (cumulative > target) return i;
  }
  // u·total can round above the accumulated sum; the last token with weight is then correct.
  return last;
}

/** Settings of the processors that run for every strategy. */
export interface ProcessorSettings {
  eosTokenId: number;
  minNewTokens: number;
  repetitionPenalty: number;
  noRepeatNgramSize: number;
  maxNewTokens: number;
  /** Token forced as the first generated one (HF `forced_bos_token_id`); undefined: none. */
  forcedBosTokenId?: number | undefined;
  /** Token forced as the last one allowed by `maxNewTokens` (HF `forced_eos_token_id`). */
  forcedEosTokenId?: number | undefined;
}

/** Settings of the sampling-only warpers. */
export interface WarperSettings {
  temperature: number;
  topK: number;
  topP: number;
}

/**
 * HF's logits-processor stage (in this order): repetition penalty, min-new-tokens (EOS masked
 * while fewer than `minNewTokens` were generated), no-repeat-ngram, then the forced first / last
 * token, which override everything before them (HF appends ForcedBOS/ForcedEOS after the others).
 * The forced EOS falls on generated token `maxNewTokens` − 1, HF's `cur_len == max_length − 1`
 * with max_length = decoder prompt + maxNewTokens.
 */
export function applyProcessors(scores: Float64Array, history: readonly number[], settings: ProcessorSettings): void {
  applyRepetitionPenalty(scores, history, settings.repetitionPenalty);
  if (history.length < settings.minNewTokens) suppressToken(scores, settings.eosTokenId);
  if (settings.noRepeatNgramSize > 0) applyNoRepeatNgram(scores, history, settings.noRepeatNgramSize);
  if (settings.forcedBosTokenId !== undefined && history.length === 0) forceToken(scores, settings.forcedBosTokenId);
  else if (settings.forcedEosTokenId !== undefined && history.length === settings.maxNewTokens - 1) forceToken(scores, settings.forcedEosTokenId);
}

/**
 * HF's warper stage for sampling (in this order): temperature, top-k, top-p; applied in place to
 * the whole row. The reference form of what `sampleWarped` does faster.
 */
export function applyWarpers(scores: Float64Array, settings: WarperSettings): void {
  applyTemperature(scores, settings.temperature);
  applyTopK(scores, settings.topK);
  applyTopP(scores, settings.topP);
}

/**
 * Temperature, top-k, top-p, then one draw: the same token as `applyWarpers` + `sampleIndex` for
 * the same rng state, but only the first pass touches the whole vocabulary. After top-k the work
 * is on the k survivors, so a 50k vocabulary costs one scan, not several softmaxes and a sort.
 * Candidates stay in index order, which is what makes the draw identical to the full-row one.
 * `scores` is scratch and may be overwritten.
 */
export function sampleWarped(scores: Float64Array, settings: WarperSettings, rng: RandomSource): number {
  const n = scores.length;
  let candidates: Int32Array | undefined; // undefined: every token
  let values: Float64Array = scores;
  if (settings.topK > 0 && settings.topK < n) {
    // Temperature > 0 keeps the order, so top-k can be picked on the untempered scores.
    const top = topKIndices(scores, settings.topK);
    const threshold = scores[top[top.length - 1]!]!;
    // HF keeps everything tied with the k-th score, hence a threshold scan rather than `top`.
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (scores[i]! >= threshold) kept.push(i);
    candidates = Int32Array.from(kept);
    values = Float64Array.from(kept, (i) => scores[i]!);
  }
  applyTemperature(values, settings.temperature);
  if (settings.topP < 1) {
    const nucleus = nucleusIndices(values, settings.topP);
    const picked = new Int32Array(nucleus.length);
    const pickedValues = new Float64Array(nucleus.length);
    nucleus.forEach((pos, j) => {
      picked[j] = candidates ? candidates[pos]! : pos;
      pickedValues[j] = values[pos]!;
    });
    candidates = picked;
    values = pickedValues;
  }
  const position = sampleIndex(values, rng);
  return candidates ? candidates[position]! : position;
}
