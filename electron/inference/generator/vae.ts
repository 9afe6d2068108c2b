/**
 * The VAE halves of an SD folder. Latents live in the UNet's space, i.e. the VAE's latent
 * times `scaling_factor` (0.18215 for SD 1.x/2.x, 0.13025 for SDXL): decode divides by it,
 * encode multiplies, so encodeImage(decode(x)) is comparable to x.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { float32Values, floatTensor } from '../onnx/feeds.js';
import { OnnxSession, type SessionOptions } from '../onnx/session.js';
import { fixedBatch, inRowChunks, type RunMeter, takeRows } from './batching.js';
import { type GeneratedImage, imagesFromPlanes, planesFromImage } from './image-output.js';

/** Row-major latents with their shape [B, C, h, w]. */
export interface Latents {
  data: Float32Array;
  dims: [number, number, number, number];
}

export class VaeDecoder {
  private constructor(
    readonly session: OnnxSession,
    private readonly meter: RunMeter,
  ) {}

  static async open(dir: string, options: SessionOptions, meter: RunMeter): Promise<VaeDecoder> {
    const session = await OnnxSession.open(join(dir, 'vae_decoder', 'model.onnx'), options);
    try {
      session.input('latent_sample');
      session.output('sample');
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return new VaeDecoder(session, meter);
  }

  /** RGB images from UNet-space latents (divided by `scalingFactor` before decoding). */
  async decode(latents: Latents, scalingFactor: number): Promise<GeneratedImage[]> {
    const [batch, ...rest] = latents.dims;
    const rowSize = rest.reduce((a, b) => a * b, 1);
    const scaled = latents.data.map((v) => v / scalingFactor);
    let outDims: readonly number[] = [];
    const data = await inRowChunks(batch, fixedBatch(this.session.input('latent_sample')), async (indices) => {
      const feed = floatTensor(this.session.input('latent_sample'), takeRows(scaled, rowSize, indices), [indices.length, ...rest]);
      const out = await this.meter.run('vaeDecoder', this.session, { latent_sample: feed }, indices.length);
      outDims = out.sample!.dims;
      return float32Values(out.sample!, `${this.session.info.file}: sample`);
    });
    try {
      return imagesFromPlanes(data, [batch, ...outDims.slice(1)]);
    } catch (error) {
      throw new ApiError(ErrorCode.BadFormat, `${this.session.info.file}: ${(error as Error).message}`);
    }
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/** The encoder's output: older exports call it latent_sample, current Optimum latent_parameters. */
const ENCODER_OUTPUTS = ['latent_sample', 'latent_parameters'] as const;

export class VaeEncoder {
  private constructor(
    readonly session: OnnxSession,
    private readonly output: string,
    private readonly meter: RunMeter,
  ) {}

  static async open(dir: string, options: SessionOptions, meter: RunMeter): Promise<VaeEncoder> {
    const session = await OnnxSession.open(join(dir, 'vae_encoder', 'model.onnx'), options);
    const names = session.info.outputs.map((o) => o.name);
    const output = ENCODER_OUTPUTS.find((n) => names.includes(n));
    if (!session.hasInput('sample') || !output) {
      await session.dispose();
      const problem = !output ? `no output named ${ENCODER_OUTPUTS.join(' or ')}` : "no input named 'sample'";
      throw new ApiError(ErrorCode.BadFormat, `${session.info.file}: ${problem} (the graph has inputs ${session.info.inputs.map((i) => i.name).join(', ')}; outputs ${names.join(', ')})`);
    }
    return new VaeEncoder(session, output, meter);
  }

  /**
   * UNet-space latents of one image. A distribution output (2·C channels: mean, log-variance)
   * contributes its mean — deterministic, so the same image always gives the same latents.
   */
  async encode(image: GeneratedImage, latentChannels: number, scalingFactor: number): Promise<Latents> {
    const feed = floatTensor(this.session.input('sample'), planesFromImage(image), [1, 3, image.height, image.width]);
    const out = (await this.meter.run('vaeEncoder', this.session, { sample: feed }, 1))[this.output]!;
    const [, channels = 0, h = 0, w = 0] = out.dims;
    if (out.dims.length !== 4 || (channels !== latentChannels && channels !== 2 * latentChannels)) {
      throw new ApiError(ErrorCode.BadFormat, `${this.session.info.file}: ${this.output} has shape [${out.dims.join(', ')}]; expected ${latentChannels} or ${2 * latentChannels} channels`);
    }
    const mean = float32Values(out, `${this.session.info.file}: ${this.output}`).subarray(0, latentChannels * h * w);
    return { data: mean.map((v) => v * scalingFactor), dims: [1, latentChannels, h, w] };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
