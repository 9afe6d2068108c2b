import { describe, expect, it } from 'vitest';
import { formatScore, similarityPercent } from './format-score.js';

describe('score formatting', () => {
  it('shows three decimals and a dash for unknown scores', () => {
    expect([formatScore(0.50321), formatScore(-0.0004), formatScore(null)]).toEqual(['0.503', '-0.000', '–']);
  });

  it('turns a cosine similarity into a bar width clamped to 0–100', () => {
    expect([similarityPercent(0.834), similarityPercent(-0.3), similarityPercent(1.2), similarityPercent(null)]).toEqual([83, 0, 100, 0]);
  });
});
