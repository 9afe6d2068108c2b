import { describe, expect, it } from 'vitest';
import { finiteExtent, linearScale, niceAxis, niceStep, tickLabels } from './scale.js';

/** Whether step is 1, 2 or 5 × 10^k (to float precision). */
function isNiceStep(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
}

describe('niceStep', () => {
  it('rounds to the nearest 1, 2 or 5 × 10^k', () => {
    expect(niceStep(0.13)).toBe(0.1);
    expect(niceStep(0.3)).toBe(0.2);
    expect(niceStep(0.4)).toBe(0.5);
    expect(niceStep(7.5)).toBe(10);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(2345)).toBe(2000);
  });

  it('falls back to 1 for zero, negative and non-finite input', () => {
    for (const bad of [0, -3, NaN, Infinity]) expect(niceStep(bad)).toBe(1);
  });
});

describe('niceAxis', () => {
  it('gives exact decimal ticks enclosing the data', () => {
    expect(niceAxis(0, 1)).toEqual({ min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceAxis(0.13, 0.87).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceAxis(0.13, 0.87, { target: 8 }).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(niceAxis(-7, -3).ticks).toEqual([-7, -6, -5, -4, -3]);
    expect(niceAxis(0, 1234)).toMatchObject({ min: 0, max: 1400, step: 200 });
  });

  it('encloses random ranges with a nice step and about the target number of ticks', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let trial = 0; trial < 500; trial++) {
      const scale = 10 ** Math.round(random() * 8);
      const [lo, hi] = [random() * scale, random() * scale].sort((a, b) => a - b) as [number, number];
      const axis = niceAxis(lo, hi, { target: 5 });
      expect(axis.min).toBeLessThanOrEqual(lo);
      expect(axis.max).toBeGreaterThanOrEqual(hi);
      expect(isNiceStep(axis.step)).toBe(true);
      expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
      expect(axis.ticks.length).toBeLessThanOrEqual(10);
      expect(axis.ticks).toEqual([...axis.ticks].sort((a, b) => a - b));
    }
  });

  it('widens a zero range so the value sits inside the axis', () => {
    const five = niceAxis(5, 5);
    expect(five.min).toBeLessThan(5);
    expect(five.max).toBeGreaterThan(5);
    expect(niceAxis(0, 0)).toMatchObject({ min: -1, max: 1 });
    expect(niceAxis(-0.003, -0.003).ticks.every(Number.isFinite)).toBe(true);
  });

  it('survives non-finite, reversed and extreme ranges without NaN or a flood of ticks', () => {
    expect(niceAxis(NaN, NaN)).toMatchObject({ min: 0, max: 1 });
    expect(niceAxis(-Infinity, Infinity)).toMatchObject({ min: 0, max: 1 });
    expect(niceAxis(NaN, 3).ticks).toContain(3);
    expect(niceAxis(10, 0)).toEqual(niceAxis(0, 10));
    for (const [lo, hi] of [
      [0, 1.7e308],
      [-1.7e308, 1.7e308],
      [1e16, 1e16 + 2],
      [1e-300, 2e-300],
      [5e-324, 1e-323],
    ] as const) {
      const axis = niceAxis(lo, hi);
      expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
      expect(axis.ticks.length).toBeLessThanOrEqual(1000);
      expect([axis.min, axis.max, axis.step, ...axis.ticks].every(Number.isFinite)).toBe(true);
    }
  });

  it('keeps whole-number steps for integer axes', () => {
    expect(niceAxis(0, 3, { integer: true }).ticks).toEqual([0, 1, 2, 3]);
    expect(niceAxis(1, 6, { integer: true, target: 20 }).step).toBe(1);
    expect(niceAxis(4, 4, { integer: true }).ticks).toEqual([3, 4, 5]);
  });
});

describe('tickLabels', () => {
  it('uses the same decimals for every tick and a true minus sign', () => {
    expect(tickLabels([0, 0.5, 1], 0.5)).toEqual(['0', '0.5', '1.0']);
    expect(tickLabels([-1, -0.5, 0], 0.5)).toEqual(['\u22121.0', '\u22120.5', '0']);
    expect(tickLabels([0, 200, 400], 200)).toEqual(['0', '200', '400']);
  });

  it('switches to exponent notation for very large and very small magnitudes', () => {
    expect(tickLabels([0, 5e6, 1e7, 1.5e7], 5e6)).toEqual(['0', '5.0e6', '1.0e7', '1.5e7']);
    expect(tickLabels([1e-6, 1.5e-6], 5e-7)).toEqual(['1.0e\u22126', '1.5e\u22126']);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, including inverted ranges', () => {
    const y = linearScale([0, 10], [300, 100]);
    expect(y(0)).toBe(300);
    expect(y(10)).toBe(100);
    expect(y(5)).toBe(200);
  });

  it('maps everything to the middle for a zero-width domain', () => {
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe('finiteExtent', () => {
  it('skips NaN and infinities, and is undefined without finite values', () => {
    expect(finiteExtent([3, NaN, -2, Infinity, 7, -Infinity])).toEqual([-2, 7]);
    expect(finiteExtent([NaN, Infinity])).toBeUndefined();
    expect(finiteExtent([])).toBeUndefined();
  });
});
