/**
 * The small JSON files of an SD folder in the Optimum / diffusers layout that the loop needs:
 * the scheduler config, the VAE scaling factor, the UNet's native sample size and channels.
 * Missing optional files fall back to SD 1.x values; malformed ones are errors naming the file.
 */
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { readModelJson, readOptionalModelJson } from '../model-files.js';
import { parseSchedulerConfig, type SchedulerConfig } from '../schedulers/index.js';

/** SD 1.x/2.x's VAE factor; diffusers.js uses the same fallback. */
export const DEFAULT_SCALING_FACTOR = 0.18215;
/** Every SD VAE downsamples by 8 (three stride-2 stages). */
export const VAE_DOWNSAMPLE = 8;

export interface GeneratorLayout {
  schedulerConfig: SchedulerConfig;
  schedulerSource: string;
  scalingFactor: number;
  /** Native latent size from unet/config.json sample_size ([h, w]), when it says. */
  sampleSize: [number, number] | null;
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

export function readGeneratorLayout(dir: string): GeneratorLayout {
  const schedulerSource = join(dir, 'scheduler', 'scheduler_config.json');
  const schedulerConfig = parseSchedulerConfig(readModelJson(dir, 'scheduler/scheduler_config.json'), schedulerSource);

  const vaeFile = join(dir, 'vae_decoder', 'config.json');
  const vae = objectAt(dir, 'vae_decoder/config.json', true) ?? {};
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
    sampleSize,
    latentChannels: positiveInt(unetFile, 'in_channels', unet.in_channels),
    timeCondProjDim: positiveInt(unetFile, 'time_cond_proj_dim', unet.time_cond_proj_dim),
  };
}
