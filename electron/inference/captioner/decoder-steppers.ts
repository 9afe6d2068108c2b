/**
 * onnxruntime-backed `DecoderStepper`s for captioner decoders in the public two-graph layout.
 *
 * - `MergedDecoderStepper` drives `decoder_model_merged.onnx` (MODELS.md §1.4): the first step
 *   feeds an empty past with use_cache_branch=false, later steps feed `present.*` back as
 *   `past_key_values.*` with use_cache_branch=true and one new token per row.
 * - `FullSequenceDecoderStepper` drives a no-cache `decoder_model.onnx` by feeding each row's
 *   whole history every step.
 * Both carry the encoder output per row, so `reorder` (beam search, N candidates) keeps each
 * row attached to its own image.
 */
import type ort from 'onnxruntime-node';
import type { DecoderStepper, StepOutput } from '../decoding/index.js';
import { boolTensor, emptyPastTensor, tokenIdsTensor } from '../onnx/feeds.js';
import type { OnnxSession } from '../onnx/session.js';
import { gatherRows, lastPositionLogits } from '../tensors/gather-rows.js';

export interface MergedState {
  encoderHidden: ort.Tensor;
  past: Record<string, ort.Tensor>;
  started: boolean;
}

export class MergedDecoderStepper implements DecoderStepper<MergedState> {
  private readonly pastNames: string[];

  constructor(
    private readonly decoder: OnnxSession,
    /** [inputs, encoder_sequence_length, hidden] from the encoder, one row per image. */
    private readonly encoderHidden: ort.Tensor,
    readonly vocabSize: number,
  ) {
    this.pastNames = decoder.info.inputs.filter((s) => s.name.startsWith('past_key_values.')).map((s) => s.name);
    decoder.input('input_ids');
    decoder.input('encoder_hidden_states');
    for (const name of this.pastNames) decoder.output(presentName(name));
  }

  start(batchSize: number): MergedState {
    const encoderHidden = checkBatch(this.encoderHidden, batchSize);
    const past = Object.fromEntries(this.pastNames.map((n) => [n, emptyPastTensor(this.decoder.input(n), batchSize)]));
    return { encoderHidden, past, started: false };
  }

  async step(state: MergedState, lastTokens: number[][]): Promise<StepOutput<MergedState>> {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: tokenIdsTensor(this.decoder.input('input_ids'), lastTokens),
      encoder_hidden_states: state.encoderHidden,
      ...state.past,
    };
    if (this.decoder.hasInput('use_cache_branch')) feeds.use_cache_branch = boolTensor(state.started);
    const out = await this.decoder.run(feeds);
    const past = Object.fromEntries(this.pastNames.map((n) => [n, out[presentName(n)]!]));
    return { logits: lastPositionLogits(out.logits!), state: { encoderHidden: state.encoderHidden, past, started: true } };
  }

  reorder(state: MergedState, rowIndices: number[]): MergedState {
    return reorderCached(state, rowIndices);
  }
}

export interface FullSequenceState {
  encoderHidden: ort.Tensor;
  history: number[][];
}

export class FullSequenceDecoderStepper implements DecoderStepper<FullSequenceState> {
  constructor(
    private readonly decoder: OnnxSession,
    private readonly encoderHidden: ort.Tensor,
    readonly vocabSize: number,
  ) {
    decoder.input('input_ids');
    decoder.input('encoder_hidden_states');
  }

  start(batchSize: number): FullSequenceState {
    const encoderHidden = checkBatch(this.encoderHidden, batchSize);
    return { encoderHidden, history: Array.from({ length: batchSize }, () => []) };
  }

  async step(state: FullSequenceState, lastTokens: number[][]): Promise<StepOutput<FullSequenceState>> {
    const history = state.history.map((h, i) => [...h, ...lastTokens[i]!]);
    const out = await this.decoder.run({
      input_ids: tokenIdsTensor(this.decoder.input('input_ids'), history),
      encoder_hidden_states: state.encoderHidden,
    });
    return { logits: lastPositionLogits(out.logits!), state: { encoderHidden: state.encoderHidden, history } };
  }

  reorder(state: FullSequenceState, rowIndices: number[]): FullSequenceState {
    return { encoderHidden: gatherRows(state.encoderHidden, rowIndices), history: rowIndices.map((r) => [...state.history[r]!]) };
  }
}

/** A KV-cached decoder's state with its rows picked: each row keeps its own image's encoder output and cache. */
export function reorderCached(state: MergedState, rowIndices: number[]): MergedState {
  return {
    encoderHidden: gatherRows(state.encoderHidden, rowIndices),
    past: Object.fromEntries(Object.entries(state.past).map(([n, t]) => [n, gatherRows(t, rowIndices)])),
    started: state.started,
  };
}

export const presentName = (past: string) => past.replace('past_key_values.', 'present.');
/** One decoder row per encoded image at the start; fan-out to candidates happens via reorder. */
export function checkBatch(encoderHidden: ort.Tensor, batchSize: number): ort.Tensor {
  if (encoderHidden.dims[0] !== batchSize) {
    throw new Error(`decoder started with ${batchSize} rows for ${encoderHidden.dims[0]} encoded images`);
  }
  return encoderHidden;
}
