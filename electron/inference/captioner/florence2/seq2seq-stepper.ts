/**
 * The `DecoderStepper` of Florence-2's merged decoder (MODELS.md appendix §0 KV cache, §3 step 6):
 * token ids go through `embed_tokens` first, the decoder takes `inputs_embeds`; it keeps two
 * caches per layer, `past_key_values.{i}.decoder.*` (grows by one position per step) and
 * `past_key_values.{i}.encoder.*` (the cross-attention keys/values, computed once on the first
 * step from `encoder_hidden_states` and fed back unchanged after that, as transformers.js's
 * `getPastKeyValues` does: the with-past branch's encoder outputs are not used).
 * `use_cache_branch` is false on the first step. Only inputs the graph declares are fed.
 * Every float tensor is fed in the dtype the graph declares (fp16 variants take fp16 embeddings
 * and caches). The encoder output and both caches are carried per row, so `reorder` (beam
 * search, N candidates) keeps each row with its own image.
 */
import type ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../../shared/contract/errors.js';
import type { DecoderStepper, StepOutput } from '../../decoding/index.js';
import { asInputDtype, boolTensor, emptyPastTensor, tokenIdsTensor } from '../../onnx/feeds.js';
import type { OnnxSession } from '../../onnx/session.js';
import { lastPositionLogits } from '../../tensors/gather-rows.js';
import { checkBatch, type MergedState, presentName, reorderCached } from '../decoder-steppers.js';

/** The two-graph merged decoder's state: encoderHidden is in the decoder's declared dtype. */
export type Seq2SeqState = MergedState;

export class Seq2SeqEmbedsStepper implements DecoderStepper<Seq2SeqState> {
  private readonly pastNames: string[];
  private readonly encoderHidden: ort.Tensor;

  constructor(
    private readonly decoder: OnnxSession,
    private readonly embedTokens: OnnxSession,
    /** The encoder's last_hidden_state, one row per image (any float dtype; converted here). */
    encoderHidden: ort.Tensor,
    readonly vocabSize: number,
  ) {
    this.pastNames = decoder.info.inputs.filter((s) => s.name.startsWith('past_key_values.')).map((s) => s.name);
    decoder.input('inputs_embeds');
    decoder.output('logits');
    for (const name of this.pastNames) decoder.output(presentName(name));
    if (!this.pastNames.some((n) => n.includes('.encoder.')) && !decoder.hasInput('encoder_hidden_states')) {
      throw new ApiError(ErrorCode.BadFormat, `${decoder.info.file}: the decoder takes neither encoder_hidden_states nor an encoder cache`);
    }
    embedTokens.input('input_ids');
    embedTokens.output('inputs_embeds');
    this.encoderHidden = decoder.hasInput('encoder_hidden_states') ? asInputDtype(encoderHidden, decoder.input('encoder_hidden_states')) : encoderHidden;
  }

  start(batchSize: number): Seq2SeqState {
    const encoderHidden = checkBatch(this.encoderHidden, batchSize);
    const past = Object.fromEntries(this.pastNames.map((n) => [n, emptyPastTensor(this.decoder.input(n), batchSize)]));
    return { encoderHidden, past, started: false };
  }

  async step(state: Seq2SeqState, lastTokens: number[][]): Promise<StepOutput<Seq2SeqState>> {
    const embedded = await this.embedTokens.run({ input_ids: tokenIdsTensor(this.embedTokens.input('input_ids'), lastTokens) });
    const rows = lastTokens.length;
    const feeds: Record<string, ort.Tensor> = {
      inputs_embeds: asInputDtype(embedded.inputs_embeds!, this.decoder.input('inputs_embeds')),
      ...state.past,
    };
    if (this.decoder.hasInput('encoder_hidden_states')) feeds.encoder_hidden_states = state.encoderHidden;
    if (this.decoder.hasInput('encoder_attention_mask')) {
      // Every image has the same number of tokens and the prompt is shared: no padding anywhere.
      const length = state.encoderHidden.dims[1]!;
      feeds.encoder_attention_mask = tokenIdsTensor(this.decoder.input('encoder_attention_mask'), Array.from({ length: rows }, () => new Array<number>(length).fill(1)));
    }
    if (this.decoder.hasInput('use_cache_branch')) feeds.use_cache_branch = boolTensor(state.started);
    const out = await this.decoder.run(feeds);
    const past = Object.fromEntries(
      this.pastNames.map((n) => [n, state.started && n.includes('.encoder.') ? state.past[n]! : out[presentName(n)]!]),
    );
    return { logits: lastPositionLogits(out.logits!), state: { encoderHidden: state.encoderHidden, past, started: true } };
  }

  reorder(state: Seq2SeqState, rowIndices: number[]): Seq2SeqState {
    return reorderCached(state, rowIndices);
  }
}
