/**
 * Images of any accepted kind → one `pixel_values` batch, for every image graph (embedders and
 * captioners alike). Raw RGB (the generator's output) is checked and handed to sharp as raw
 * pixels, then takes exactly the path a file takes, so a reconstruction and the same pixels
 * saved to disk embed identically.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { outputSize, sizedPixelValues, type PreprocessorConfig, type RawPixels } from './preprocess.js';

/** A file path, an encoded image (PNG, JPEG, …), or raw RGB. */
export type BatchImage = string | Buffer | RawPixels;

export interface PixelBatch {
  data: Float32Array;
  dims: [number, 3, number, number];
}

export async function pixelBatch(images: readonly BatchImage[], cfg: PreprocessorConfig): Promise<PixelBatch> {
  const { height, width } = outputSize(cfg);
  const plane = 3 * height * width;
  const planes = await Promise.all(images.map((image, i) => sizedPixelValues(typeof image === 'string' || Buffer.isBuffer(image) ? image : checkedRaw(image, i), cfg)));
  const data = new Float32Array(images.length * plane);
  planes.forEach((p, i) => {
    // A config that does not fix both sides (do_resize false, or shortest_edge without a centre
    // crop) gives each image its own size; refuse rather than misalign the rows of the batch.
    if (p.width !== width || p.height !== height) {
      throw new ApiError(
        ErrorCode.BadFormat,
        `${describe(images[i]!, i)}: preprocessed to ${p.width}×${p.height} pixels, but the batch is ${width}×${height}; ` +
          'preprocessor_config.json must fix both sides (size {height,width}, or a centre crop)',
      );
    }
    data.set(p.data, i * plane);
  });
  return { data, dims: [images.length, 3, height, width] };
}

function describe(image: BatchImage, index: number): string {
  if (typeof image === 'string') return `image ${image}`;
  if (Buffer.isBuffer(image)) return `image ${index + 1} (encoded, ${image.length} bytes)`;
  return `image ${index + 1} (raw ${image.width}×${image.height})`;
}

function checkedRaw(image: RawPixels, index: number): RawPixels {
  const { rgb, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ApiError(ErrorCode.InvalidInput, `raw image ${index + 1}: invalid size ${width}×${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new ApiError(ErrorCode.InvalidInput, `raw image ${index + 1}: ${rgb.length} bytes, expected ${width * height * 3} for ${width}×${height} RGB`);
  }
  return image;
}
