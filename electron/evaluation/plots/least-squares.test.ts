import { describe, expect, it } from 'vitest';
import { leastSquares, lineInBox } from './least-squares.js';

describe('leastSquares', () => {
  it('recovers an exact line, skipping non-finite points', () => {
    const points = [0, 1, 2, 3].map((x) => ({ x, y: 2 + 0.5 * x }));
    const fit = leastSquares([...points, { x: NaN, y: 1 }, { x: 1, y: Infinity }])!;
    expect(fit.intercept).toBeCloseTo(2, 12);
    expect(fit.slope).toBeCloseTo(0.5, 12);
  });

  it('stays accurate far from the origin', () => {
    const points = [0, 1, 2, 3].map((x) => ({ x: 1e9 + x, y: 3 * x }));
    expect(leastSquares(points)!.slope).toBeCloseTo(3, 9);
  });

  it('is undefined without two distinct x', () => {
    expect(leastSquares([{ x: 1, y: 1 }])).toBeUndefined();
    expect(leastSquares([{ x: 1, y: 1 }, { x: 1, y: 5 }])).toBeUndefined();
  });
});

describe('lineInBox', () => {
  it('clips the line to the box', () => {
    expect(lineInBox({ intercept: 0, slope: 2 }, [0, 10], [0, 10])).toEqual([
      [0, 0],
      [5, 10],
    ]);
  });

  it('is undefined when the line misses the box', () => {
    expect(lineInBox({ intercept: 20, slope: 0 }, [0, 10], [0, 10])).toBeUndefined();
    expect(lineInBox({ intercept: 20, slope: 1 }, [0, 10], [0, 10])).toBeUndefined();
  });
});
