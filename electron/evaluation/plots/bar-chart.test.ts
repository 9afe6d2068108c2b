import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.js';
import { PALETTE } from './palette.js';
import { inkedPixels, NOT_A_NUMBER, pixelsOfColour, rasterise } from './test-support.js';
import type { BarGroup } from './types.js';

const frame = { title: 'Metrics by sampler', xLabel: 'sampler', yLabel: 'score' };
const groups: BarGroup[] = [
  { label: 'top-p', bars: [{ name: 'BLEU-4', value: 0.21, low: 0.19, high: 0.23 }, { name: 'CIDEr', value: 0.8, low: 0.7, high: 0.9 }] },
  { label: 'beam', bars: [{ name: 'BLEU-4', value: 0.25 }, { name: 'CIDEr', value: 0.95, low: 0.9, high: 1 }] },
];

describe('barChart', () => {
  it('renders at the stated size with bars in the palette colours, keeping each name’s colour across groups', async () => {
    const svg = barChart({ ...frame, groups, width: 400, height: 300 });
    expect(svg.match(new RegExp(`<rect [^>]*fill="${PALETTE[0]}"/>`, 'g'))).toHaveLength(2);
    expect(svg.match(new RegExp(`<rect [^>]*fill="${PALETTE[1]}"/>`, 'g'))).toHaveLength(2);
    const raster = await rasterise(svg);
    expect([raster.width, raster.height]).toEqual([400, 300]);
    expect(inkedPixels(raster)).toBeGreaterThan(0.1 * 400 * 300);
    expect(pixelsOfColour(raster, PALETTE[0], { tolerance: 2 })).toBeGreaterThan(500);
    expect(pixelsOfColour(raster, PALETTE[1], { tolerance: 2 })).toBeGreaterThan(500);
    const twice = await rasterise(svg, 2);
    expect([twice.width, twice.height]).toEqual([800, 600]);
  });

  it('draws whiskers where a spread is given, and a legend for several bar names', () => {
    const svg = barChart({ ...frame, groups });
    expect(svg.match(/stroke="#222222"/g)).toHaveLength(3);
    expect(svg).toContain('>BLEU-4</text>');
    expect(barChart({ ...frame, groups: [{ label: 'only', bars: [{ name: 'solo', value: 1 }] }] })).not.toContain('>solo</text>');
  });

  it('hangs negative bars below the zero line', () => {
    const svg = barChart({ ...frame, groups: [{ label: 'Δ', bars: [{ name: 'up', value: 2 }, { name: 'down', value: -1 }] }] });
    const [up, down] = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(up![0] + up![1]).toBeCloseTo(down![0], 0);
  });

  it.each<[string, BarGroup[]]>([
    ['no groups', []],
    ['groups without bars', [{ label: 'empty', bars: [] }]],
    ['a single bar', [{ label: 'one', bars: [{ name: 'x', value: 3 }] }]],
    ['all-zero values', [{ label: 'z', bars: [{ name: 'a', value: 0 }, { name: 'b', value: 0 }] }]],
    ['NaN and Infinity', [{ label: 'bad', bars: [{ name: 'a', value: NaN, low: 1, high: 2 }, { name: 'b', value: Infinity }, { name: 'c', value: 1, low: NaN, high: Infinity }] }]],
    ['many groups with long labels', Array.from({ length: 30 }, (_, i) => ({ label: `a rather long group label ${i}`, bars: [{ name: 'v', value: i - 10 }] }))],
  ])('renders %s without NaN in the output', async (_, groupsCase) => {
    const svg = barChart({ ...frame, groups: groupsCase });
    expect(svg).not.toMatch(NOT_A_NUMBER);
    const raster = await rasterise(svg);
    expect(inkedPixels(raster)).toBeGreaterThan(1000);
  });

  it('escapes group and bar names', async () => {
    const svg = barChart({ ...frame, groups: [{ label: '<g&"1">', bars: [{ name: "a<'b'>", value: 1 }, { name: 'c&d', value: 2 }] }] });
    expect(svg).toContain('&lt;g&amp;&quot;1&quot;&gt;');
    expect(svg).toContain('a&lt;&apos;b&apos;&gt;');
    const raster = await rasterise(svg);
    expect(pixelsOfColour(raster, PALETTE[0], { tolerance: 2 })).toBeGreaterThan(500);
  });
});
