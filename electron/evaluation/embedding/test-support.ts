/**
 * Test and bench helpers for the embedding metrics: seeded Gaussian features with a known mean
 * and covariance (so the Fréchet distance has a closed form to check against), and tiny fake
 * embedders that record how they were called.
 */
import { Rng } from '../../demo-world/prng.js';
import type { ImageEmbedder, ImageInput, RawRgbImage, TextEmbedder } from '../../inference/embedders/types.js';
import { l2Normalize } from '../../inference/embedders/vectors.js';

export class GaussianSampler {
  private readonly rng: Rng;
  private spare: number | null = null;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.rng.next();
    const v = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** `n` vectors `mean + scale ⊙ z`, z standard normal: covariance diag(scale²). */
  diagonal(n: number, mean: ArrayLike<number>, scale: ArrayLike<number>): Float32Array[] {
    return Array.from({ length: n }, () => Float32Array.from({ length: mean.length }, (_, i) => mean[i]! + scale[i]! * this.normal()));
  }

  /** A random symmetric d×d matrix (row-major), entries ~ N(0, 1). */
  symmetric(d: number): Float64Array {
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const x = this.normal();
        m[i * d + j] = x;
        m[j * d + i] = x;
      }
    }
    return m;
  }
}

/**
 * An image embedder over raw RGB only: the vector is the image's mean colour plus its mean
 * brightness in each half (5-d, L2-normalised). It records every call, and `live` counts images
 * loaded by `lazy` loaders and not yet embedded, so tests can see how many are held at once.
 */
export class FakeImageEmbedder implements ImageEmbedder {
  readonly dimension = 5;
  readonly sessions = [];
  readonly calls: number[] = [];
  live = 0;
  maxLive = 0;

  async embedImages(images: readonly ImageInput[]): Promise<Float32Array[]> {
    this.calls.push(images.length);
    const out = images.map((image) => {
      if (typeof image === 'string' || Buffer.isBuffer(image)) throw new Error('FakeImageEmbedder takes raw RGB only');
      return l2Normalize(fakeImageFeatures(image));
    });
    this.live -= images.length;
    return out;
  }

  /** A loader for `image` that counts it as live from the moment it is loaded. */
  lazy(image: RawRgbImage): () => Promise<RawRgbImage> {
    return async () => {
      this.live++;
      this.maxLive = Math.max(this.maxLive, this.live);
      return image;
    };
  }

  async dispose(): Promise<void> {}
}

function fakeImageFeatures({ rgb, width, height }: RawRgbImage): Float32Array {
  const f = new Float32Array(5);
  const pixels = width * height;
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = [rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!];
    f[0]! += r / pixels;
    f[1]! += g / pixels;
    f[2]! += b / pixels;
    const half = p % width < width / 2 ? 3 : 4;
    f[half]! += (r + g + b) / (1.5 * pixels);
  }
  return f;
}

/** A solid-colour raw image with a brighter left or right half. */
export function fakeImage(r: number, g: number, b: number, brightLeft = true, size = 4): RawRgbImage {
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    const boost = (p % size < size / 2) === brightLeft ? 40 : 0;
    rgb[p * 3] = Math.min(255, r + boost);
    rgb[p * 3 + 1] = Math.min(255, g + boost);
    rgb[p * 3 + 2] = Math.min(255, b + boost);
  }
  return { rgb, width: size, height: size };
}

/**
 * A text embedder hashing words into `dimension` buckets (bag of words, L2-normalised), sharing
 * the space of a `FakeImageEmbedder` when dimension is 5. Records every text it embeds.
 */
export class FakeTextEmbedder implements TextEmbedder {
  readonly sessions = [];
  readonly seen: string[] = [];

  constructor(readonly dimension = 5) {}

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    this.seen.push(...texts);
    return texts.map((text) => {
      const v = new Float32Array(this.dimension);
      for (const word of text.toLowerCase().split(/\s+/).filter(Boolean)) {
        let h = 7;
        for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[h % this.dimension]! += 1;
      }
      return l2Normalize(v);
    });
  }

  async dispose(): Promise<void> {}
}
