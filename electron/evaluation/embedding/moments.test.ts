import { describe, expect, it } from 'vitest';
import { FeatureMoments, featureStats } from './moments.js';
import { GaussianSampler } from './test-support.js';

/** Two-pass textbook mean and unbiased covariance, for comparison. */
function direct(xs: Float32Array[]): { mean: number[]; cov: number[] } {
  const d = xs[0]!.length;
  const n = xs.length;
  const mean = Array.from({ length: d }, (_, i) => xs.reduce((s, x) => s + x[i]!, 0) / n);
  const cov = new Array<number>(d * d).fill(0);
  for (const x of xs) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j]! += ((x[i]! - mean[i]!) * (x[j]! - mean[j]!)) / (n - 1);
  return { mean, cov };
}

describe('FeatureMoments', () => {
  const sampler = new GaussianSampler(11);
  const xs = sampler.diagonal(101, [1, -2, 0.5, 3], [1, 0.5, 2, 0.1]);

  it('matches the two-pass mean and unbiased covariance, whatever the batching', () => {
    const want = direct(xs);
    for (const size of [1, 7, 50, 101]) {
      const m = new FeatureMoments(4);
      for (let i = 0; i < xs.length; i += size) m.add(xs.slice(i, i + size));
      const stats = m.stats();
      expect(stats.count).toBe(101);
      stats.mean.forEach((v, i) => expect(v).toBeCloseTo(want.mean[i]!, 12));
      stats.covariance.forEach((v, i) => expect(v).toBeCloseTo(want.cov[i]!, 12));
    }
  });

  it('stays accurate with a large common offset', () => {
    const offset = xs.map((x) => Float32Array.from(x, (v) => v + 1e4));
    const a = featureStats(xs);
    const m = new FeatureMoments(4);
    for (let i = 0; i < offset.length; i += 10) m.add(offset.slice(i, i + 10));
    const b = m.stats();
    // float32 storage of x + 1e4 rounds to ~1e-3, so compare at that precision.
    b.covariance.forEach((v, i) => expect(Math.abs(v - a.covariance[i]!)).toBeLessThan(2e-3));
  });

  it('refuses too few vectors, wrong lengths and non-finite values', () => {
    expect(() => new FeatureMoments(3).add([[1, 2, 3]]).stats()).toThrow(/at least 2/);
    expect(() => new FeatureMoments(3).add([[1, 2]])).toThrow(/length 2, expected 3/);
    expect(() => new FeatureMoments(2).add([[1, Number.NaN]])).toThrow(/non-finite/);
    expect(() => featureStats([])).toThrow(/no feature vectors/);
  });
});
