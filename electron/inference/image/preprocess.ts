/**
 * Turns an image file into `pixel_values` the way the model's `preprocessor_config.json` says
 * (the Hugging Face image processors' fields): resize (exact size, or shortest edge then centre
 * crop), rescale, normalise, channels first. sharp does the decoding and resampling.
 */
import sharp, { type Sharp } from 'sharp';
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { readRegularFile } from '../../files/read-regular-file.js';

const Size = z.union([
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
  z.object({ shortest_edge: z.number().int().positive() }),
]);

export const PreprocessorConfigSchema = z.object({
  do_resize: z.boolean().default(true),
  size: Size,
  do_center_crop: z.boolean().default(false),
  crop_size: z.object({ height: z.number().int().positive(), width: z.number().int().positive() }).optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: z.array(z.number()).length(3).default([0.5, 0.5, 0.5]),
  image_std: z.array(z.number()).length(3).default([0.5, 0.5, 0.5]),
  /** PIL resampling filter: 0 nearest, 2 bilinear, 3 bicubic, 1 lanczos. */
  resample: z.number().int().default(2),
});
export type PreprocessorConfig = z.output<typeof PreprocessorConfigSchema>;

export function parsePreprocessorConfig(raw: unknown, file: string): PreprocessorConfig {
  const parsed = PreprocessorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(ErrorCode.BadFormat, `${file}: ${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

type Kernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';
const KERNELS: Record<number, Kernel> = { 0: 'nearest', 1: 'lanczos3', 2: 'linear', 3: 'cubic' };

/** The size pixel_values will have for this config. */
export function outputSize(cfg: PreprocessorConfig): { height: number; width: number } {
  if (cfg.do_center_crop && cfg.crop_size) return cfg.crop_size;
  if ('height' in cfg.size) return cfg.size;
  return { height: cfg.size.shortest_edge, width: cfg.size.shortest_edge };
}

/** 8-bit RGB pixels already in memory (the generator's output), row-major, no padding. */
/** The import's limit (probe-image.ts DEFAULT_MAX_BYTES): no image a project holds is larger. */
const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

export interface RawPixels {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * A sharp pipeline over a file, an encoded image or raw RGB. Raw pixels go in as they are: the
 * same pixels a lossless PNG of them would decode to, so a reconstruction embeds exactly as its
 * saved PNG does, without an encode and decode per image.
 */
function open(input: string | Buffer | RawPixels): Sharp {
  if (typeof input === 'string' || Buffer.isBuffer(input)) return sharp(input, { failOn: 'truncated' });
  const { rgb, width, height } = input;
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } });
}

async function orientedSize(input: string | Buffer | RawPixels, fallback: number): Promise<[number, number]> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return [input.width, input.height];
  const meta = await sharp(input).rotate().metadata();
  return [meta.autoOrient?.width ?? meta.width ?? fallback, meta.autoOrient?.height ?? meta.height ?? fallback];
}

/** CHW float32 pixel values of one image. */
export async function pixelValues(source: string | Buffer | RawPixels, cfg: PreprocessorConfig): Promise<Float32Array> {
  // A path is read through one checked handle (a regular file, within a time limit), never
  // handed to sharp to open: a FIFO in an image's place would block a thread for ever (issue 16).
  const input = typeof source === 'string' ? (await readRegularFile(source, { maxBytes: MAX_IMAGE_BYTES })).data : source;
  if (typeof input !== 'string' && !Buffer.isBuffer(input) && isNativeSize(input, cfg)) return normalized(input.rgb, input.width * input.height, cfg);
  let image = open(input).rotate().removeAlpha().toColourspace('srgb');
  const kernel: Kernel = KERNELS[cfg.resample] ?? 'linear';
  if (cfg.do_resize) {
    if ('height' in cfg.size) {
      image = image.resize(cfg.size.width, cfg.size.height, { fit: 'fill', kernel });
    } else {
      const edge = cfg.size.shortest_edge;
      const [w, h] = await orientedSize(input, edge);
      const scale = edge / Math.min(w, h);
      image = image.resize(Math.max(edge, Math.round(w * scale)), Math.max(edge, Math.round(h * scale)), { fit: 'fill', kernel });
    }
  }
  let { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (cfg.do_center_crop && cfg.crop_size) {
    const { height, width } = cfg.crop_size;
    const left = Math.max(0, Math.floor((info.width - width) / 2));
    const top = Math.max(0, Math.floor((info.height - height) / 2));
    ({ data, info } = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .extract({ left, top, width: Math.min(width, info.width), height: Math.min(height, info.height) })
      .raw()
      .toBuffer({ resolveWithObject: true }));
  }
  return normalized(data, info.width * info.height, cfg);
}

/**
 * Raw pixels already of the size the model takes (a generator drawing at its embedder's size):
 * resizing to the same size and cropping nothing leave them as they are, so sharp is skipped —
 * a round trip through libvips per reconstruction costs more than the normalisation itself.
 */
function isNativeSize({ width, height }: RawPixels, cfg: PreprocessorConfig): boolean {
  const target = outputSize(cfg);
  if (width !== target.width || height !== target.height) return false;
  if (cfg.do_center_crop && cfg.crop_size && (cfg.crop_size.width !== width || cfg.crop_size.height !== height)) return false;
  if (!cfg.do_resize) return true;
  return 'height' in cfg.size ? cfg.size.width === width && cfg.size.height === height : cfg.size.shortest_edge === Math.min(width, height);
}

/** HWC 8-bit → CHW float32, rescaled and normalised. */
function normalized(data: Uint8Array, plane: number, cfg: PreprocessorConfig): Float32Array {
  const out = new Float32Array(3 * plane);
  const scale = cfg.do_rescale ? cfg.rescale_factor : 1;
  for (let c = 0; c < 3; c++) {
    const mean = cfg.do_normalize ? cfg.image_mean[c]! : 0;
    const std = cfg.do_normalize ? cfg.image_std[c]! : 1;
    for (let i = 0; i < plane; i++) out[c * plane + i] = (data[i * 3 + c]! * scale - mean) / std;
  }
  return out;
}
