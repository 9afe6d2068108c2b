/**
 * The decode loop: greedy and sampling here, beam search in beam-search.ts. We own this loop
 * (MODELS.md §1.2) because transformers.js implements neither top-p nor beam search nor N return
 * sequences; the model sits behind `DecoderStepper` so the loop can be tested on a toy model.
 *
 * Row layout: `batchSize` inputs × `numReturnSequences` rows, input-major. The prompt is run once
 * per input, then `reorder` fans each input out to its N rows, so the prompt is never recomputed.
 */
import { beamSearch } from './beam-search.js';
import { logSumExp } from './logits-processors.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { applyProcessors, sampleWarped } from './sampling.js';
import { argmax } from './selection.js';
import { checkedStep, isIdentity } from './step.js';
import type { DecoderStepper, GenerateOptions, GenerateResult } from './types.js';

/**
 * Generates `batchSize × numReturnSequences` sequences with the chosen strategy. Sampling is
 * reproducible: the rng is drawn once per live row per step, in row order, so the same rng state
 * gives the same sequences (also with `dropFinishedRows`).
 */
export async function generate<S>(stepper: DecoderStepper<S>, options: GenerateOptions): Promise<GenerateResult> {
  const resolved = resolveOptions(options, stepper.vocabSize);
  if (resolved.strategy === 'beam') return beamSearch(stepper, resolved);
  return greedyOrSample(stepper, resolved);
}

async function greedyOrSample<S>(stepper: DecoderStepper<S>, o: ResolvedOptions): Promise<GenerateResult> {
  const vocab = stepper.vocabSize;
  const perInput = o.numReturnSequences;
  const rows = o.batchSize * perInput;
  // temperature 0 is the limit of sampling: the argmax. Handled here so it never divides by 0.
  const sampling = o.strategy === 'sample' && o.temperature > 0;

  const sequences: number[][] = Array.from({ length: rows }, () => []);
  const tokenLogProbs: number[][] = Array.from({ length: rows }, () => []);
  const scores = new Float64Array(rows);
  const finished: boolean[] = new Array<boolean>(rows).fill(false);
  const work = new Float64Array(vocab);

  let state = stepper.start(o.batchSize);
  let out = await checkedStep(stepper, state, Array.from({ length: o.batchSize }, () => [...o.prompt]));
  state = out.state;
  // physicalRow[r]: where logical row r sits in the last logits (-1 once dropped). Before the
  // fan-out every row of an input reads its input's prompt row.
  const physicalRow = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / perInput));
  let currentRows = o.batchSize;

  for (let t = 0; t < o.maxNewTokens; t++) {
    let newlyFinished = false;
    for (let r = 0; r < rows; r++) {
      if (finished[r]) continue;
      const p = physicalRow[r]!;
      const raw = out.logits.subarray(p * vocab, (p + 1) * vocab);
      work.set(raw);
      const history = sequences[r]!;
      applyProcessors(work, history, o);
      let token: number;
      if (sampling) {
        token = sampleWarped(work, o, o.rng!);
      } else {
        token = argmax(work);
      }
      const logProb = raw[token]! - logSumExp(raw);
      tokenLogProbs[r]!.push(logProb);
      scores[r] = scores[r]! + logProb;
      if (token === o.eosTokenId) {
        finished[r] = true;
        newlyFinished = true;
      } else {
        history.push(token);
      }
    }
    if (t === o.maxNewTokens - 1 || finished.every(Boolean)) break;

    // Fan out after the prompt step; later, reorder only to drop rows that just finished.
    if (t === 0 || (o.dropFinishedRows && newlyFinished)) {
      const keep: number[] = [];
      for (let r = 0; r < rows; r++) if (!(o.dropFinishedRows && finished[r])) keep.push(r);
      const indices = keep.map((r) => physicalRow[r]!);
      if (!isIdentity(indices, currentRows)) state = stepper.reorder(state, indices);
      physicalRow.fill(-1);
      keep.forEach((r, position) => {
        physicalRow[r] = position;
      });
      currentRows = keep.length;
    }

    const tokens: number[][] = new Array<number[]>(currentRows);
    for (let r = 0; r < rows; r++) {
      const p = physicalRow[r]!;
      if (p < 0) continue;
      const seq = sequences[r]!;
      // Finished rows still in the batch are fed padding so the batch keeps its shape.
      tokens[p] = finished[r] ? [o.padTokenId] : [seq[seq.length - 1]!];
    }
    out = await checkedStep(stepper, state, tokens);
    state = out.state;
  }

  return { sequences, scores: Array.from(scores), tokenLogProbs, finished };
}
