/** The one place the loop calls the model, so every strategy gets the same shape check. */
import type { DecoderStepper, StepOutput } from './types.js';

/** Runs one step and checks that the logits have the `rows × vocabSize` shape the loop relies on. */
export async function checkedStep<S>(stepper: DecoderStepper<S>, state: S, tokens: number[][]): Promise<StepOutput<S>> {
  const out = await stepper.step(state, tokens);
  const expected = tokens.length * stepper.vocabSize;
  if (out.logits.length !== expected) {
    throw new Error(`decoder step returned ${out.logits.length} logits, expected ${tokens.length} rows × ${stepper.vocabSize}`);
  }
  return out;
}

/** Whether `indices` selects every current row in place (the reorder can be skipped). */
export function isIdentity(indices: readonly number[], currentRows: number): boolean {
  return indices.length === currentRows && indices.every((v, i) => v === i);
}
