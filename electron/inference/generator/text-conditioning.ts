/**
 * Prompt → `encoder_hidden_states`: the CLIP text encoder's last hidden state for each prompt
 * (the UNet's cross-attention input). Identical texts — the shared negative prompt of a CFG
 * batch, repeated candidates — are encoded once and fanned out.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { float32Values, tokenIdsTensor } from '../onnx/feeds.js';
import { OnnxSession, type SessionOptions } from '../onnx/session.js';
import { fixedBatch, inRowChunks, type RunMeter, takeRows } from './batching.js';
import { loadPromptTokenizer, type PromptTokenizer } from './clip-bpe-tokenizer.js';

/** Row-major [rows, sequenceLength, hiddenSize] float32. */
export interface TextEmbeddings {
  data: Float32Array;
  rows: number;
  sequenceLength: number;
  hiddenSize: number;
}

export class TextConditioner {
  private constructor(
    readonly session: OnnxSession,
    private readonly tokenizer: PromptTokenizer,
    private readonly meter: RunMeter,
  ) {}

  /** `text_encoder/model.onnx` and `tokenizer/` of an SD folder. */
  static async open(dir: string, options: SessionOptions, meter: RunMeter): Promise<TextConditioner> {
    const session = await OnnxSession.open(join(dir, 'text_encoder', 'model.onnx'), options);
    try {
      const ids = session.input('input_ids');
      session.output('last_hidden_state');
      // A graph with a fixed sequence length decides the padding, whatever the tokenizer says.
      const fixedLength = typeof ids.shape[1] === 'number' ? ids.shape[1] : undefined;
      return new TextConditioner(session, loadPromptTokenizer(join(dir, 'tokenizer'), fixedLength), meter);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  get maxLength(): number {
    return this.tokenizer.maxLength;
  }

  async encode(texts: readonly string[]): Promise<TextEmbeddings> {
    const unique = [...new Set(texts)];
    const ids = this.tokenizer.encode(unique);
    const spec = this.session.input('input_ids');
    let dims: readonly number[] = [];
    const data = await inRowChunks(unique.length, fixedBatch(spec), async (indices) => {
      const out = await this.meter.run('textEncoder', this.session, { input_ids: tokenIdsTensor(spec, indices.map((i) => ids[i]!)) }, indices.length);
      const hidden = out.last_hidden_state!;
      dims = hidden.dims;
      // An fp16 text encoder's states are kept as float32; the UNet gets them in its own dtype.
      return float32Values(hidden, `${this.session.info.file}: last_hidden_state`);
    });
    const [, sequenceLength, hiddenSize] = dims;
    if (dims.length !== 3 || sequenceLength === undefined || hiddenSize === undefined) {
      throw new ApiError(ErrorCode.BadFormat, `${this.session.info.file}: last_hidden_state has shape [${dims.join(', ')}]; expected [batch, sequence, hidden]`);
    }
    const rowSize = sequenceLength * hiddenSize;
    const row = new Map(unique.map((t, i) => [t, i]));
    return { data: takeRows(data, rowSize, texts.map((t) => row.get(t)!)), rows: texts.length, sequenceLength, hiddenSize };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
