import { describe, expect, it } from 'vitest';
import { binCounts, binEdges } from './bins.js';

describe('binEdges', () => {
  it('centres one bin on each integer for whole-number data by default', () => {
    expect(binEdges([3, 5, 5, 4])).toEqual([2.5, 3.5, 4.5, 5.5]);
  });

  it('gives exactly the requested number of equal-width bins over the data range', () => {
    const edges = binEdges([0, 10, 3.3], 4)!;
    expect(edges).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  it('uses Sturges’ rule clamped to 10–50 for other data', () => {
    expect(binEdges([0.5, 1.5, 2.25])!.length - 1).toBe(10);
    const many = Array.from({ length: 100_000 }, (_, i) => i / 7);
    expect(binEdges(many)!.length - 1).toBe(18);
  });

  it('widens a zero range to one unit, skips non-finite values, and is undefined without data', () => {
    expect(binEdges([2.5, 2.5, NaN], 2)).toEqual([2, 2.5, 3]);
    expect(binEdges([Infinity, 1.5, -Infinity], 1)).toEqual([1, 2]);
    expect(binEdges([NaN])).toBeUndefined();
    expect(binEdges([])).toBeUndefined();
  });

  it('ignores a nonsensical bin request', () => {
    expect(binEdges([1, 2, 3], NaN)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(binEdges([1, 2, 3], 0)).toEqual([0.5, 1.5, 2.5, 3.5]);
  });
});

describe('binCounts', () => {
  it('counts every finite value once, the maximum in the last bin', () => {
    const values = [0, 0.1, 2.5, 5, 7.49, 7.5, 10, NaN, Infinity];
    const counts = binCounts(values, [0, 2.5, 5, 7.5, 10]);
    expect(counts).toEqual([2, 1, 2, 2]);
  });

  it('puts values exactly on an edge in the bin to its right even when the arithmetic rounds wrongly', () => {
    const edges = binEdges([0, 0.3], 3)!;
    expect(binCounts(edges.slice(0, 3), edges)).toEqual([1, 1, 1]);
  });
});
