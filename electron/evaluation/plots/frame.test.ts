import { describe, expect, it } from 'vitest';
import { buildFrame, chartSize } from './frame.js';

const base = { title: 't', xLabel: 'x', yLabel: 'y' };

describe('chartSize', () => {
  it('defaults to 640×400 and rounds to whole pixels', () => {
    expect(chartSize(base)).toEqual({ width: 640, height: 400 });
    expect(chartSize({ ...base, width: 800.4, height: 599.6 })).toEqual({ width: 800, height: 600 });
  });

  it('falls back on non-finite sizes and clamps absurd ones', () => {
    expect(chartSize({ ...base, width: NaN, height: Infinity })).toEqual({ width: 640, height: 400 });
    expect(chartSize({ ...base, width: 3, height: 1e9 })).toEqual({ width: 100, height: 10_000 });
  });
});

describe('buildFrame', () => {
  it('keeps the plot inside the canvas and its scales on the plot', () => {
    const frame = buildFrame(base, { kind: 'linear', extent: [0, 1_000_000] }, { extent: [-0.5, 0.25] });
    const { left, top, right, bottom } = frame.plot;
    expect(0 < left && left < right && right <= 640).toBe(true);
    expect(0 < top && top < bottom && bottom <= 400).toBe(true);
    expect(frame.x(frame.xDomain[0])).toBeCloseTo(left);
    expect(frame.x(frame.xDomain[1])).toBeCloseTo(right);
    expect(frame.y(frame.yDomain[0])).toBeCloseTo(bottom);
    expect(frame.y(frame.yDomain[1])).toBeCloseTo(top);
  });

  it('leaves room for the title and a legend above the plot only when they exist', () => {
    const plain = buildFrame({ ...base, title: '' }, { kind: 'linear', extent: [0, 1] }, { extent: [0, 1] });
    const style = { colour: '#000000', dash: '' };
    const withLegend = buildFrame(base, { kind: 'linear', extent: [0, 1] }, { extent: [0, 1] }, [
      { name: 'a', style, mark: 'line' },
      { name: 'b', style, mark: 'line' },
    ]);
    expect(withLegend.plot.top).toBeGreaterThan(plain.plot.top + 30);
  });
});
