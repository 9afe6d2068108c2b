/**
 * Mean and covariance of a feature set, accumulated batch by batch so 5,000 images never have
 * to be held at once. Batches are merged with Chan et al.'s pairwise update of the centred
 * co-moment matrix (M₂ = M₂ᵃ + M₂ᵇ + δδᵀ·nₐn_b/n), which stays accurate when the features share
 * a large common offset — a plain Σxxᵀ − nμμᵀ would cancel catastrophically there.
 *
 * The covariance is the unbiased sample covariance (divisor n − 1), as numpy.cov and therefore
 * pytorch-fid's FID statistics compute it.
 */

/** What a Fréchet distance needs of one set: its size, mean and covariance (row-major d×d). */
export interface GaussianStats {
  dim: number;
  count: number;
  mean: Float64Array;
  covariance: Float64Array;
}

export class FeatureMoments {
  private n = 0;
  private readonly mu: Float64Array;
  /** Upper triangle of the centred co-moment matrix Σ(x − μ)(x − μ)ᵀ. */
  private readonly m2: Float64Array;

  constructor(readonly dim: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`feature dimension must be a positive integer, got ${dim}`);
    this.mu = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
  }

  get count(): number {
    return this.n;
  }

  /** Adds one batch of feature vectors (each of length `dim`). */
  add(batch: readonly ArrayLike<number>[]): this {
    const b = batch.length;
    if (b === 0) return this;
    const d = this.dim;
    const mean = new Float64Array(d);
    for (const [r, x] of batch.entries()) {
      if (x.length !== d) throw new Error(`feature ${this.n + r} has length ${x.length}, expected ${d}`);
      for (let i = 0; i < d; i++) {
        const value = x[i]!;
        if (!Number.isFinite(value)) throw new Error(`feature ${this.n + r} has a non-finite value`);
        mean[i]! += value;
      }
    }
    for (let i = 0; i < d; i++) mean[i]! /= b;
    // The batch's own centred co-moment (upper triangle).
    const centred = new Float64Array(d);
    for (const x of batch) {
      for (let i = 0; i < d; i++) centred[i] = x[i]! - mean[i]!;
      for (let i = 0; i < d; i++) {
        const ci = centred[i]!;
        if (ci === 0) continue;
        const row = i * d;
        for (let j = i; j < d; j++) this.m2[row + j]! += ci * centred[j]!;
      }
    }
    // Merge with what came before.
    const n = this.n + b;
    if (this.n > 0) {
      const weight = (this.n * b) / n;
      const delta = new Float64Array(d);
      for (let i = 0; i < d; i++) delta[i] = mean[i]! - this.mu[i]!;
      for (let i = 0; i < d; i++) {
        const di = delta[i]! * weight;
        const row = i * d;
        for (let j = i; j < d; j++) this.m2[row + j]! += di * delta[j]!;
      }
      for (let i = 0; i < d; i++) this.mu[i]! += (delta[i]! * b) / n;
    } else {
      this.mu.set(mean);
    }
    this.n = n;
    return this;
  }

  /** Mean and unbiased covariance so far; needs at least two vectors. */
  stats(): GaussianStats {
    if (this.n < 2) throw new Error(`a covariance needs at least 2 feature vectors, got ${this.n}`);
    const d = this.dim;
    const covariance = new Float64Array(d * d);
    const denom = this.n - 1;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const c = this.m2[i * d + j]! / denom;
        covariance[i * d + j] = c;
        covariance[j * d + i] = c;
      }
    }
    return { dim: d, count: this.n, mean: Float64Array.from(this.mu), covariance };
  }
}

/** Stats of an in-memory feature set, in one go. */
export function featureStats(features: readonly ArrayLike<number>[]): GaussianStats {
  const dim = features[0]?.length;
  if (dim === undefined) throw new Error('no feature vectors');
  return new FeatureMoments(dim).add(features).stats();
}
