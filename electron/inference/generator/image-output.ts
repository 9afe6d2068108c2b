/**
 * Between the VAE's float planes and 8-bit RGB. The VAE works in [-1, 1], channels first;
 * images are HWC bytes, the layout sharp, the embedders and PNG files use.
 */
import sharp from 'sharp';

/** Decoded 8-bit RGB, row-major, no padding (the engine's RgbImage). */
export interface GeneratedImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/**
 * Images from a VAE decoder `sample` of shape [B, 3, H, W]: clamp(x/2 + 0.5, 0, 1)·255, rounded
 * (diffusers' numpy_to_pil does the same, so pixel values match the reference pipelines).
 */
export function imagesFromPlanes(data: Float32Array, dims: readonly number[]): GeneratedImage[] {
  const [batch = 0, channels, height = 0, width = 0] = dims;
  if (dims.length !== 4 || channels !== 3) throw new Error(`expected decoded images of shape [B, 3, H, W], got [${dims.join(', ')}]`);
  const plane = height * width;
  return Array.from({ length: batch }, (_, b) => {
    const rgb = new Uint8Array(plane * 3);
    const base = b * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const from = base + c * plane;
      for (let p = 0; p < plane; p++) {
        const v = data[from + p]! / 2 + 0.5;
        rgb[p * 3 + c] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
      }
    }
    return { width, height, rgb };
  });
}

/** One image as the VAE encoder's input: [3, H, W] float32 in [-1, 1]. */
export function planesFromImage(image: GeneratedImage): Float32Array<ArrayBuffer> {
  const { width, height, rgb } = image;
  const plane = width * height;
  if (rgb.length !== plane * 3) throw new RangeError(`an RGB image of ${width}×${height} needs ${plane * 3} bytes, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = (rgb[p * 3 + c]! / 255) * 2 - 1;
  return out;
}

/** A lossless PNG of the image (for the project's store and the UI). */
export function toPng(image: GeneratedImage): Promise<Buffer> {
  return sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
}
