import { describe, expect, it } from 'vitest';
import {
  applyNoRepeatNgram,
  applyRepetitionPenalty,
  applyTemperature,
  applyTopK,
  applyTopP,
  logSoftmaxInPlace,
  logSumExp,
} from './logits-processors.js';
import { applyWarpers, sampleIndex, sampleWarped } from './sampling.js';
import { argmax, topKIndices } from './selection.js';
import type { RandomSource } from './types.js';

/** mulberry32: a tiny seeded PRNG, local to the tests. */
function rng(seed: number): RandomSource & { draws: number } {
  let a = seed >>> 0;
  return {
    draws: 0,
    nextFloat() {
      this.draws++;
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

function randomLogits(n: number, seed: number, scale = 4): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r.nextFloat() - 0.5) * 2 * scale);
}

/** Reference nucleus filter by a full sort: the kept indices. */
function nucleusByFullSort(scores: Float64Array, p: number): Set<number> {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const max = scores[order[0]!]!;
  const total = order.reduce((s, i) => s + Math.exp(scores[i]! - max), 0);
  const kept = new Set<number>();
  let cumulative = 0;
  for (const i of order) {
    kept.add(i);
    cumulative += Math.exp(scores[i]! - max) / total;
    if (cumulative >= p) break;
  }
  return kept;
}

describe('partial selection', () => {
  it('topKIndices equals a full sort, ties by lower index', () => {
    for (let seed = 1; seed <= 20; seed++) {
      // Rounded values force many ties.
      const values = Array.from(randomLogits(500, seed), (v) => Math.round(v * 3));
      const expected = Array.from(values.keys())
        .sort((a, b) => values[b]! - values[a]! || a - b)
        .slice(0, 17);
      expect(topKIndices(values, 17)).toEqual(expected);
    }
  });

  it('topKIndices handles k larger than n, k = 0, -Infinity and NaN', () => {
    expect(topKIndices([1, 3, 2], 10)).toEqual([1, 2, 0]);
    expect(topKIndices([1, 3, 2], 0)).toEqual([]);
    expect(topKIndices([-Infinity, NaN, 0], 3)).toEqual([2, 0]);
  });

  it('argmax takes the first maximum', () => {
    expect(argmax([1, 5, 5, 2])).toBe(1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
  });
});

describe('logits processors', () => {
  it('repetition penalty divides positive and multiplies negative scores, once per token', () => {
    const s = Float64Array.from([2, -2, 1, 0]);
    applyRepetitionPenalty(s, [0, 1, 0, 3], 2);
    expect(Array.from(s)).toEqual([1, -4, 1, 0]);
  });

  it('no-repeat-ngram bans the token that would repeat an n-gram', () => {
    const banned = (history: number[], n: number) => {
      const s = new Float64Array(5);
      applyNoRepeatNgram(s, history, n);
      return Array.from(s.keys()).filter((i) => s[i] === -Infinity);
    };
    expect(banned([1, 2, 3, 1, 2], 3)).toEqual([3]);
    expect(banned([1, 2, 3, 1, 2], 2)).toEqual([3]);
    expect(banned([1, 2, 3, 1, 2], 1)).toEqual([1, 2, 3]);
    expect(banned([1, 2], 4)).toEqual([]);
    expect(banned([4, 4, 4], 2)).toEqual([4]);
  });

  it('temperature divides', () => {
    const s = Float64Array.from([1, -2]);
    applyTemperature(s, 0.5);
    expect(Array.from(s)).toEqual([2, -4]);
  });

  it('top-k keeps the k best and anything tied with the k-th', () => {
    const s = Float64Array.from([0, 3, 1, 3, 1, -1]);
    applyTopK(s, 3);
    expect(Array.from(s)).toEqual([-Infinity, 3, 1, 3, 1, -Infinity]);
    const t = Float64Array.from([0, 3, 2]);
    applyTopK(t, 5);
    expect(Array.from(t)).toEqual([0, 3, 2]);
  });

  it('top-p keeps the smallest set reaching p, at least one token', () => {
    const probs = [0.5, 0.3, 0.15, 0.05];
    const kept = (p: number) => {
      const s = Float64Array.from(probs, Math.log);
      applyTopP(s, p);
      return Array.from(s.keys()).filter((i) => s[i] !== -Infinity);
    };
    expect(kept(1e-9)).toEqual([0]);
    expect(kept(0.49)).toEqual([0]);
    expect(kept(0.75)).toEqual([0, 1]);
    expect(kept(0.81)).toEqual([0, 1, 2]);
    expect(kept(0.999)).toEqual([0, 1, 2, 3]);
    expect(kept(1)).toEqual([0, 1, 2, 3]);
  });

  it('top-p equals a full-sort reference on large vocabularies (window growth)', () => {
    const cases = [[1, 0.1, 1], [2, 0.5, 1], [3, 0.9, 1], [4, 0.99, 1], [5, 0.5, 8], [6, 0.95, 8]] as const;
    for (const [seed, p, rounding] of cases) {
      // rounding = 8 makes many exact ties, including inside the crossing bucket.
      const scores = Float64Array.from(randomLogits(5000, seed, 1.5), (v) => Math.round(v * rounding) / rounding);
      const expected = nucleusByFullSort(scores, p);
      const s = Float64Array.from(scores);
      applyTopP(s, p);
      const keptIdx = Array.from(s.keys()).filter((i) => s[i] !== -Infinity);
      expect(new Set(keptIdx)).toEqual(expected);
      for (const i of keptIdx) expect(s[i]).toBe(scores[i]);
    }
  });

  it('logSumExp and logSoftmax are stable', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 10);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    const s = Float64Array.from([Math.log(0.25), Math.log(0.75)]);
    logSoftmaxInPlace(s);
    expect(Math.exp(s[0]!)).toBeCloseTo(0.25, 12);
  });
});

describe('sampleIndex', () => {
  it('draws once per call and follows the distribution', () => {
    const r = rng(7);
    const counts = [0, 0, 0, 0];
    const draws = 20000;
    for (let i = 0; i < draws; i++) counts[sampleIndex(Float64Array.from([0.1, 0.2, 0, 0.7], Math.log), r)]!++;
    expect(r.draws).toBe(draws);
    expect(counts[2]).toBe(0);
    expect(counts[0]! / draws).toBeCloseTo(0.1, 1);
    expect(Math.abs(counts[1]! / draws - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(counts[3]! / draws - 0.7)).toBeLessThan(0.015);
  });

  it('is deterministic for a seed and never picks an impossible token at u → 1', () => {
    const a = rng(3);
    const b = rng(3);
    const s = () => Float64Array.from([1, 2, 3]);
    expect(Array.from({ length: 50 }, () => sampleIndex(s(), a))).toEqual(Array.from({ length: 50 }, () => sampleIndex(s(), b)));
    expect(sampleIndex(Float64Array.from([0, 0, -Infinity]), { nextFloat: () => 0.9999999999999999 })).toBe(1);
  });
});

describe('sampleWarped', () => {
  it('draws the same token as masking the whole row and sampling it', () => {
    const settings = [
      { temperature: 1, topK: 0, topP: 1 },
      { temperature: 0.7, topK: 0, topP: 0.9 },
      { temperature: 1.3, topK: 40, topP: 1 },
      { temperature: 0.9, topK: 40, topP: 0.8 },
      { temperature: 1, topK: 3, topP: 0.5 },
    ];
    for (const [n, seed] of [[50, 1], [3000, 2]] as const) {
      for (const s of settings) {
        const a = rng(seed * 100);
        const b = rng(seed * 100);
        for (let draw = 0; draw < 200; draw++) {
          // Coarse rounding makes ties, which both paths must treat alike.
          const logits = Float64Array.from(randomLogits(n, seed * 1000 + draw, 3), (v) => Math.round(v * 4) / 4);
          const full = Float64Array.from(logits);
          applyWarpers(full, s);
          expect(sampleWarped(Float64Array.from(logits), s, a), JSON.stringify(s)).toBe(sampleIndex(full, b));
        }
      }
    }
  });
});
