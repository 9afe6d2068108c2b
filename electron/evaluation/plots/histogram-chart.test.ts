import { describe, expect, it } from 'vitest';
import { histogramChart } from './histogram-chart.js';
import { PALETTE } from './palette.js';
import { inkedPixels, NOT_A_NUMBER, pixelsOfColour, rasterise } from './test-support.js';
import type { HistogramSeries } from './types.js';

const frame = { title: 'Caption length', xLabel: 'tokens', yLabel: 'captions' };

function lengths(n: number, offset: number): number[] {
  let seed = 11 + offset;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => Math.round(offset + random() * 8 + random() * 4));
}

describe('histogramChart', () => {
  it('renders overlaid series at the stated size, both colours visible through each other', async () => {
    const svg = histogramChart({ ...frame, series: [{ name: 'references', values: lengths(2000, 14) }, { name: 'generated', values: lengths(2000, 4) }], width: 600, height: 300 });
    const raster = await rasterise(svg);
    expect([raster.width, raster.height]).toEqual([600, 300]);
    expect(inkedPixels(raster)).toBeGreaterThan(0.1 * 600 * 300);
    expect(pixelsOfColour(raster, PALETTE[0], { opacity: 0.35 })).toBeGreaterThan(1000);
    expect(pixelsOfColour(raster, PALETTE[1], { opacity: 0.35 })).toBeGreaterThan(1000);
    const twice = await rasterise(svg, 2);
    expect([twice.width, twice.height]).toEqual([1200, 600]);
  });

  it('shares bin edges between series, using the requested number of bins', () => {
    const svg = histogramChart({ ...frame, series: [{ name: 'a', values: [0, 1, 2, 3] }, { name: 'b', values: [2, 5, 10] }], bins: 5 });
    const outlines = [...svg.matchAll(/<path d="(M[^"]+Z)"/g)].map((m) => m[1]!.match(/H[\d.]+/g));
    expect(outlines).toHaveLength(2);
    expect(outlines[0]).toHaveLength(5);
    expect(outlines[0]).toEqual(outlines[1]);
  });

  it('normalises each series to fractions when asked', () => {
    const svg = histogramChart({ ...frame, series: [{ name: 'a', values: [1, 1, 2, 2] }], normalize: true });
    expect(svg).toContain('>0.5</text>');
  });

  it.each<[string, HistogramSeries[]]>([
    ['no series', []],
    ['an empty series', [{ name: 'empty', values: [] }]],
    ['a single value', [{ name: 'one', values: [3.25] }]],
    ['all-equal values', [{ name: 'same', values: [5, 5, 5, 5] }]],
    ['NaN and Infinity', [{ name: 'bad', values: [NaN, 1.5, Infinity, -Infinity, 2.5] }, { name: 'worse', values: [NaN] }]],
    ['negative values', [{ name: 'delta', values: [-3.2, -1.1, 0.4, -0.2, -2.7] }]],
    ['huge counts', [{ name: 'many', values: Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 1000) }]],
  ])('renders %s without NaN in the output', async (_, series) => {
    const svg = histogramChart({ ...frame, series });
    expect(svg).not.toMatch(NOT_A_NUMBER);
    const raster = await rasterise(svg);
    expect(inkedPixels(raster)).toBeGreaterThan(1000);
  });
});
