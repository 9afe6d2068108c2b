/**
 * Standard normal samples from a seeded uniform source, by the Box–Muller transform. Both values
 * of each pair are used (half the uniform draws of the discard-one variant), and the order is
 * fixed — r·cos θ first, then r·sin θ — so a seed pins every sample.
 *
 * Platform note: Math.log/cos/sin/sqrt in V8 are its own fdlibm port, not the C library, so
 * the same Node/Electron version gives bit-identical samples on every OS and CPU.
 */
import type { Rng } from './xoshiro128.js';

const TWO_PI = 2 * Math.PI;

/** A stream of N(0, 1) samples that keeps the spare value of each Box–Muller pair. */
export class GaussianSampler {
  private spare: number | null = null;

  constructor(private readonly rng: Rng) {}

  next(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    // u1 in (0, 1] so log(u1) is finite; with 32-bit uniforms the largest |z| is about 6.66.
    const u1 = 1 - this.rng.nextFloat();
    const u2 = this.rng.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

/** Number of elements of a shape, checking every dimension is a non-negative integer. */
export function shapeSize(shape: number | readonly number[]): number {
  const dims = typeof shape === 'number' ? [shape] : shape;
  let size = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`bad tensor dimension ${d} in [${dims.join(', ')}]`);
    size *= d;
  }
  return size;
}

/**
 * A Float32Array of `shape`'s size filled with N(0, 1) samples drawn from `rng`. Each call starts
 * a fresh pair stream, so the result depends only on the rng state and the size (an odd size
 * drops the last spare value rather than carrying hidden state into the next call).
 */
export function randn(shape: number | readonly number[], rng: Rng): Float32Array<ArrayBuffer> {
  const out = new Float32Array(shapeSize(shape));
  const gauss = new GaussianSampler(rng);
  for (let i = 0; i < out.length; i++) out[i] = gauss.next();
  return out;
}
