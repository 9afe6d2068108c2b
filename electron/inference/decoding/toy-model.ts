/**
 * A real, tiny language model behind `DecoderStepper`: next-token probabilities come from a
 * hand-written trigram/bigram table, one table per input (the "image" conditioning). Its state
 * is the token history of every row, the analogue of a KV cache, so a wrong `reorder` shows up
 * as wrong continuations. It records every call, so tests can check the loop's protocol.
 * Used by the tests of this folder; the onnxruntime-backed stepper replaces it in the app.
 */
import type { DecoderStepper, StepOutput } from './types.js';

/**
 * Context → next-token probabilities. Contexts are the last token (`"5"`) or the last two
 * (`"3,5"`, tried first). The prompt counts as context. Probabilities absent are 0.
 */
export type NgramTable = Record<string, Record<number, number>>;

/** One call the decode loop made, in order. */
export type ToyCall =
  | { kind: 'start'; batchSize: number }
  | { kind: 'step'; tokens: number[][] }
  | { kind: 'reorder'; indices: number[] };

/** Per row: which input (table) it belongs to and everything it has been fed. */
export interface ToyState {
  rows: { input: number; history: number[] }[];
}

/** Bigram/trigram model with one table per input; unknown contexts give a uniform distribution. */
export class ToyNgramModel implements DecoderStepper<ToyState> {
  readonly calls: ToyCall[] = [];

  constructor(
    readonly vocabSize: number,
    private readonly tables: NgramTable[],
  ) {}

  start(batchSize: number): ToyState {
    if (batchSize > this.tables.length) throw new Error(`toy model has ${this.tables.length} inputs, asked for ${batchSize}`);
    this.calls.push({ kind: 'start', batchSize });
    return { rows: Array.from({ length: batchSize }, (_, input) => ({ input, history: [] })) };
  }

  async step(state: ToyState, lastTokens: number[][]): Promise<StepOutput<ToyState>> {
    this.calls.push({ kind: 'step', tokens: lastTokens.map((t) => [...t]) });
    if (lastTokens.length !== state.rows.length) {
      throw new Error(`step got ${lastTokens.length} rows, state has ${state.rows.length}`);
    }
    const rows = state.rows.map((row, i) => {
      const fed = lastTokens[i]!;
      if (row.history.length > 0 && fed.length !== 1) throw new Error('after the prompt, one token per row');
      return { input: row.input, history: [...row.history, ...fed] };
    });
    const logits = new Float32Array(rows.length * this.vocabSize);
    rows.forEach((row, i) => logits.set(this.logitsFor(row.input, row.history), i * this.vocabSize));
    return { logits, state: { rows } };
  }

  reorder(state: ToyState, rowIndices: number[]): ToyState {
    this.calls.push({ kind: 'reorder', indices: [...rowIndices] });
    return {
      rows: rowIndices.map((i) => {
        const row = state.rows[i];
        if (!row) throw new Error(`reorder: no row ${i} in a batch of ${state.rows.length}`);
        return { input: row.input, history: [...row.history] };
      }),
    };
  }

  /** The model's next-token distribution after `history`, as log-probabilities. */
  distribution(input: number, history: readonly number[]): Float64Array {
    const table = this.tables[input]!;
    const n = history.length;
    const two = n >= 2 ? table[`${history[n - 2]},${history[n - 1]}`] : undefined;
    const one = n >= 1 ? table[`${history[n - 1]}`] : undefined;
    const probs = new Float64Array(this.vocabSize);
    const entry = two ?? one;
    if (entry) for (const [token, p] of Object.entries(entry)) probs[Number(token)] = p;
    else probs.fill(1 / this.vocabSize);
    return probs;
  }

  private logitsFor(input: number, history: readonly number[]): Float32Array {
    // log p as the logits: softmax recovers p exactly (up to float32), impossible tokens are -Infinity.
    return Float32Array.from(this.distribution(input, history), (p) => Math.log(p));
  }
}
