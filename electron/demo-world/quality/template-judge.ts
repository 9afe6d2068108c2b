/**
 * evaluate.py's generator judge (`Judge`), ported rule for rule so the TypeScript figures can be
 * compared with the Python ones: background = the most common border colour; objects = 4-connected
 * blobs of ≥ 12 pixels farther than 60 (RGB) from it; a blob's colour = the palette colour nearest
 * its per-channel median pixel; its shape = the template nearest its 8×8 bounding-box fill pattern.
 * Palette and templates are learned from real training images and their scene records. It is a
 * different rule from judge.ts (fixed palette, hand-set shape features, main object first).
 */
import type { Colour, Shape } from '../palette.js';
import type { Scene } from '../scene.js';
import { pilBoxResize } from './pil-box-resize.js';
import type { RgbImage } from './split-records.js';

const FOREGROUND_DISTANCE = 60;
const MIN_PIXELS = 12;
const FEATURE_SIDE = 8;

export interface Blob {
  /** Per-channel median of the blob's pixels (numpy's median: mean of the middle two). */
  colour: [number, number, number];
  /** Bounding-box mask, row-major, 1 inside. */
  mask: Uint8Array;
  width: number;
  height: number;
  pixels: number;
  /** Centroid (pixel indices). */
  cx: number;
  cy: number;
}

/** Most common border colour; ties go to the lexicographically smallest (np.unique order). */
function background({ rgb, width, height }: RgbImage): [number, number, number] {
  const counts = new Map<number, number>();
  const add = (x: number, y: number) => {
    const p = (y * width + x) * 3;
    const key = (rgb[p]! << 16) | (rgb[p + 1]! << 8) | rgb[p + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  // img[0], img[-1], img[:, 0], img[:, -1]: corners counted twice, as in numpy.
  for (let x = 0; x < width; x++) add(x, 0);
  for (let x = 0; x < width; x++) add(x, height - 1);
  for (let y = 0; y < height; y++) add(0, y);
  for (let y = 0; y < height; y++) add(width - 1, y);
  let [best, bestCount] = [0, -1];
  for (const [key, n] of counts) if (n > bestCount || (n === bestCount && key < best)) [best, bestCount] = [key, n];
  return [best >> 16, (best >> 8) & 255, best & 255];
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** evaluate.py's `components`: blobs in row-major order of their first pixel. */
export function blobs(image: RgbImage): Blob[] {
  const { rgb, width: W, height: H } = image;
  const bg = background(image);
  const fg = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) fg[p] = Math.hypot(rgb[p * 3]! - bg[0], rgb[p * 3 + 1]! - bg[1], rgb[p * 3 + 2]! - bg[2]) > FOREGROUND_DISTANCE ? 1 : 0;
  const seen = new Uint8Array(W * H);
  const out: Blob[] = [];
  for (let start = 0; start < W * H; start++) {
    if (!fg[start] || seen[start]) continue;
    seen[start] = 1;
    const stack = [start];
    const points: number[] = [];
    while (stack.length) {
      const p = stack.pop()!;
      points.push(p);
      const [y, x] = [Math.floor(p / W), p % W];
      for (const [yy, xx] of [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]] as const) {
        const q = yy * W + xx;
        if (yy >= 0 && yy < H && xx >= 0 && xx < W && fg[q] && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    if (points.length < MIN_PIXELS) continue;
    const xs = points.map((p) => p % W);
    const ys = points.map((p) => Math.floor(p / W));
    const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
    const [width, height] = [Math.max(...xs) - x0 + 1, Math.max(...ys) - y0 + 1];
    const mask = new Uint8Array(width * height);
    points.forEach((_, i) => (mask[(ys[i]! - y0) * width + xs[i]! - x0] = 1));
    const colour = [0, 1, 2].map((c) => median(points.map((p) => rgb[p * 3 + c]!))) as [number, number, number];
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    out.push({ colour, mask, width, height, pixels: points.length, cx: mean(xs), cy: mean(ys) });
  }
  return out;
}

/** evaluate.py's `mask_feature`: the mask ×255 resized to 8×8 with Pillow's BOX filter, / 255. */
export function maskFeature(blob: Pick<Blob, 'mask' | 'width' | 'height'>): Float64Array {
  const pixels = blob.mask.map((v) => v * 255);
  const small = pilBoxResize(pixels, blob.width, blob.height, FEATURE_SIDE, FEATURE_SIDE);
  return Float64Array.from(small, (v) => v / 255);
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

/** The key whose vector is nearest; the first one on ties (Python's min over dict order). */
function nearest<K>(vectors: Map<K, ArrayLike<number>>, v: ArrayLike<number>): K {
  let best: K | undefined;
  let bestDistance = Infinity;
  for (const [key, vector] of vectors) {
    const d = squaredDistance(vector, v);
    if (d < bestDistance) [best, bestDistance] = [key, d];
  }
  return best!;
}

function meanVector(vectors: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
  return out.map((x) => x / vectors.length);
}

export class TemplateJudge {
  private constructor(
    readonly palette: Map<Colour, Float64Array>,
    readonly templates: Map<Shape, Float64Array>,
  ) {}

  /**
   * Learns from real images with their scenes (evaluate.py uses the first 3000 training images):
   * images whose blob count equals their object count give each object the blob nearest its
   * grid cell's centre, whose colour and fill pattern are averaged per colour and per shape.
   */
  static learn(examples: Iterable<{ image: RgbImage; scene: Scene }>): TemplateJudge {
    const colours = new Map<Colour, number[][]>();
    const shapes = new Map<Shape, Float64Array[]>();
    for (const { image, scene } of examples) {
      const found = blobs(image);
      if (found.length !== scene.objects.length) continue;
      const cell = image.width / 3;
      for (const o of scene.objects) {
        const [tx, ty] = [(o.x + 0.5) * cell, (o.y + 0.5) * cell];
        let blob = found[0]!;
        for (const b of found) if ((b.cx - tx) ** 2 + (b.cy - ty) ** 2 < (blob.cx - tx) ** 2 + (blob.cy - ty) ** 2) blob = b;
        if (!colours.has(o.colour)) colours.set(o.colour, []);
        colours.get(o.colour)!.push(blob.colour);
        if (!shapes.has(o.shape)) shapes.set(o.shape, []);
        shapes.get(o.shape)!.push(maskFeature(blob));
      }
    }
    const palette = new Map([...colours].map(([k, v]) => [k, meanVector(v)] as const));
    const templates = new Map([...shapes].map(([k, v]) => [k, meanVector(v)] as const));
    if (palette.size === 0) throw new Error('TemplateJudge.learn: no usable training image');
    return new TemplateJudge(palette, templates);
  }

  classify(blob: Blob): { colour: Colour; shape: Shape } {
    return { colour: nearest(this.palette, blob.colour), shape: nearest(this.templates, maskFeature(blob)) };
  }

  /** evaluate.py's `has`: does some blob have the colour, and does some blob have colour and shape. */
  has(image: RgbImage, colour: Colour, shape: Shape): { colour: boolean; colourAndShape: boolean } {
    const got = blobs(image).map((b) => this.classify(b));
    return { colour: got.some((g) => g.colour === colour), colourAndShape: got.some((g) => g.colour === colour && g.shape === shape) };
  }
}
