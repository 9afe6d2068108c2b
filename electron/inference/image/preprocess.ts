/**
 * Turns an image file into `pixel_values` the way the model's `preprocessor_config.json` says
 * (the Hugging Face image processors' fields): resize (exact size, or shortest edge then centre
 * crop), rescale, normalise, channels first. sharp does the decoding and resampling.
 */
import sharp, { type Sharp } from 'sharp';
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { readRegularFile } from '../../files/read-regular-file.js';

const Dim = z.number().int().positive();
const HeightWidth = z.object({ height: Dim, width: Dim });
const Edges = z.object({ shortest_edge: Dim.optional(), longest_edge: Dim.optional() }).refine((e) => e.shortest_edge !== undefined || e.longest_edge !== undefined, 'needs shortest_edge or longest_edge');
const PerChannel = z.union([z.number(), z.array(z.number()).length(3)]);

/**
 * Every form of `preprocessor_config.json` in use (MODELS.md appendix §0; transformers.js
 * image_processors_utils.js ImageProcessor constructor and get_resize_output_image_size), parsed
 * to one canonical form:
 * - `size` (or the feature-extractor-era `image_size`): a bare number, `{height,width}`, or
 *   `{shortest_edge[,longest_edge]}`. A bare number means the shortest edge when a centre crop
 *   follows (CLIP / BiT processors) and a square otherwise (ViT / BLIP processors), as the Python
 *   processors read it; transformers.js reads it as shortest = longest = n (`max_size` for the
 *   longest), which agrees on square images but shrinks a non-square one below the crop.
 * - `crop_size` a number or `{height,width}`, used when `do_center_crop`.
 * - `resample`: PIL codes 0 nearest, 1 lanczos, 2 bilinear (default), 3 bicubic, 4 box and
 *   5 hamming (both bilinear, as transformers.js does).
 * - `do_rescale` (default true) / `rescale_factor` (default 1/255); `do_normalize` with
 *   `image_mean` / `image_std` (or the older `mean` / `std`) as one number or one per channel.
 *   do_normalize defaults to true and the mean/std to 0.5, the Python processors' defaults.
 * - `do_convert_rgb`: accepted; images are always decoded to 3-channel sRGB (alpha dropped), the
 *   input every supported graph declares.
 */
const RawPreprocessorConfig = z.object({
  do_resize: z.boolean().optional(),
  size: z.union([Dim, HeightWidth, Edges]).optional(),
  image_size: z.union([Dim, HeightWidth]).optional(),
  max_size: Dim.optional(),
  do_center_crop: z.boolean().default(false),
  crop_size: z.union([Dim, HeightWidth]).optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().positive().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: PerChannel.optional(),
  image_std: PerChannel.optional(),
  mean: PerChannel.optional(),
  std: PerChannel.optional(),
  resample: z.number().int().min(0).max(5).default(2),
  // Florence-2's published CLIPImageProcessor config says `"do_convert_rgb": null` (= the default).
  do_convert_rgb: z.boolean().nullable().optional(),
});

export type ResizeTarget = { height: number; width: number } | { shortest_edge?: number | undefined; longest_edge?: number | undefined };

export interface PreprocessorConfig {
  do_resize: boolean;
  size: ResizeTarget;
  do_center_crop: boolean;
  crop_size?: { height: number; width: number };
  do_rescale: boolean;
  rescale_factor: number;
  do_normalize: boolean;
  image_mean: [number, number, number];
  image_std: [number, number, number];
  resample: number;
}

export function parsePreprocessorConfig(raw: unknown, file: string): PreprocessorConfig {
  const parsed = RawPreprocessorConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(ErrorCode.BadFormat, `${file}: ${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`);
  }
  const c = parsed.data;
  const size = c.size ?? c.image_size;
  if (size === undefined) throw new ApiError(ErrorCode.BadFormat, `${file}: size: missing (neither size nor image_size is given)`);
  const crop = typeof c.crop_size === 'number' ? { height: c.crop_size, width: c.crop_size } : c.crop_size;
  if (c.do_center_crop && !crop) throw new ApiError(ErrorCode.BadFormat, `${file}: do_center_crop is true but crop_size is missing`);
  const std = channels(c.image_std ?? c.std ?? 0.5);
  if (c.do_normalize && std.some((v) => v === 0)) throw new ApiError(ErrorCode.BadFormat, `${file}: image_std: a standard deviation of 0`);
  return {
    do_resize: c.do_resize ?? true,
    size: typeof size === 'number' ? (c.do_center_crop ? { shortest_edge: size, ...(c.max_size ? { longest_edge: c.max_size } : {}) } : { height: size, width: size }) : size,
    do_center_crop: c.do_center_crop,
    ...(crop ? { crop_size: crop } : {}),
    do_rescale: c.do_rescale,
    rescale_factor: c.rescale_factor,
    do_normalize: c.do_normalize,
    image_mean: channels(c.image_mean ?? c.mean ?? 0.5),
    image_std: std,
    resample: c.resample,
  };
}

function channels(value: number | number[]): [number, number, number] {
  return typeof value === 'number' ? [value, value, value] : [value[0]!, value[1]!, value[2]!];
}

type Kernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';
const KERNELS: Record<number, Kernel> = { 0: 'nearest', 1: 'lanczos3', 2: 'linear', 3: 'cubic', 4: 'linear', 5: 'linear' };

/** The size pixel_values will have for this config (for an edge-based resize without a crop: a square image's). */
export function outputSize(cfg: PreprocessorConfig): { height: number; width: number } {
  if (cfg.do_center_crop && cfg.crop_size) return cfg.crop_size;
  if ('height' in cfg.size) return cfg.size;
  const edge = cfg.size.shortest_edge ?? cfg.size.longest_edge!;
  return { height: edge, width: edge };
}

/**
 * The resized [width, height] of a `width`×`height` image for an edge-based size: scale the
 * shortest edge to `shortest_edge`, then down (never up) so the longest is at most
 * `longest_edge`, rounding down as transformers.js (toFixed(2), floor) and Python's int() do.
 * transformers.js also scales *up* to longest_edge when both edges are below it; the Python
 * processors do not, and neither do we.
 */
export function edgeResize(width: number, height: number, target: { shortest_edge?: number | undefined; longest_edge?: number | undefined }): [number, number] {
  const short = target.shortest_edge === undefined ? 1 : Math.max(target.shortest_edge / width, target.shortest_edge / height);
  const [w, h] = [width * short, height * short];
  const long = target.longest_edge === undefined ? 1 : Math.min(1, target.longest_edge / w, target.longest_edge / h);
  return [Math.max(1, Math.floor(Number((w * long).toFixed(2)))), Math.max(1, Math.floor(Number((h * long).toFixed(2))))];
}

/** The import's limit (probe-image.ts DEFAULT_MAX_BYTES): no image a project holds is larger. */
const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

/** 8-bit RGB pixels already in memory (the generator's output), row-major, no padding. */
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
  return (await sizedPixelValues(source, cfg)).data;
}

/** CHW float32 pixel values of one image with the size they came out at (a batch checks it). */
export async function sizedPixelValues(source: string | Buffer | RawPixels, cfg: PreprocessorConfig): Promise<{ data: Float32Array; width: number; height: number }> {
  // A path is read through one checked handle (a regular file, within a time limit), never
  // handed to sharp to open: a FIFO in an image's place would block a thread for ever (issue 16).
  const input = typeof source === 'string' ? (await readRegularFile(source, { maxBytes: MAX_IMAGE_BYTES })).data : source;
  if (typeof input !== 'string' && !Buffer.isBuffer(input) && isNativeSize(input, cfg)) {
    return { data: normalized(input.rgb, input.width * input.height, cfg), width: input.width, height: input.height };
  }
  let image = open(input).rotate().removeAlpha().toColourspace('srgb');
  const kernel: Kernel = KERNELS[cfg.resample] ?? 'linear';
  if (cfg.do_resize) {
    if ('height' in cfg.size) {
      image = image.resize(cfg.size.width, cfg.size.height, { fit: 'fill', kernel });
    } else {
      const [w, h] = await orientedSize(input, outputSize(cfg).width);
      const [width, height] = edgeResize(w, h, cfg.size);
      image = image.resize(width, height, { fit: 'fill', kernel });
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
  return { data: normalized(data, info.width * info.height, cfg), width: info.width, height: info.height };
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
  if ('height' in cfg.size) return cfg.size.width === width && cfg.size.height === height;
  const [w, h] = edgeResize(width, height, cfg.size);
  return w === width && h === height;
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
