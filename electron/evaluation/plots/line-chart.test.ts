import { describe, expect, it } from 'vitest';
import { lineChart } from './line-chart.js';
import { PALETTE } from './palette.js';
import { inkedPixels, NOT_A_NUMBER, pixelsOfColour, rasterise } from './test-support.js';
import type { LineChartSpec } from './types.js';

const frame = { title: 'CLIPScore by epoch', xLabel: 'epoch', yLabel: 'CLIPScore' };
const epochs = [1, 2, 3, 4, 5, 6];
const spec: LineChartSpec = {
  ...frame,
  integerX: true,
  series: [
    { name: 'top-p', points: epochs.map((x) => ({ x, y: 0.6 + 0.03 * x, low: 0.58 + 0.03 * x, high: 0.63 + 0.03 * x })) },
    { name: 'beam', points: epochs.map((x) => ({ x, y: 0.65 + 0.02 * x })) },
  ],
};

describe('lineChart', () => {
  it('renders at the stated size, at 1× and 2×, with the lines in the first palette colour', async () => {
    const svg = lineChart({ ...spec, width: 500, height: 300 });
    const once = await rasterise(svg);
    expect([once.width, once.height]).toEqual([500, 300]);
    expect(inkedPixels(once)).toBeGreaterThan(0.03 * 500 * 300);
    expect(pixelsOfColour(once, PALETTE[0])).toBeGreaterThan(300);
    const twice = await rasterise(svg, 2);
    expect([twice.width, twice.height]).toEqual([1000, 600]);
  });

  it('defaults to 640×400 and names each series in a legend', async () => {
    const svg = lineChart(spec);
    expect(svg).toMatch(/<svg [^>]*width="640" height="400" viewBox="0 0 640 400"/);
    expect(svg).toContain('>top-p</text>');
    expect(svg).toContain('>beam</text>');
    const raster = await rasterise(svg);
    expect([raster.width, raster.height]).toEqual([640, 400]);
  });

  it('has no legend for a single series', () => {
    expect(lineChart({ ...spec, series: [spec.series[0]!] })).not.toContain('>top-p</text>');
  });

  it('labels only whole numbers on an integer x axis', () => {
    const svg = lineChart({ ...spec, series: [{ name: 'a', points: [{ x: 1, y: 1 }, { x: 3, y: 2 }] }] });
    const xLabels = [...svg.matchAll(/text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]!);
    expect(xLabels).toEqual(expect.arrayContaining(['1', '2', '3']));
    expect(xLabels.some((l) => /^\d+\.\d+$/.test(l))).toBe(false);
  });

  it('draws the spread as whiskers for few points and as a band for many', () => {
    const bars = lineChart(spec);
    expect(bars).not.toContain('fill-opacity="0.2"');
    const many = Array.from({ length: 40 }, (_, i) => ({ x: i, y: Math.sin(i / 5), low: Math.sin(i / 5) - 0.1, high: Math.sin(i / 5) + 0.1 }));
    expect(lineChart({ ...frame, series: [{ name: 'long', points: many }] })).toContain('fill-opacity="0.2"');
    expect(lineChart({ ...spec, spread: 'band' })).toContain('fill-opacity="0.2"');
  });

  it.each<[string, LineChartSpec['series']]>([
    ['no series', []],
    ['empty series', [{ name: 'empty', points: [] }]],
    ['a single point', [{ name: 'one', points: [{ x: 3, y: 0.5 }] }]],
    ['all-equal values', [{ name: 'flat', points: [1, 2, 3].map((x) => ({ x: 7, y: 7, low: 7, high: 7 })) }]],
    [
      'NaN and Infinity everywhere',
      [{ name: 'bad', points: [{ x: NaN, y: 1 }, { x: 1, y: Infinity }, { x: 2, y: 3, low: NaN, high: Infinity }, { x: -Infinity, y: -Infinity }, { x: 3, y: 4 }] }],
    ],
    ['only non-finite values', [{ name: 'nothing', points: [{ x: NaN, y: NaN }] }]],
    ['negative values', [{ name: 'loss', points: [{ x: -5, y: -3, low: -4, high: -1 }, { x: 5, y: -0.5 }] }]],
    ['huge and tiny magnitudes', [{ name: 'wide', points: [{ x: 1e-9, y: 1e12 }, { x: 2e-9, y: 3e12 }] }]],
  ])('renders %s without NaN in the output', async (_, series) => {
    const svg = lineChart({ ...frame, series });
    expect(svg).not.toMatch(NOT_A_NUMBER);
    const raster = await rasterise(svg);
    expect([raster.width, raster.height]).toEqual([640, 400]);
    expect(inkedPixels(raster)).toBeGreaterThan(1000);
  });

  it('breaks the line at a missing measurement instead of bridging it', () => {
    const svg = lineChart({ ...frame, series: [{ name: 'gap', points: [1, 2, 3, 4, 5].map((x) => ({ x, y: x === 3 ? NaN : x })) }] });
    const line = svg.match(/<path d="([^"]+)" fill="none" stroke="#0072B2" stroke-width="2"/)![1]!;
    expect(line.match(/M/g)).toHaveLength(2);
  });
});
