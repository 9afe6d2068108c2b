/**
 * Pinned values come from an independent C build of the authors' reference xoshiro128** 1.1
 * (prng.di.unimi.it/xoshiro128starstar.c) with the same splitmix32 seeding, and glibc's
 * log/cos/sin for Box–Muller (rounded to float32).
 */
import { describe, expect, it } from 'vitest';
import { GaussianSampler, Xoshiro128, randn, shapeSize } from './index.js';

describe('Xoshiro128', () => {
  it('matches the reference vector for state [1, 2, 3, 4]', () => {
    const rng = Xoshiro128.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => rng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it('pins the first outputs for seeds 42, 0 and one above 2^32', () => {
    const take = (seed: number, n: number) => {
      const rng = new Xoshiro128(seed);
      return Array.from({ length: n }, () => rng.nextUint32());
    };
    expect(take(42, 4)).toEqual([2837322924, 544945897, 479756282, 3500138142]);
    expect(take(0, 4)).toEqual([3809008728, 1133695204, 53579671, 2891528803]);
    // The high word of the seed matters: 2^32 + 7 is not the same stream as 7.
    expect(take(2 ** 32 + 7, 2)).toEqual([4206691405, 2688601978]);
    expect(take(7, 2)).not.toEqual(take(2 ** 32 + 7, 2));
  });

  it('nextFloat is nextUint32 / 2^32, in [0, 1)', () => {
    const a = new Xoshiro128(42);
    expect(a.nextFloat()).toBe(2837322924 / 2 ** 32);
    for (let i = 0; i < 1000; i++) {
      const x = a.nextFloat();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('rejects seeds that are not non-negative safe integers and an all-zero state', () => {
    expect(() => new Xoshiro128(-1)).toThrow(/seed/);
    expect(() => new Xoshiro128(1.5)).toThrow(/seed/);
    expect(() => new Xoshiro128(2 ** 53)).toThrow(/seed/);
    expect(() => Xoshiro128.fromState([0, 0, 0, 0])).toThrow(/zero/);
  });
});

describe('Gaussian sampling', () => {
  it('pins the first Box–Muller pairs for seed 42 (cos value first, then sin)', () => {
    const z = randn([2, 3], new Xoshiro128(42));
    const expected = [1.02717757, 1.05173707, 0.193129599, -0.446762681, 0.400428712, 0.066908747];
    expect(z).toBeInstanceOf(Float32Array);
    expect(Array.from(z)).toEqual(expected.map(Math.fround));
  });

  it('the streaming sampler uses both values of each pair, like randn', () => {
    const gauss = new GaussianSampler(new Xoshiro128(42));
    const streamed = Float32Array.from({ length: 6 }, () => gauss.next());
    expect(streamed).toEqual(randn(6, new Xoshiro128(42)));
  });

  it('same seed, same noise; different seed, different noise', () => {
    expect(randn(4096, new Xoshiro128(7))).toEqual(randn(4096, new Xoshiro128(7)));
    expect(randn(16, new Xoshiro128(7))).not.toEqual(randn(16, new Xoshiro128(8)));
  });

  it('has mean ≈ 0 and variance ≈ 1 over many samples', () => {
    const z = randn(200_000, new Xoshiro128(123));
    let sum = 0;
    let sq = 0;
    for (const v of z) {
      sum += v;
      sq += v * v;
    }
    const mean = sum / z.length;
    // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sq / z.length - mean * mean - 1)).toBeLessThan(0.015);
  });

  it('sizes shapes and rejects bad dimensions', () => {
    expect(shapeSize([1, 4, 64, 64])).toBe(16384);
    expect(shapeSize(5)).toBe(5);
    expect(() => shapeSize([1, -4])).toThrow(/dimension/);
  });
});
