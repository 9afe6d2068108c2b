/**
 * Images of any accepted kind → one `pixel_values` batch. Raw RGB (the generator's output) is
 * checked and handed to sharp as raw pixels, then takes exactly the path a file takes, so a
 * reconstruction and the same pixels saved to disk embed identically.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { outputSize, pixelValues, type PreprocessorConfig } from '../image/preprocess.js';
import type { ImageInput, RawRgbImage } from './types.js';

export interface PixelBatch {
  data: Float32Array;
  dims: [number, 3, number, number];
}

export async function pixelBatch(images: readonly ImageInput[], cfg: PreprocessorConfig): Promise<PixelBatch> {
  const { height, width } = outputSize(cfg);
  const plane = 3 * height * width;
  const planes = await Promise.all(images.map((image) => pixelValues(typeof image === 'string' || Buffer.isBuffer(image) ? image : checkedRaw(image), cfg)));
  const data = new Float32Array(images.length * plane);
  planes.forEach((p, i) => {
    // A config whose resize and crop disagree would give ragged rows; refuse rather than misalign.
    if (p.length !== plane) throw new ApiError(ErrorCode.BadFormat, `preprocessing produced ${p.length} values for image ${i}, expected ${plane}`);
    data.set(p, i * plane);
  });
  return { data, dims: [images.length, 3, height, width] };
}

function checkedRaw(image: RawRgbImage): RawRgbImage {
  const { rgb, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ApiError(ErrorCode.InvalidInput, `raw image: invalid size ${width}×${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new ApiError(ErrorCode.InvalidInput, `raw image: ${rgb.length} bytes, expected ${width * height * 3} for ${width}×${height} RGB`);
  }
  return image;
}
