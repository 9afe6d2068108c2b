/**
 * Pillow's `Image.resize(size, Image.BOX)` of an 8-bit single-channel image, reproduced exactly
 * (Resample.c: precompute_coeffs, 22-bit fixed-point coefficients, horizontal pass rounded to
 * 8 bits, then the vertical pass), so the TypeScript port of evaluate.py's judge computes the
 * same shape features as the Python one.
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

interface Coefficients {
  /** Per output pixel: first input index and how many inputs contribute. */
  bounds: [number, number][];
  /** Per output pixel: fixed-point weights of those inputs. */
  weights: number[][];
}

/** Pillow's box_filter: 1 on (−0.5, 0.5]. */
function box(x: number): number {
  return x > -0.5 && x <= 0.5 ? 1 : 0;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 0.5 * filterScale;
  // Multiplied by the reciprocal, as Resample.c does: x / s can round differently at the ±0.5 edges.
  const ss = 1 / filterScale;
  const bounds: [number, number][] = [];
  const weights: number[][] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = Array.from({ length: Math.max(0, count) }, (_, x) => box((x + xmin - center + 0.5) * ss));
    const total = k.reduce((a, b) => a + b, 0);
    // normalize_coeffs_8bpc: round half away from zero (all weights here are ≥ 0).
    weights.push(k.map((w) => Math.trunc(0.5 + (total !== 0 ? w / total : w) * ONE)));
    bounds.push([xmin, Math.max(0, count)]);
  }
  return { bounds, weights };
}

function clip8(value: number): number {
  if (value >= ONE * 256) return 255;
  if (value <= 0) return 0;
  return Math.floor(value / ONE);
}

/** Resizes a row-major `width × height` 8-bit image to `outWidth × outHeight` with Pillow's BOX filter. */
export function pilBoxResize(pixels: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  let current = pixels;
  let w = width;
  if (outWidth !== width) {
    const { bounds, weights } = coefficients(width, outWidth);
    const next = new Uint8Array(outWidth * height);
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < outWidth; xx++) {
        const [xmin, count] = bounds[xx]!;
        let sum = ONE / 2;
        for (let x = 0; x < count; x++) sum += current[y * w + xmin + x]! * weights[xx]![x]!;
        next[y * outWidth + xx] = clip8(sum);
      }
    }
    current = next;
    w = outWidth;
  }
  if (outHeight !== height) {
    const { bounds, weights } = coefficients(height, outHeight);
    const next = new Uint8Array(w * outHeight);
    for (let yy = 0; yy < outHeight; yy++) {
      const [ymin, count] = bounds[yy]!;
      for (let x = 0; x < w; x++) {
        let sum = ONE / 2;
        for (let y = 0; y < count; y++) sum += current[(ymin + y) * w + x]! * weights[yy]![y]!;
        next[yy * w + x] = clip8(sum);
      }
    }
    current = next;
  }
  return current === pixels ? Uint8Array.from(pixels) : current;
}
