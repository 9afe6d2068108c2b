/**
 * A Stable Diffusion text-to-image generator over an Optimum/diffusers ONNX folder (SD 1.x,
 * 2.x/turbo, LCM distillations, the demo generator): text encoder, our own UNet loop with the
 * samplers in ../schedulers, classifier-free guidance, VAE decode to RGB. The prompts of a call
 * share one UNet run per step (in chunks of `maxBatch`); every image is reproducible from its
 * prompt, seed and settings.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { declaredDtype, type LoadOptions } from '../graph-variants.js';
import type { SessionInfo, SessionOptions } from '../onnx/session.js';
import { createScheduler, lateStart, lcmGuidanceEmbedding, type SchedulerKind } from '../schedulers/index.js';
import { concat, emptyStats, type GeneratorStats, RunMeter } from './batching.js';
import type { GeneratedImage } from './image-output.js';
import { checkSeeds, guidedOutput, initialLatents } from './latents.js';
import { defaultImageSize, type GeneratorLayout, readGeneratorLayout } from './layout.js';
import { TextConditioner } from './text-conditioning.js';
import { Unet } from './unet.js';
import { type Latents, VaeDecoder, VaeEncoder } from './vae.js';

export interface GenerateOptions {
  /** One seed per prompt (non-negative safe integers). */
  seeds: number[];
  steps: number;
  /** CFG scale; > 1 adds the unconditional batch. LCM UNets take it as w = g − 1 instead. */
  guidanceScale: number;
  scheduler: SchedulerKind;
  /** The unconditional text for CFG: one for all prompts, or one per prompt. Default "". */
  negativePrompt?: string | string[];
  /** Pixels, multiples of the VAE's downsampling factor (8 for SD); default the UNet's native size. */
  height?: number;
  width?: number;
  /** Called after each denoising step (1-based); once per chunk of `maxBatch` prompts. */
  onStep?: (progress: { step: number; steps: number }) => void;
  /** Most prompts denoised together (default 16): bounds memory, as an SD UNet row is large. */
  maxBatch?: number;
}

/** With CFG, 32 UNet rows per run: a few GiB of activations for SD 1.5 at 512², nothing for the demo. */
export const DEFAULT_MAX_BATCH = 16;

export class Generator {
  private encoder: Promise<VaeEncoder> | null = null;

  private constructor(
    readonly dir: string,
    private readonly options: SessionOptions,
    private readonly layout: GeneratorLayout,
    private readonly text: TextConditioner,
    private readonly unet: Unet,
    private readonly decoder: VaeDecoder,
    private readonly meter: RunMeter,
  ) {}

  /** Opens the graphs of `dir`; a missing or malformed part is an error naming its file. */
  static async load(dir: string, options: LoadOptions = {}): Promise<Generator> {
    const layout = readGeneratorLayout(dir);
    const meter = new RunMeter();
    // One file per component (MODELS.md appendix §4): a dtype chosen for the generator must be
    // the UNet's weights' precision — read from the file's headers before any session opens.
    if (options.dtype !== undefined) declaredDtype(join(dir, 'unet', 'model.onnx'), options.dtype);
    const opened: { dispose(): Promise<void> }[] = [];
    try {
      const text = await TextConditioner.open(dir, options, meter);
      opened.push(text);
      const unet = await Unet.open(dir, options, meter, layout);
      opened.push(unet);
      const decoder = await VaeDecoder.open(dir, options, meter);
      opened.push(decoder);
      checkDecoderFactor(decoder, layout);
      // Each graph's variant, as the run card and the execution panel show it.
      for (const s of [text.session, unet.session, decoder.session]) s.info.dtype = declaredDtype(s.info.file);
      return new Generator(dir, options, layout, text, unet, decoder, meter);
    } catch (error) {
      await Promise.all(opened.map((s) => s.dispose()));
      throw error;
    }
  }

  /** The provider each graph runs on, and why a requested GPU provider is not in use. */
  get sessions(): SessionInfo[] {
    return [this.text.session.info, this.unet.session.info, this.decoder.session.info];
  }

  /** Whether the UNet is guidance-distilled (LCM): no CFG batch, guidance via timestep_cond. */
  get guidanceEmbedded(): boolean {
    return this.unet.timeCondDim !== null;
  }

  get scalingFactor(): number {
    return this.layout.scalingFactor;
  }

  /** Counts since load (or the last resetStats): UNet evaluations, runs, time inside onnxruntime. */
  get stats(): GeneratorStats {
    return structuredClone(this.meter.stats);
  }

  resetStats(): void {
    this.meter.stats = emptyStats();
  }

  /** Pixels per latent cell: from the VAE config (2^(blocks − 1) as diffusers computes it), else 8. */
  get vaeScaleFactor(): number {
    return this.layout.vaeScaleFactor;
  }

  /** The image size used when a call gives none: the UNet's fixed or configured latent size × the VAE factor, else 512 (layout.ts). */
  get defaultSize(): { height: number; width: number } {
    const { height, width } = defaultImageSize(this.unet.fixedLatentSize, this.unet.session.info.file, this.layout);
    return { height, width };
  }

  /** Where defaultSize comes from: the UNet graph, unet/config.json, or diffusers' ONNX pipeline default. */
  get defaultSizeSource(): string {
    return defaultImageSize(this.unet.fixedLatentSize, this.unet.session.info.file, this.layout).source;
  }

  /** One RGB image per prompt, in prompt order. */
  async generate(prompts: string[], options: GenerateOptions): Promise<GeneratedImage[]> {
    if (prompts.length === 0) {
      checkSeeds(options.seeds, 0);
      return [];
    }
    checkSeeds(options.seeds, prompts.length);
    const size = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isSafeInteger(size) || size < 1) throw new ApiError(ErrorCode.InvalidInput, `maxBatch must be a positive integer, got ${size}`);
    const images: GeneratedImage[] = [];
    for (let start = 0; start < prompts.length; start += size) {
      const end = Math.min(start + size, prompts.length);
      const negativePrompt = Array.isArray(options.negativePrompt) ? options.negativePrompt.slice(start, end) : options.negativePrompt;
      const chunk = { ...options, seeds: options.seeds.slice(start, end), negativePrompt };
      images.push(...(await this.decodeLatents(await this.generateLatents(prompts.slice(start, end), chunk))));
    }
    return images;
  }

  /** RGB images from UNet-space latents (generateLatents, encodeImage). */
  async decodeLatents(latents: Latents): Promise<GeneratedImage[]> {
    const images = await this.decoder.decode(latents, this.layout.scalingFactor);
    // A VAE config whose factor is not the graph's would silently change the image size.
    const [, , h, w] = latents.dims;
    const f = this.vaeScaleFactor;
    const wrong = images.find((image) => image.height !== h * f || image.width !== w * f);
    if (wrong) throw factorMismatch(this.decoder, [w, h], [wrong.width, wrong.height], this.layout);
    return images;
  }

  /** The denoised UNet-space latents [B, C, h, w] of each prompt, before the VAE. */
  async generateLatents(prompts: string[], options: GenerateOptions): Promise<Latents> {
    checkSeeds(options.seeds, prompts.length);
    if (!Number.isFinite(options.guidanceScale)) throw new ApiError(ErrorCode.InvalidInput, `guidance scale must be a number, got ${options.guidanceScale}`);
    const scheduler = createScheduler(this.layout.schedulerConfig, options.scheduler, options.steps, this.layout.schedulerSource);
    const late = lateStart(this.layout.schedulerConfig, options.scheduler, options.steps, this.layout.schedulerSource);
    if (late) throw new ApiError(ErrorCode.InvalidInput, late);
    const { height, width } = this.imageSize(options);
    const batch = prompts.length;
    const latentDims = [this.unet.latentChannels, height / this.vaeScaleFactor, width / this.vaeScaleFactor] as const;
    const rowSize = latentDims[0] * latentDims[1] * latentDims[2];
    if (batch === 0) return { data: new Float32Array(0), dims: [0, ...latentDims] };

    // diffusers enables CFG for guidance_scale > 1; an LCM UNet has guidance distilled in.
    const cfg = !this.guidanceEmbedded && options.guidanceScale > 1;
    const texts = cfg ? [...this.negatives(options.negativePrompt, batch), ...prompts] : prompts;
    const conditioning = await this.text.encode(texts);
    let timestepCond: Float32Array | null = null;
    if (this.unet.timeCondDim !== null) {
      const embedding = lcmGuidanceEmbedding(options.guidanceScale - 1, this.unet.timeCondDim);
      timestepCond = concat(Array.from({ length: texts.length }, () => embedding));
    }

    const images = initialLatents(options.seeds, rowSize, scheduler.initNoiseSigma);
    for (let step = 0; step < scheduler.timesteps.length; step++) {
      const modelInputs = images.map((image) => scheduler.scaleModelInput(image.latent, step));
      const sample = concat(cfg ? [...modelInputs, ...modelInputs] : modelInputs);
      const out = await this.unet.predict(sample, latentDims, scheduler.timesteps[step]!, conditioning, timestepCond);
      images.forEach((image, b) => {
        const eps = guidedOutput(out, b, batch, rowSize, cfg ? options.guidanceScale : null);
        image.latent = scheduler.step(eps, step, image.latent, image.rng, image.memory);
      });
      options.onStep?.({ step: step + 1, steps: scheduler.timesteps.length });
    }

    return { data: concat(images.map((i) => i.latent)), dims: [batch, ...latentDims] };
  }

  /** UNet-space latents of an image (VAE encoder mean × scaling_factor), e.g. for img2img. */
  async encodeImage(image: GeneratedImage): Promise<Latents> {
    const f = this.vaeScaleFactor;
    if (image.height % f || image.width % f) {
      throw new ApiError(ErrorCode.InvalidInput, `image size ${image.width}×${image.height} must be a multiple of ${f}`);
    }
    // Opened on first use: most runs never encode, and an SD VAE encoder is ~100 MB.
    this.encoder ??= VaeEncoder.open(this.dir, this.options, this.meter);
    let encoder: VaeEncoder;
    try {
      encoder = await this.encoder;
    } catch (error) {
      this.encoder = null;
      throw error;
    }
    return encoder.encode(image, this.unet.latentChannels, this.layout.scalingFactor);
  }

  async dispose(): Promise<void> {
    const encoder = this.encoder?.catch(() => null);
    this.encoder = null;
    await Promise.all([this.text.dispose(), this.unet.dispose(), this.decoder.dispose(), encoder?.then((e) => e?.dispose())]);
  }

  private negatives(negative: string | string[] | undefined, batch: number): string[] {
    if (Array.isArray(negative)) {
      if (negative.length !== batch) throw new ApiError(ErrorCode.InvalidInput, `${batch} prompts need ${batch} negative prompts, got ${negative.length}`);
      return negative;
    }
    return new Array<string>(batch).fill(negative ?? '');
  }

  private imageSize(options: GenerateOptions): { height: number; width: number } {
    const fallback = this.defaultSize;
    const height = options.height ?? fallback.height;
    const width = options.width ?? fallback.width;
    const f = this.vaeScaleFactor;
    for (const [name, v] of [['height', height], ['width', width]] as const) {
      if (!Number.isInteger(v) || v <= 0 || v % f !== 0) {
        throw new ApiError(ErrorCode.InvalidInput, `${name} must be a positive multiple of ${f}, got ${v}`);
      }
    }
    const fixed = this.unet.fixedLatentSize;
    if (fixed && (fixed[0] * f !== height || fixed[1] * f !== width)) {
      throw new ApiError(ErrorCode.InvalidInput, `${this.unet.session.info.file} only makes ${fixed[1] * f}×${fixed[0] * f} images, not ${width}×${height}`);
    }
    return { height, width };
  }
}

/**
 * A decoder graph with fixed spatial sizes (the demo exports) shows its true factor; refuse a
 * config that says otherwise at load, instead of feeding the UNet wrongly sized latents.
 */
function checkDecoderFactor(decoder: VaeDecoder, layout: GeneratorLayout): void {
  const [, , h, w] = decoder.session.input('latent_sample').shape;
  const [, , H, W] = decoder.session.output('sample').shape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof H !== 'number' || typeof W !== 'number') return;
  if (h * layout.vaeScaleFactor !== H || w * layout.vaeScaleFactor !== W) throw factorMismatch(decoder, [w, h], [W, H], layout);
}

function factorMismatch(decoder: VaeDecoder, latent: [number, number], image: [number, number], layout: GeneratorLayout): ApiError {
  const source = layout.vaeConfigFile ?? 'the default for a VAE without config.json';
  return new ApiError(
    ErrorCode.BadFormat,
    `${decoder.session.info.file} turns ${latent.join('×')} latents into ${image.join('×')} images, but ${source} gives a VAE downsampling factor of ${layout.vaeScaleFactor}`,
  );
}
