/**
 * Logits processors and warpers, each in place on one row of scores (a Float64Array of the
 * vocabulary size). Semantics follow Hugging Face `generation/logits_process.py`; the order in
 * which `generate` applies them is HF's too: repetition penalty, min-new-tokens, no-repeat-ngram,
 * then (sampling only) temperature, top-k, top-p.
 *
 * One deliberate difference: the "history" these see is the generated tokens only, not the
 * decoder prompt. HF also counts the prompt, which for ViT-GPT2 (bos = eos = 50256) means a
 * repetition penalty silently penalises EOS from the first step.
 */
import { nucleusIndices, topKIndices } from './selection.js';

/**
 * CTRL-style repetition penalty: for every distinct token already generated, a positive score is
 * divided by `penalty` and a negative one multiplied, so the token always becomes less likely.
 */
export function applyRepetitionPenalty(scores: Float64Array, history: readonly number[], penalty: number): void {
  if (penalty === 1 || history.length === 0) return;
  const seen = new Set<number>();
  for (const token of history) {
    if (seen.has(token)) continue;
    seen.add(token);
    const s = scores[token]!;
    scores[token] = s < 0 ? s * penalty : s / penalty;
  }
}

/** Sets one token's score to -Infinity (EOS before `minNewTokens`). */
export function suppressToken(scores: Float64Array, token: number): void {
  if (token >= 0 && token < scores.length) scores[token] = -Infinity;
}

/**
 * Leaves only `token` possible (score 0, every other -Infinity), as HF's ForcedBOS/ForcedEOS
 * processors do: BART-family models such as Florence-2 are configured to start with `<s>` and
 * to end with `</s>` at the length limit (their generation_config's forced_bos/forced_eos_token_id).
 */
export function forceToken(scores: Float64Array, token: number): void {
  if (token < 0 || token >= scores.length) return;
  scores.fill(-Infinity);
  scores[token] = 0;
}

/**
 * Bans every token that would complete an n-gram already present in `history`: the last `n - 1`
 * tokens are compared with each earlier window, and the token that followed a match is banned.
 */
export function applyNoRepeatNgram(scores: Float64Array, history: readonly number[], n: number): void {
  const len = history.length;
  if (n <= 0 || len + 1 < n) return;
  const prefix = n - 1;
  // Window start `i` covers history[i .. i + n - 1]; its first n - 1 tokens must equal the tail.
  for (let i = 0; i + n <= len; i++) {
    let match = true;
    for (let j = 0; j < prefix; j++) {
      if (history[i + j] !== history[len - prefix + j]) {
        match = false;
        break;
      }
    }
    if (match) scores[history[i + prefix]!] = -Infinity;
  }
}

/** Divides every score by `temperature` (> 0). */
export function applyTemperature(scores: Float64Array, temperature: number): void {
  if (temperature === 1) return;
  const inv = 1 / temperature;
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! * inv;
}

/**
 * Keeps the `k` highest scores (and any tied with the k-th, as HF's `scores < kth` mask does);
 * the rest become -Infinity. `k <= 0` or `k >= vocab` is a no-op.
 */
export function applyTopK(scores: Float64Array, k: number): void {
  if (k <= 0 || k >= scores.length) return;
  const top = topKIndices(scores, k);
  if (top.length === 0) return;
  const threshold = scores[top[top.length - 1]!]!;
  for (let i = 0; i < scores.length; i++) if (scores[i]! < threshold) scores[i] = -Infinity;
}

/**
 * Nucleus filtering in place: keeps the smallest set of highest-probability tokens whose
 * cumulative probability reaches `p` (always at least one token); the rest become -Infinity.
 */
export function applyTopP(scores: Float64Array, p: number): void {
  if (p >= 1) return;
  const kept = nucleusIndices(scores, p);
  if (kept.length === 0) return;
  const keptValues = kept.map((i) => scores[i]!);
  scores.fill(-Infinity);
  kept.forEach((index, j) => {
    scores[index] = keptValues[j]!;
  });
}

/** log(sum(exp(values))) over `values`, computed stably; -Infinity when all are -Infinity. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

/** In place: scores become log-probabilities (log-softmax). */
export function logSoftmaxInPlace(scores: Float64Array): void {
  const lse = logSumExp(scores);
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! - lse;
}
