/**
 * Image embedders on a vision graph: the CLIP vision tower (`image_embeds`, the projected
 * embedding CLIP compares with text) and DINOv2 (the CLS token of `last_hidden_state`, or
 * `pooler_output` when an export provides it — HF's pooled output is the layer-normed CLS).
 * Either way the vectors come back L2-normalised.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { chooseGraphVariant } from '../graph-variants.js';
import { float32Output, floatTensor, isFloatInput } from '../onnx/feeds.js';
import { OnnxSession, type SessionInfo } from '../onnx/session.js';
import { outputSize, parsePreprocessorConfig, type PreprocessorConfig } from '../image/preprocess.js';
import { readModelJson } from '../model-files.js';
import { pixelBatch } from '../image/pixel-batch.js';
import { DEFAULT_BATCH_SIZE, type EmbedderOptions, type ImageEmbedder, type ImageInput } from './types.js';
import { chunks, l2Normalize, splitRows } from './vectors.js';

/** How one output row of the graph becomes the embedding. */
type Pooling = { output: string; kind: 'vector' } | { output: 'last_hidden_state'; kind: 'cls' };

export class VisionEmbedder implements ImageEmbedder {
  private constructor(
    private readonly session: OnnxSession,
    private readonly preprocessor: PreprocessorConfig,
    private readonly pooling: Pooling,
    readonly dimension: number,
    private readonly batchSize: number,
  ) {}

  /** CLIP's vision tower, `vision_model.onnx` (transformers.js / Optimum layout). */
  static async loadClip(dir: string, options: EmbedderOptions = {}): Promise<VisionEmbedder> {
    const config = readModelJson(dir, 'config.json') as Record<string, unknown>;
    return VisionEmbedder.open(dir, 'vision_model', options, (session) => {
      session.output('image_embeds');
      const fallback = numberField(config, 'projection_dim');
      return { pooling: { output: 'image_embeds', kind: 'vector' }, fallbackDim: fallback };
    });
  }

  /** DINOv2 (with or without registers: the CLS token is position 0 in both), `model.onnx`. */
  static async loadDinov2(dir: string, options: EmbedderOptions = {}): Promise<VisionEmbedder> {
    const config = readModelJson(dir, 'config.json') as Record<string, unknown>;
    return VisionEmbedder.open(dir, 'model', options, (session) => {
      const fallback = numberField(config, 'hidden_size');
      if (session.info.outputs.some((o) => o.name === 'pooler_output')) {
        return { pooling: { output: 'pooler_output', kind: 'vector' }, fallbackDim: fallback };
      }
      session.output('last_hidden_state');
      return { pooling: { output: 'last_hidden_state', kind: 'cls' }, fallbackDim: fallback };
    });
  }

  private static async open(
    dir: string,
    graph: string,
    options: EmbedderOptions,
    choose: (session: OnnxSession) => { pooling: Pooling; fallbackDim: number | undefined },
  ): Promise<VisionEmbedder> {
    const preprocessor = parsePreprocessorConfig(readModelJson(dir, 'preprocessor_config.json'), join(dir, 'preprocessor_config.json'));
    const variant = chooseGraphVariant(dir, graph, options);
    const session = await OnnxSession.open(variant.file, { ...options, dtype: variant.dtype });
    try {
      checkPixelInput(session, preprocessor, dir);
      const { pooling, fallbackDim } = choose(session);
      // The graph's own declared width wins; config.json is the fallback for symbolic dims.
      const declared = session.output(pooling.output).shape.at(-1);
      const dimension = typeof declared === 'number' ? declared : fallbackDim;
      if (dimension === undefined) {
        throw new ApiError(ErrorCode.BadFormat, `${session.info.file}: '${pooling.output}' has no fixed width and config.json names none`);
      }
      return new VisionEmbedder(session, preprocessor, pooling, dimension, options.batchSize ?? DEFAULT_BATCH_SIZE);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  get sessions(): SessionInfo[] {
    return [this.session.info];
  }

  async embedImages(images: readonly ImageInput[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const chunk of chunks(images, this.batchSize)) out.push(...(await this.embedBatch(chunk)));
    return out;
  }

  private async embedBatch(images: readonly ImageInput[]): Promise<Float32Array[]> {
    const { data, dims } = await pixelBatch(images, this.preprocessor);
    const { output } = this.pooling;
    const result = (await this.session.run({ pixel_values: floatTensor(this.session.input('pixel_values'), data, dims) }, [output]))[output]!;
    const values = float32Output(result, this.session.info.file, output);
    const rows = images.length;
    const dim = this.dimension;
    if (this.pooling.kind === 'vector') {
      expectSize(values.length, rows * dim, this.session.info.file, output);
      return splitRows(values, rows, dim).map(l2Normalize);
    }
    // [B, tokens, dim]: take token 0 of each row.
    const tokens = Number(result.dims[1]);
    expectSize(values.length, rows * tokens * dim, this.session.info.file, output);
    return Array.from({ length: rows }, (_, r) => l2Normalize(values.subarray(r * tokens * dim, r * tokens * dim + dim)));
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

function checkPixelInput(session: OnnxSession, cfg: PreprocessorConfig, dir: string): void {
  const spec = session.input('pixel_values');
  if (!isFloatInput(spec)) {
    throw new ApiError(ErrorCode.BadFormat, `${session.info.file}: input 'pixel_values' has type ${spec.dtype}; expected float32 or float16`);
  }
  const { height, width } = outputSize(cfg);
  const [, , h, w] = spec.shape;
  if ((typeof h === 'number' && h !== height) || (typeof w === 'number' && w !== width)) {
    throw new ApiError(
      ErrorCode.BadFormat,
      `${join(dir, 'preprocessor_config.json')}: gives ${height}×${width} images but ${session.info.file} expects ${String(h)}×${String(w)}`,
    );
  }
}

function expectSize(actual: number, expected: number, file: string, output: string): void {
  if (actual !== expected) throw new ApiError(ErrorCode.BadFormat, `${file}: output '${output}' has ${actual} values, expected ${expected}`);
}

function numberField(config: Record<string, unknown>, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' ? v : undefined;
}
