import { describe, expect, it } from 'vitest';
import { deterministicSubsample } from './point-sampling.js';

describe('deterministicSubsample', () => {
  const items = Array.from({ length: 50_000 }, (_, i) => i);

  it('keeps everything when there are few enough items', () => {
    expect(deterministicSubsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('picks exactly `limit` distinct items in their original order, the same every time', () => {
    const a = deterministicSubsample(items, 20_000);
    expect(a).toHaveLength(20_000);
    expect(new Set(a).size).toBe(20_000);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(deterministicSubsample(items, 20_000)).toEqual(a);
  });

  it('spreads the choice over the whole input rather than taking a prefix', () => {
    const picked = deterministicSubsample(items, 1000);
    const inLastTenth = picked.filter((i) => i >= 45_000).length;
    expect(inLastTenth).toBeGreaterThan(60);
    expect(inLastTenth).toBeLessThan(140);
  });
});
