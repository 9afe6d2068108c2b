import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';
import { GaussianSampler } from './test-support.js';

/** max |A v_k − λ_k v_k| and max |VᵀV − I| over the decomposition. */
function residuals(a: Float64Array, d: number, values: Float64Array, vectors: Float64Array): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let k = 0; k < d; k++) {
    const v = vectors.subarray(k * d, k * d + d);
    for (let i = 0; i < d; i++) {
      let av = 0;
      for (let j = 0; j < d; j++) av += a[i * d + j]! * v[j]!;
      eig = Math.max(eig, Math.abs(av - values[k]! * v[i]!));
    }
    for (let l = 0; l < d; l++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += v[i]! * vectors[l * d + i]!;
      orth = Math.max(orth, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('symmetricEigen', () => {
  it('decomposes random symmetric matrices: A v = λ v, orthonormal vectors, ascending values', () => {
    const sampler = new GaussianSampler(7);
    for (const d of [1, 2, 3, 10, 40]) {
      const a = sampler.symmetric(d);
      const { values, vectors } = symmetricEigen(a, d);
      const { eig, orth } = residuals(a, d, values, vectors!);
      expect(eig).toBeLessThan(1e-10 * Math.max(1, d));
      expect(orth).toBeLessThan(1e-12 * Math.max(1, d));
      for (let k = 1; k < d; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      // Trace is preserved.
      let trace = 0;
      for (let i = 0; i < d; i++) trace += a[i * d + i]!;
      expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 9);
    }
  });

  it('values-only gives the same eigenvalues', () => {
    const a = new GaussianSampler(8).symmetric(25);
    const full = symmetricEigen(a, 25);
    const only = symmetricEigen(a, 25, { vectors: false });
    expect(only.vectors).toBeUndefined();
    for (let k = 0; k < 25; k++) expect(only.values[k]!).toBeCloseTo(full.values[k]!, 10);
  });

  it('handles diagonal, zero, repeated-eigenvalue and rank-deficient matrices', () => {
    expect(Array.from(symmetricEigen(Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 2]), 3).values)).toEqual([1, 2, 3]);
    expect(Array.from(symmetricEigen(new Float64Array(16), 4).values)).toEqual([0, 0, 0, 0]);
    const identity = symmetricEigen(Float64Array.from([2, 0, 0, 2]), 2);
    expect(Array.from(identity.values)).toEqual([2, 2]);

    // Gram matrix of 3 vectors in 12 dimensions: rank 3, nine zero eigenvalues.
    const sampler = new GaussianSampler(9);
    const d = 12;
    const rows = Array.from({ length: 3 }, () => Float64Array.from({ length: d }, () => sampler.normal()));
    const gram = new Float64Array(d * d);
    for (const r of rows) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) gram[i * d + j]! += r[i]! * r[j]!;
    const { values, vectors } = symmetricEigen(gram, d);
    const { eig, orth } = residuals(gram, d, values, vectors!);
    expect(eig).toBeLessThan(1e-10);
    expect(orth).toBeLessThan(1e-12);
    for (let k = 0; k < d - 3; k++) expect(Math.abs(values[k]!)).toBeLessThan(1e-12);
    for (let k = d - 3; k < d; k++) expect(values[k]!).toBeGreaterThan(0.1);
  });

  it('refuses malformed input', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/expected 4 values/);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(/non-finite/);
    expect(symmetricEigen([], 0).values.length).toBe(0);
  });
});
