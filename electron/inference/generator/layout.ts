/**
 * The small JSON files of an SD folder in the Optimum / diffusers layout that the loop needs:
 * the scheduler config, the VAE scaling and downsampling factors, the UNet's native sample size
 * and channels. Missing optional files fall back to SD 1.x values; malformed ones are errors
 * naming the file.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { readModelJson, readOptionalModelJson } from '../model-files.js';
import { parseSchedulerConfig, type SchedulerConfig } from '../schedulers/index.js';
import { readPythonJsonFile } from '../schedulers/python-json.js';

/** SD 1.x/2.x's VAE factor; diffusers.js uses the same fallback. */
export const DEFAULT_SCALING_FACTOR = 0.18215;
/** diffusers' VAE downsampling factor when the VAE config says nothing (every SD 1.x/2.x/XL VAE). */
export const DEFAULT_VAE_SCALE_FACTOR = 8;
/**
 * Image side when neither the UNet graph nor unet/config.json gives a size. The onnx-community
 * SD 1.5 export has no unet/config.json (MODELS.md appendix §4), and diffusers' own
 * OnnxStableDiffusionPipeline never reads one: its __call__ defaults to height = width = 512
 * (pipeline_onnx_stable_diffusion.py l.268–269 @58eb52c), which is SD 1.5's and SD 2.1-base's
 * unet sample_size 64 × 8. The VAE config's sample_size is not used: in diffusers it is the VAE's
 * tiling size (AutoencoderKL: tile_sample_min_size = sample_size), and published SD 1.5 VAEs
 * disagree on it (stabilityai/sd-vae-ft-mse: 256).
 */
export const DEFAULT_IMAGE_SIZE = 512;

export interface GeneratorLayout {
  schedulerConfig: SchedulerConfig;
  schedulerSource: string;
  scalingFactor: number;
  /** Pixels per latent cell along each axis (8 for SD; 4 for a VAE with three blocks). */
  vaeScaleFactor: number;
  /** The VAE config the factors came from, or null when there is none (SD defaults). */
  vaeConfigFile: string | null;
  /** Native latent size from unet/config.json sample_size ([h, w]), when it says. */
  sampleSize: [number, number] | null;
  /** The unet/config.json that gave sampleSize, or null. */
  sampleSizeSource: string | null;
  latentChannels: number | null;
  /** unet/config.json time_cond_proj_dim (LCM's guidance-embedding width), when it says. */
  timeCondProjDim: number | null;
}

function objectAt(dir: string, rel: string, optional: boolean): Record<string, unknown> | undefined {
  const raw = optional ? readOptionalModelJson(dir, rel) : readModelJson(dir, rel);
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ApiError(ErrorCode.BadFormat, `${join(dir, rel)}: expected a JSON object`);
  return raw as Record<string, unknown>;
}

function positiveInt(file: string, key: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) <= 0) throw new ApiError(ErrorCode.BadFormat, `${file}: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

/**
 * The VAE's downsampling factor from its config, as diffusers computes `vae_scale_factor`:
 * 2 ** (len(block_out_channels) − 1), one halving between consecutive blocks (SD's four blocks
 * give 8). An explicit `downsampling_factor` wins: the demo exports write one, and the first of
 * them has three blocks that downsample by 8. No config or neither key: 8, diffusers' fallback.
 */
export function vaeScaleFactor(config: Record<string, unknown> | undefined, file: string): number {
  const explicit = config?.downsampling_factor;
  if (explicit !== undefined && explicit !== null) {
    if (!isPowerOfTwo(explicit)) throw new ApiError(ErrorCode.BadFormat, `${file}: downsampling_factor must be a power of two (1, 2, 4, 8, …), got ${JSON.stringify(explicit)}`);
    return explicit;
  }
  const blocks = config?.block_out_channels;
  if (blocks === undefined || blocks === null) return DEFAULT_VAE_SCALE_FACTOR;
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new ApiError(ErrorCode.BadFormat, `${file}: block_out_channels must be a non-empty list of channel counts, got ${JSON.stringify(blocks)}`);
  }
  return 2 ** (blocks.length - 1);
}

function isPowerOfTwo(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0 && ((value as number) & ((value as number) - 1)) === 0;
}

export function readGeneratorLayout(dir: string): GeneratorLayout {
  const schedulerSource = join(dir, 'scheduler', 'scheduler_config.json');
  const schedulerConfig = parseSchedulerConfig(readPythonJsonFile(schedulerSource), schedulerSource);

  // Optimum's ONNX pipeline reads the decoder's config; an encoder-only config is a fallback.
  const decoderConfig = objectAt(dir, 'vae_decoder/config.json', true);
  const vaeRel = decoderConfig ? 'vae_decoder/config.json' : 'vae_encoder/config.json';
  const vaeFile = join(dir, vaeRel);
  const vaeConfig = decoderConfig ?? objectAt(dir, vaeRel, true);
  const vae = vaeConfig ?? {};
  const factor = vae.scaling_factor ?? DEFAULT_SCALING_FACTOR;
  if (typeof factor !== 'number' || !(factor > 0)) throw new ApiError(ErrorCode.BadFormat, `${vaeFile}: scaling_factor must be a positive number, got ${JSON.stringify(factor)}`);

  const unetFile = join(dir, 'unet', 'config.json');
  const unet = objectAt(dir, 'unet/config.json', true) ?? {};
  let sampleSize: [number, number] | null = null;
  if (Array.isArray(unet.sample_size)) {
    const [h, w] = unet.sample_size;
    sampleSize = [positiveInt(unetFile, 'sample_size', h)!, positiveInt(unetFile, 'sample_size', w)!];
  } else {
    const s = positiveInt(unetFile, 'sample_size', unet.sample_size);
    sampleSize = s === null ? null : [s, s];
  }
  return {
    schedulerConfig,
    schedulerSource,
    scalingFactor: factor,
    vaeScaleFactor: vaeScaleFactor(vae, vaeFile),
    vaeConfigFile: vaeConfig ? vaeFile : null,
    sampleSize,
    sampleSizeSource: sampleSize ? unetFile : null,
    latentChannels: positiveInt(unetFile, 'in_channels', unet.in_channels),
    timeCondProjDim: positiveInt(unetFile, 'time_cond_proj_dim', unet.time_cond_proj_dim),
  };
}

/** An image size and where it came from (shown to the user, so a surprising size can be traced). */
export interface SizeChoice {
  height: number;
  width: number;
  source: string;
}

/**
 * The size a generator makes when a run gives none: the latent size the UNet graph fixes, else
 * unet/config.json's sample_size, each × the VAE factor; else DEFAULT_IMAGE_SIZE.
 */
export function defaultImageSize(fixedLatent: [number, number] | null, unetGraph: string, layout: GeneratorLayout): SizeChoice {
  const f = layout.vaeScaleFactor;
  if (fixedLatent) {
    return { height: fixedLatent[0] * f, width: fixedLatent[1] * f, source: `${unetGraph} fixes sample at ${fixedLatent[0]}×${fixedLatent[1]} × VAE factor ${f}` };
  }
  if (layout.sampleSize) {
    const [h, w] = layout.sampleSize;
    return { height: h * f, width: w * f, source: `${layout.sampleSizeSource} sample_size ${h === w ? h : `${h}×${w}`} × VAE factor ${f}` };
  }
  return {
    height: DEFAULT_IMAGE_SIZE,
    width: DEFAULT_IMAGE_SIZE,
    source: `no unet/config.json sample_size and the UNet graph leaves height and width open: ${DEFAULT_IMAGE_SIZE}×${DEFAULT_IMAGE_SIZE}, the default of diffusers' OnnxStableDiffusionPipeline (SD 1.x)`,
  };
}
