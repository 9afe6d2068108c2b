/**
 * Text embedders on a text-encoder graph: CLIP's text tower (`text_embeds`, the projection CLIP
 * compares with images) and sentence-transformers encoders such as all-MiniLM-L6-v2 (masked mean
 * pooling of `last_hidden_state`). Vectors come back L2-normalised.
 */
import ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { chooseGraphVariant } from '../graph-variants.js';
import { float32Output, tokenIdsTensor } from '../onnx/feeds.js';
import { OnnxSession, type SessionInfo } from '../onnx/session.js';
import { readModelJson } from '../model-files.js';
import { loadTextTokenizer, type TextTokenizer, type TokenBatch } from './text-tokens.js';
import { DEFAULT_BATCH_SIZE, type EmbedderOptions, type TextEmbedder } from './types.js';
import { chunks, l2Normalize, maskedMeanPool, splitRows } from './vectors.js';

type Pooling = { kind: 'vector'; output: string } | { kind: 'mean'; output: string };

/** Inputs we know how to fill; anything else in a graph is refused at load, naming the file. */
const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'token_type_ids']);

export class TextEncoderEmbedder implements TextEmbedder {
  private constructor(
    private readonly session: OnnxSession,
    private readonly tokenizer: TextTokenizer,
    private readonly pooling: Pooling,
    readonly dimension: number,
    private readonly batchSize: number,
  ) {}

  /**
   * CLIP's text tower, `text_model.onnx`. Rows are padded to the full max length with the
   * folder's pad token: the tower finds the end token itself (argmax of ids, or eos_token_id),
   * so the same text gives the same ids whatever else is in the batch.
   */
  static async loadClip(dir: string, options: EmbedderOptions = {}): Promise<TextEncoderEmbedder> {
    const config = readModelJson(dir, 'config.json') as Record<string, unknown>;
    return TextEncoderEmbedder.open(dir, 'text_model', options, { kind: 'vector', output: 'text_embeds' }, num(config.projection_dim), {
      defaultMaxLength: 77,
      defaultPadToken: '<|endoftext|>',
    });
  }

  /** A sentence-transformers encoder exported as a single `model.onnx` (token embeddings out). */
  static async loadSentence(dir: string, options: EmbedderOptions = {}): Promise<TextEncoderEmbedder> {
    const config = readModelJson(dir, 'config.json') as Record<string, unknown>;
    return TextEncoderEmbedder.open(dir, 'model', options, { kind: 'mean', output: 'last_hidden_state' }, num(config.hidden_size), {
      defaultMaxLength: 512,
    });
  }

  private static async open(
    dir: string,
    graph: string,
    options: EmbedderOptions,
    wanted: Pooling,
    fallbackDim: number | undefined,
    tokenizerDefaults: { defaultMaxLength: number; defaultPadToken?: string },
  ): Promise<TextEncoderEmbedder> {
    const variant = chooseGraphVariant(dir, graph, options);
    const session = await OnnxSession.open(variant.file, { ...options, dtype: variant.dtype });
    try {
      const file = session.info.file;
      const unknown = session.info.inputs.find((i) => !KNOWN_INPUTS.has(i.name));
      if (unknown) throw new ApiError(ErrorCode.BadFormat, `${file}: unexpected input '${unknown.name}' for a text encoder`);
      const ids = session.input('input_ids');
      if (wanted.kind === 'mean' && !session.hasInput('attention_mask')) {
        throw new ApiError(ErrorCode.BadFormat, `${file}: missing input 'attention_mask' (mean pooling needs it)`);
      }
      // Some sentence-transformers exports call the token output `token_embeddings`.
      const pooling: Pooling =
        wanted.kind === 'mean' && !session.info.outputs.some((o) => o.name === wanted.output) && session.info.outputs.some((o) => o.name === 'token_embeddings')
          ? { kind: 'mean', output: 'token_embeddings' }
          : wanted;
      const declared = session.output(pooling.output).shape.at(-1);
      const dimension = typeof declared === 'number' ? declared : fallbackDim;
      if (dimension === undefined) throw new ApiError(ErrorCode.BadFormat, `${file}: '${pooling.output}' has no fixed width and config.json names none`);
      const fixed = ids.shape[1];
      const tokenizer = loadTextTokenizer(dir, { ...tokenizerDefaults, fixedLength: typeof fixed === 'number' ? fixed : undefined });
      return new TextEncoderEmbedder(session, tokenizer, pooling, dimension, options.batchSize ?? DEFAULT_BATCH_SIZE);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  get sessions(): SessionInfo[] {
    return [this.session.info];
  }

  get maxLength(): number {
    return this.tokenizer.maxLength;
  }

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const chunk of chunks(texts, this.batchSize)) out.push(...(await this.embedBatch(chunk)));
    return out;
  }

  private async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    // CLIP pads to the full length (see loadClip); masked encoders only need the batch's longest.
    const batch = this.tokenizer.encode(texts, this.pooling.kind === 'vector' ? 'max' : 'longest');
    const { output } = this.pooling;
    const result = (await this.session.run(this.feeds(batch), [output]))[output]!;
    const file = this.session.info.file;
    const values = float32Output(result, file, output);
    const rows = texts.length;
    const dim = this.dimension;
    const expected = this.pooling.kind === 'vector' ? rows * dim : rows * batch.length * dim;
    if (values.length !== expected) {
      throw new ApiError(ErrorCode.BadFormat, `${file}: output '${output}' has ${values.length} values, expected ${expected}`);
    }
    const pooled = this.pooling.kind === 'vector' ? splitRows(values, rows, dim) : maskedMeanPool(values, batch.mask, batch.length, dim);
    return pooled.map(l2Normalize);
  }

  private feeds(batch: TokenBatch): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = { input_ids: tokenIdsTensor(this.session.input('input_ids'), batch.ids) };
    if (this.session.hasInput('attention_mask')) feeds.attention_mask = tokenIdsTensor(this.session.input('attention_mask'), batch.mask);
    // Single-segment input: every token is segment 0.
    if (this.session.hasInput('token_type_ids')) {
      feeds.token_type_ids = tokenIdsTensor(this.session.input('token_type_ids'), batch.ids.map((r) => r.map(() => 0)));
    }
    return feeds;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
