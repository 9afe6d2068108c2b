import { describe, expect, it } from 'vitest';
import { arrowStep, axis, nearestPoint } from './axis.js';

describe('axis', () => {
  it('encloses the data in nice ticks and maps them onto the pixel range', () => {
    const x = axis([0.12, 0.87], 40, 540);
    expect(x.ticks.map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(x.ticks[0]!.at).toBe(40);
    expect(x.ticks.at(-1)!.at).toBe(540);
    expect(x.scale(0.5)).toBe(290);
  });

  it('draws a y axis upwards, includes values asked for and keeps integer ticks whole', () => {
    const y = axis([3, 17], 300, 20, { integer: true, include: [0] });
    expect(y.min).toBe(0);
    expect(y.ticks.every((t) => Number.isInteger(t.value))).toBe(true);
    expect(y.scale(y.min)).toBe(300);
    expect(y.scale(y.max)).toBe(20);
  });

  it('falls back to [0, 1] without data', () => {
    expect(axis([], 0, 100)).toMatchObject({ min: 0, max: 1 });
  });
});

describe('nearestPoint', () => {
  it('finds the closest point within a radius', () => {
    const points = [{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 0 }];
    expect(nearestPoint(points, 9, 8)).toBe(1);
    expect(nearestPoint(points, 50, 50, 5)).toBe(-1);
    expect(nearestPoint([], 0, 0)).toBe(-1);
  });
});

describe('arrowStep', () => {
  it('starts at either end and stays within the points', () => {
    expect(arrowStep('ArrowRight', null, 3)).toBe(0);
    expect(arrowStep('ArrowLeft', null, 3)).toBe(2);
    expect(arrowStep('ArrowRight', 2, 3)).toBe(2);
    expect(arrowStep('ArrowLeft', 1, 3)).toBe(0);
    expect(arrowStep('Enter', 1, 3)).toBeNull();
    expect(arrowStep('ArrowRight', null, 0)).toBeNull();
  });
});
