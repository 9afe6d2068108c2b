/**
 * The denoising UNet of an SD folder, fed the way its own input metadata says: exports differ in
 * the timestep (int64 [1] in SD 1.x exports, a float32 scalar in newer Optimum ones, float32 [1]
 * elsewhere) and LCM distillations add `timestep_cond`.
 */
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { float32Values, floatTensor, timestepTensor } from '../onnx/feeds.js';
import { OnnxSession, type SessionOptions } from '../onnx/session.js';
import { fixedBatch, inRowChunks, type RunMeter, takeRows } from './batching.js';
import type { GeneratorLayout } from './layout.js';
import type { TextEmbeddings } from './text-conditioning.js';

/** LCM-Dreamshaper's time_cond_proj_dim, for graphs and configs that leave it symbolic. */
const DEFAULT_TIME_COND_DIM = 256;

export class Unet {
  private constructor(
    readonly session: OnnxSession,
    private readonly meter: RunMeter,
    /** Channels of a latent (4 for every SD 1.x/2.x/XL UNet). */
    readonly latentChannels: number,
    /** The latent [h, w] the graph fixes, if it fixes one (static-shape exports). */
    readonly fixedLatentSize: [number, number] | null,
    /** Width of `timestep_cond`, or null when the graph has no such input (not an LCM). */
    readonly timeCondDim: number | null,
  ) {}

  static async open(dir: string, options: SessionOptions, meter: RunMeter, layout: GeneratorLayout): Promise<Unet> {
    const session = await OnnxSession.open(join(dir, 'unet', 'model.onnx'), options);
    try {
      const sample = session.input('sample');
      session.input('encoder_hidden_states');
      session.output('out_sample');
      // Building a feed now reports an unsupported timestep dtype at load, not mid-run.
      timestepTensor(session.input('timestep'), 0);
      const [, c, h, w] = sample.shape;
      if (sample.shape.length !== 4) throw new ApiError(ErrorCode.BadFormat, `${session.info.file}: input 'sample' has rank ${sample.shape.length}; expected [batch, channels, height, width]`);
      const latentChannels = typeof c === 'number' ? c : (layout.latentChannels ?? 4);
      const fixedLatentSize: [number, number] | null = typeof h === 'number' && typeof w === 'number' ? [h, w] : null;
      let timeCondDim: number | null = null;
      if (session.hasInput('timestep_cond')) {
        const declared = session.input('timestep_cond').shape[1];
        timeCondDim = typeof declared === 'number' ? declared : (layout.timeCondProjDim ?? DEFAULT_TIME_COND_DIM);
      }
      return new Unet(session, meter, latentChannels, fixedLatentSize, timeCondDim);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  /**
   * The timestep as the graph takes it. Integer exports get the truncated value of a fractional
   * (Euler "linspace") timestep, as diffusers' ONNX pipeline does with `astype(int64)`.
   */
  timestepFeed(t: number): ort.Tensor {
    const spec = this.session.input('timestep');
    return timestepTensor(spec, spec.dtype === 'int64' ? Math.trunc(t) : t);
  }

  /**
   * The model output for `rows` latents (row-major [rows, C, h, w]) at timestep `t`, each row
   * conditioned on the same row of `text` (and of `timestepCond`, [rows, timeCondDim]).
   */
  async predict(sample: Float32Array, latentDims: readonly [number, number, number], t: number, text: TextEmbeddings, timestepCond: Float32Array | null): Promise<Float32Array> {
    const rows = text.rows;
    const rowSize = latentDims[0] * latentDims[1] * latentDims[2];
    if (sample.length !== rows * rowSize) throw new RangeError(`UNet input has ${sample.length} values; expected ${rows} rows of ${rowSize}`);
    if ((timestepCond === null) !== (this.timeCondDim === null)) {
      throw new Error(`${this.session.info.file}: timestep_cond ${this.timeCondDim === null ? 'is not an input' : 'is required'}`);
    }
    const timestep = this.timestepFeed(t);
    const textRow = text.sequenceLength * text.hiddenSize;
    return inRowChunks(rows, fixedBatch(this.session.input('sample')), async (indices) => {
      const n = indices.length;
      const feeds: Record<string, ort.Tensor> = {
        // fp16 exports declare float16 sample/encoder_hidden_states/timestep_cond: fed as declared.
        sample: floatTensor(this.session.input('sample'), takeRows(sample, rowSize, indices), [n, ...latentDims]),
        timestep,
        encoder_hidden_states: floatTensor(this.session.input('encoder_hidden_states'), takeRows(text.data, textRow, indices), [n, text.sequenceLength, text.hiddenSize]),
      };
      if (timestepCond && this.timeCondDim !== null) {
        feeds.timestep_cond = floatTensor(this.session.input('timestep_cond'), takeRows(timestepCond, this.timeCondDim, indices), [n, this.timeCondDim]);
      }
      const out = (await this.meter.run('unet', this.session, feeds, n)).out_sample!;
      if (out.data.length !== n * rowSize) {
        throw new ApiError(ErrorCode.BadFormat, `${this.session.info.file}: out_sample has shape [${out.dims.join(', ')}]; expected the sample's [${n}, ${latentDims.join(', ')}]`);
      }
      return float32Values(out, `${this.session.info.file}: out_sample`);
    });
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
