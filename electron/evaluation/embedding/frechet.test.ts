import { describe, expect, it } from 'vitest';
import { frechetDistance, frechetDistanceOfFeatures } from './frechet.js';
import type { GaussianStats } from './moments.js';
import { featureStats } from './moments.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { GaussianSampler } from './test-support.js';

function stats(mean: number[], covariance: number[], count = 1000): GaussianStats {
  return { dim: mean.length, count, mean: Float64Array.from(mean), covariance: Float64Array.from(covariance) };
}

function diag(values: number[]): number[] {
  const d = values.length;
  const m = new Array<number>(d * d).fill(0);
  values.forEach((v, i) => (m[i * d + i] = v));
  return m;
}

/** Q diag(values) Qᵀ for an orthogonal Q (the eigenvectors of some random symmetric matrix). */
function rotated(q: Float64Array, values: number[]): number[] {
  const d = values.length;
  const m = new Array<number>(d * d).fill(0);
  for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j]! += values[k]! * q[k * d + i]! * q[k * d + j]!;
  return m;
}

describe('frechetDistance (closed forms)', () => {
  const sampler = new GaussianSampler(21);

  it('is 0 for identical sets, including n < d (singular covariance)', () => {
    for (const [n, d] of [
      [200, 8],
      [20, 64],
      [2, 16],
    ] as const) {
      const xs = sampler.diagonal(n, new Array(d).fill(0.3), new Array(d).fill(0.2));
      const s = featureStats(xs);
      const result = frechetDistance(s, s);
      expect(result.distance).toBeLessThan(1e-9);
      expect(result.rank).toBe(Math.min(d, n - 1));
    }
  });

  it('is ‖Δμ‖² for a shifted copy of the same samples', () => {
    const d = 32;
    const xs = sampler.diagonal(40, new Array(d).fill(0), Array.from({ length: d }, (_, i) => 0.05 + i / d));
    const shift = Array.from({ length: d }, (_, i) => (i % 3) - 1 + 0.25);
    const ys = xs.map((x) => Float32Array.from(x, (v, i) => v + shift[i]!));
    const expected = shift.reduce((s, x) => s + x * x, 0);
    const result = frechetDistanceOfFeatures(xs, ys);
    // Covariances agree up to the float32 rounding of the shifted samples.
    expect(result.distance).toBeCloseTo(expected, 5);
    expect(result.meanTerm).toBeCloseTo(expected, 5);
    expect(Math.abs(result.covarianceTerm)).toBeLessThan(1e-5);
  });

  it('is Σ(√a − √b)² + ‖Δμ‖² for diagonal covariances, and for the same ones in a rotated basis', () => {
    const a = [4, 1, 0.25, 9, 0, 2];
    const b = [1, 1, 1, 0.5, 3, 0];
    const mu1 = [0, 1, 2, 3, 4, 5];
    const mu2 = [1, 1, 2, 3, 4, 3];
    const expected = a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i]!)) ** 2, 0) + 1 + 4;
    expect(frechetDistance(stats(mu1, diag(a)), stats(mu2, diag(b))).distance).toBeCloseTo(expected, 10);
    const q = symmetricEigen(sampler.symmetric(6), 6).vectors!;
    expect(frechetDistance(stats(mu1, rotated(q, a)), stats(mu2, rotated(q, b))).distance).toBeCloseTo(expected, 9);
  });

  it('matches the 2×2 identity Tr √M = √(Tr Σ₁Σ₂ + 2√(det Σ₁ det Σ₂)) for non-commuting covariances', () => {
    const s1 = [2, 0.8, 0.8, 1];
    const s2 = [0.5, -0.3, -0.3, 3];
    const trProduct = s1[0]! * s2[0]! + s1[1]! * s2[2]! + s1[2]! * s2[1]! + s1[3]! * s2[3]!;
    const det = (m: number[]) => m[0]! * m[3]! - m[1]! * m[2]!;
    const traceSqrt = Math.sqrt(trProduct + 2 * Math.sqrt(det(s1) * det(s2)));
    const expected = 3 + 3.5 - 2 * traceSqrt + 0.5 ** 2;
    const result = frechetDistance(stats([0, 0], s1), stats([0.5, 0], s2));
    expect(result.traceSqrt).toBeCloseTo(traceSqrt, 12);
    expect(result.distance).toBeCloseTo(expected, 12);
  });

  it('agrees with the Gram-matrix route (nuclear norm of A₁A₂ᵀ) when n < d, and is symmetric', () => {
    const d = 96;
    const xs = sampler.diagonal(30, new Array(d).fill(0), Array.from({ length: d }, (_, i) => 0.1 + (i % 5) / 10));
    const ys = sampler.diagonal(45, new Array(d).fill(0.05), Array.from({ length: d }, (_, i) => 0.2 + (i % 7) / 20));
    // Centred, scaled data matrices: Σ = AᵀA; singular values of A₁A₂ᵀ are √eig((A₁A₂ᵀ)ᵀ(A₁A₂ᵀ)).
    const centred = (zs: Float32Array[]) => {
      const s = featureStats(zs);
      const scale = 1 / Math.sqrt(zs.length - 1);
      return zs.map((z) => Float64Array.from(z, (v, i) => (v - s.mean[i]!) * scale));
    };
    const a1 = centred(xs);
    const a2 = centred(ys);
    const cross = a1.map((r) => a2.map((c) => r.reduce((s, v, i) => s + v * c[i]!, 0)));
    const n2 = a2.length;
    const gram = new Float64Array(n2 * n2);
    for (let i = 0; i < n2; i++) for (let j = 0; j < n2; j++) gram[i * n2 + j] = cross.reduce((s, row) => s + row[i]! * row[j]!, 0);
    const nuclear = symmetricEigen(gram, n2, { vectors: false }).values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);

    const ab = frechetDistanceOfFeatures(xs, ys);
    const ba = frechetDistanceOfFeatures(ys, xs);
    // The reference route takes √ of the Gram matrix's 16 rounding-level zero eigenvalues (~1e-8 each).
    expect(ab.traceSqrt).toBeCloseTo(nuclear, 6);
    expect(ab.distance).toBeCloseTo(ba.distance, 10);
    expect(ab.rank).toBe(29);
  });

  it('estimates the population distance from Gaussian samples', () => {
    const d = 16;
    const scale1 = Array.from({ length: d }, (_, i) => 0.5 + (i % 4) * 0.25);
    const scale2 = Array.from({ length: d }, (_, i) => 1 + (i % 3) * 0.5);
    const mu2 = Array.from({ length: d }, (_, i) => (i < 4 ? 1 : 0));
    const expected = scale1.reduce((s, x, i) => s + (x - scale2[i]!) ** 2, 0) + 4;
    const result = frechetDistanceOfFeatures(sampler.diagonal(20000, new Array(d).fill(0), scale1), sampler.diagonal(20000, mu2, scale2));
    expect(Math.abs(result.distance - expected) / expected).toBeLessThan(0.05);
  });

  it('refuses mismatched dimensions', () => {
    expect(() => frechetDistance(stats([0], [1]), stats([0, 0], diag([1, 1])))).toThrow(/dimensions differ/);
    expect(() => frechetDistanceOfFeatures([], [[1]])).toThrow(/empty/);
  });
});
