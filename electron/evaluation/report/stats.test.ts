import { describe, expect, it } from 'vitest';
import { averageRanks, bootstrapInterval, quantileSorted, sampleStd, spearman, spread } from './stats.js';

describe('report statistics', () => {
  it('Spearman ρ on known examples (ties get average ranks, as scipy.stats.spearmanr)', () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Monotone but not linear: Spearman is 1 where Pearson is not.
    expect(spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect([...averageRanks([10, 20, 10, 30])]).toEqual([1.5, 3, 1.5, 4]);
  });

  it('quantiles interpolate linearly (numpy default) and spread summarises', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 12);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 12);
    expect(spread([3, 1, 2])).toEqual({ mean: 2, std: 1, q25: 1.5, median: 2, q75: 2.5 });
    expect(spread([])).toEqual({ mean: null, std: null, q25: null, median: null, q75: null });
  });

  it('bootstrap intervals are reproducible from the seed and contain the mean of a sample', () => {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 3 + 1);
    const meanOf = (s: Uint32Array) => s.reduce((a, i) => a + values[i]!, 0) / s.length;
    const options = { resamples: 500, seed: 11, confidence: 0.95 };
    const a = bootstrapInterval(values.length, meanOf, options);
    expect(bootstrapInterval(values.length, meanOf, options)).toEqual(a);
    expect(bootstrapInterval(values.length, meanOf, { ...options, seed: 12 })).not.toEqual(a);
    const point = values.reduce((s, v) => s + v, 0) / values.length;
    expect(a.low).toBeLessThan(point);
    expect(a.high).toBeGreaterThan(point);
    // About ±1.96 standard errors.
    const se = sampleStd(values) / Math.sqrt(values.length);
    expect(a.high - a.low).toBeGreaterThan(2 * 1.96 * se * 0.8);
    expect(a.high - a.low).toBeLessThan(2 * 1.96 * se * 1.2);
  });
});
