/**
 * Beam search with Hugging Face semantics (`generation/beam_search.py` BeamHypotheses and the
 * vectorised `_beam_search`):
 * - each step scores every (beam, token) by the beam's summed log-probability plus the token's
 *   processed log-probability and keeps the best 2·numBeams candidates;
 * - an EOS candidate ranked within the first numBeams finishes a hypothesis scored
 *   `sum / generatedLength ** lengthPenalty` (generatedLength counts the EOS);
 * - the best numBeams non-EOS candidates run on;
 * - `earlyStopping` true stops an input once numBeams hypotheses finished, false stops when the
 *   best running beam cannot beat the worst finished one at the current length, 'never' uses the
 *   most favourable reachable length;
 * - at maxNewTokens the top numBeams candidates are finalised as they are.
 *
 * Rows: every live beam of every input, input-major. Inputs that are done are dropped from the
 * batch at the next reorder (beam search reorders every step anyway, so this costs nothing).
 */
import { logSumExp } from './logits-processors.js';
import type { ResolvedOptions } from './options.js';
import { applyProcessors } from './sampling.js';
import { topKIndices } from './selection.js';
import { checkedStep, isIdentity } from './step.js';
import type { DecoderStepper, GenerateResult } from './types.js';

interface Hypothesis {
  tokens: number[];
  logProbs: number[];
  score: number;
  finished: boolean;
}

/** The best `numBeams` finished hypotheses of one input (HF's `BeamHypotheses`). */
export class BeamHypotheses {
  private readonly items: Hypothesis[] = [];

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: boolean | 'never',
    private readonly maxNewTokens: number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Worst kept score; +Infinity while empty. */
  get worstScore(): number {
    let worst = Infinity;
    for (const h of this.items) worst = Math.min(worst, h.score);
    return worst;
  }

  /** Adds a hypothesis whose log-probabilities sum to `sum` over `length` generated tokens. */
  add(tokens: number[], logProbs: number[], sum: number, length: number, finished: boolean): void {
    const score = sum / length ** this.lengthPenalty;
    if (this.items.length < this.numBeams) {
      this.items.push({ tokens, logProbs, score, finished });
      return;
    }
    let worstAt = 0;
    for (let i = 1; i < this.items.length; i++) if (this.items[i]!.score < this.items[worstAt]!.score) worstAt = i;
    if (score > this.items[worstAt]!.score) this.items[worstAt] = { tokens, logProbs, score, finished };
  }

  /**
   * Whether no running beam can still improve the kept set. `bestRunningSum` is the summed
   * log-probability of the best running beam, `length` the generated length of running beams.
   */
  isDone(bestRunningSum: number, length: number): boolean {
    if (this.items.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    // With a positive penalty a longer finish divides by more, so 'never' assumes the longest.
    const bestLength = this.earlyStopping === 'never' && this.lengthPenalty > 0 ? this.maxNewTokens : length;
    return this.worstScore >= bestRunningSum / bestLength ** this.lengthPenalty;
  }

  /** The `n` best hypotheses, best first (equal scores keep insertion order). */
  best(n: number): Hypothesis[] {
    return this.items
      .map((h, i) => ({ h, i }))
      .sort((a, b) => b.h.score - a.h.score || a.i - b.i)
      .slice(0, n)
      .map(({ h }) => h);
  }
}

interface Beam {
  tokens: number[];
  logProbs: number[];
  /** Sum of processed log-probabilities (the ranking key). */
  sum: number;
  /** Row of this beam in the latest logits. */
  row: number;
}

interface InputState {
  hyps: BeamHypotheses;
  beams: Beam[];
  done: boolean;
}

/** Beam search over `batchSize` inputs; see the module comment for the exact semantics. */
export async function beamSearch<S>(stepper: DecoderStepper<S>, o: ResolvedOptions): Promise<GenerateResult> {
  const vocab = stepper.vocabSize;
  const k = o.numBeams;
  const work = new Float64Array(vocab);
  // Reused every step: numBeams × vocab doubles is 1.6 MB for GPT-2 with 4 beams.
  const candidateBuffer = new Float64Array(k * vocab);
  const inputs: InputState[] = Array.from({ length: o.batchSize }, (_, b) => ({
    hyps: new BeamHypotheses(k, o.lengthPenalty, o.earlyStopping, o.maxNewTokens),
    // One beam per input before the first step: HF's "only beam 0 counts at step 0".
    beams: [{ tokens: [], logProbs: [], sum: 0, row: b }],
    done: false,
  }));

  let state = stepper.start(o.batchSize);
  let out = await checkedStep(stepper, state, Array.from({ length: o.batchSize }, () => [...o.prompt]));
  state = out.state;
  let currentRows = o.batchSize;

  for (let t = 0; t < o.maxNewTokens; t++) {
    const last = t === o.maxNewTokens - 1;
    const length = t + 1;
    for (const input of inputs) {
      if (input.done) continue;
      const beams = input.beams;
      const candidates = candidateBuffer.subarray(0, beams.length * vocab);
      const lse = new Float64Array(beams.length);
      beams.forEach((beam, j) => {
        const raw = out.logits.subarray(beam.row * vocab, (beam.row + 1) * vocab);
        lse[j] = logSumExp(raw);
        // HF processes log-softmax scores in beam search (not raw logits as in greedy).
        for (let i = 0; i < vocab; i++) work[i] = raw[i]! - lse[j]!;
        applyProcessors(work, beam.tokens, o);
        const base = j * vocab;
        for (let i = 0; i < vocab; i++) candidates[base + i] = beam.sum + work[i]!;
      });

      const next: Beam[] = [];
      const top = topKIndices(candidates, 2 * k);
      for (let rank = 0; rank < top.length; rank++) {
        const c = top[rank]!;
        const sum = candidates[c]!;
        if (sum === -Infinity) break; // sorted: only impossible candidates remain
        const j = Math.floor(c / vocab);
        const token = c - j * vocab;
        const parent = beams[j]!;
        const isEos = token === o.eosTokenId;
        const rawLogProb = out.logits[parent.row * vocab + token]! - lse[j]!;
        const logProbs = [...parent.logProbs, rawLogProb];
        const tokens = isEos ? parent.tokens : [...parent.tokens, token];
        if (isEos || last) {
          // Only the top numBeams ranks may finish, as in HF; lower EOS ranks are backups.
          if (rank < k) input.hyps.add(tokens, logProbs, sum, length, isEos);
          continue;
        }
        next.push({ tokens, logProbs, sum, row: parent.row });
        if (next.length === k) break;
      }

      if (last || next.length === 0 || input.hyps.isDone(next[0]!.sum, length)) {
        input.done = true;
        input.beams = [];
      } else {
        input.beams = next;
      }
    }
    if (inputs.every((input) => input.done)) break;

    const indices: number[] = [];
    const tokens: number[][] = [];
    for (const input of inputs) {
      for (const beam of input.beams) {
        indices.push(beam.row);
        beam.row = tokens.length;
        tokens.push([beam.tokens[beam.tokens.length - 1]!]);
      }
    }
    if (!isIdentity(indices, currentRows)) state = stepper.reorder(state, indices);
    currentRows = indices.length;
    out = await checkedStep(stepper, state, tokens);
    state = out.state;
  }

  const result: GenerateResult = { sequences: [], scores: [], tokenLogProbs: [], finished: [] };
  for (const input of inputs) {
    const best = input.hyps.best(o.numReturnSequences);
    for (let i = 0; i < o.numReturnSequences; i++) {
      // Fewer hypotheses than asked only when nearly every token was impossible.
      const h = best[i] ?? { tokens: [], logProbs: [], score: -Infinity, finished: false };
      result.sequences.push(h.tokens);
      result.scores.push(h.score);
      result.tokenLogProbs.push(h.logProbs);
      result.finished.push(h.finished);
    }
  }
  return result;
}
