import { describe, expect, it } from 'vitest';
import { chunks, cosine, cosineMatrix, l2Normalize, maskedMeanPool } from './vectors.js';

describe('embedding vector helpers', () => {
  it('cosine of identical vectors is 1 and of orthogonal ones 0, for any length', () => {
    expect(cosine([3, 4], [3, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0, 0], [0, 2, 0])).toBe(0);
    expect(cosine(Float32Array.of(1, 1), Float32Array.of(-2, -2))).toBeCloseTo(-1, 6);
  });

  it('scores a zero vector 0, never NaN', () => {
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(cosineMatrix([[0, 0]], [[0, 0], [1, 2]])).toEqual([[0, 0]]);
    expect(Array.from(l2Normalize(new Float32Array(3)))).toEqual([0, 0, 0]);
  });

  it('cosineMatrix matches pairwise cosine', () => {
    const as = [[1, 2, 3], [0, 1, 0]];
    const bs = [[1, 2, 3], [3, 0, 1], [0, -5, 0]];
    const m = cosineMatrix(as, bs);
    as.forEach((a, i) => bs.forEach((b, j) => expect(m[i]![j]).toBeCloseTo(cosine(a, b), 12)));
    expect(() => cosineMatrix([[1, 2]], [[1, 2, 3]])).toThrow(/differ in length/);
  });

  it('l2Normalize gives unit length', () => {
    const v = l2Normalize(Float32Array.of(3, 4));
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('maskedMeanPool averages only unmasked positions', () => {
    // [batch 2, seq 3, dim 2]
    const hidden = Float32Array.of(1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10);
    const pooled = maskedMeanPool(hidden, [[1, 1, 0], [1, 1, 1]], 3, 2);
    expect(Array.from(pooled[0]!)).toEqual([2, 3]);
    expect(Array.from(pooled[1]!)).toEqual([7, 8]);
    expect(Array.from(maskedMeanPool(hidden, [[0, 0, 0]], 3, 2)[0]!)).toEqual([0, 0]);
  });

  it('chunks keeps order and the remainder', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => chunks([1], 0)).toThrow(/positive integer/);
  });
});
