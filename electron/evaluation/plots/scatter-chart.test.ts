import { describe, expect, it } from 'vitest';
import { PALETTE } from './palette.js';
import { scatterChart } from './scatter-chart.js';
import { inkedPixels, NOT_A_NUMBER, pixelsOfColour, rasterise } from './test-support.js';

const frame = { title: 'Human rating vs CLIPScore', xLabel: 'CLIPScore', yLabel: 'human rating' };

function correlated(n: number): { x: number; y: number }[] {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, () => {
    const x = random();
    return { x, y: 0.5 * x + (random() - 0.5) * 0.6 };
  });
}

describe('scatterChart', () => {
  it('renders at the stated size with points, note and fit line', async () => {
    const svg = scatterChart({ ...frame, points: correlated(500), note: 'Spearman ρ = 0.41 [0.33, 0.49]', fitLine: true, width: 480, height: 360 });
    expect(svg).toContain('Spearman ρ = 0.41 [0.33, 0.49]');
    expect(svg).toContain(`stroke="${PALETTE[3]}" stroke-width="2"`);
    const raster = await rasterise(svg);
    expect([raster.width, raster.height]).toEqual([480, 360]);
    expect(inkedPixels(raster)).toBeGreaterThan(0.05 * 480 * 360);
    expect(pixelsOfColour(raster, PALETTE[3])).toBeGreaterThan(100);
    expect(pixelsOfColour(raster, PALETTE[0], { opacity: 0.35, tolerance: 16 })).toBeGreaterThan(1000);
    const twice = await rasterise(svg, 2);
    expect([twice.width, twice.height]).toEqual([960, 720]);
  });

  it('keeps 50,000 points small: a deterministic subsample of 20,000, said in the note', async () => {
    const points = correlated(50_000);
    const svg = scatterChart({ ...frame, points, note: 'ρ = 0.5' });
    expect(svg.length).toBeLessThan(400_000);
    expect(svg).toContain('showing 20,000 of 50,000 points (deterministic subsample)');
    expect(scatterChart({ ...frame, points, note: 'ρ = 0.5' })).toBe(svg);
    const coordinates = [...svg.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]).join('');
    expect(/\d\.\d\d/.test(coordinates)).toBe(false);
    const raster = await rasterise(svg);
    expect(inkedPixels(raster)).toBeGreaterThan(0.2 * 640 * 400);
  });

  it('skips non-finite points and says how many', async () => {
    const svg = scatterChart({ ...frame, points: [{ x: 1, y: 2 }, { x: NaN, y: 1 }, { x: 2, y: Infinity }, { x: 3, y: 1 }], fitLine: true });
    expect(svg).toContain('2 non-finite points skipped');
    expect(svg).not.toMatch(NOT_A_NUMBER);
  });

  it.each<[string, { x: number; y: number }[]]>([
    ['no points', []],
    ['a single point', [{ x: 2, y: 3 }]],
    ['identical points', Array.from({ length: 10 }, () => ({ x: -1, y: -1 }))],
    ['only non-finite points', [{ x: NaN, y: Infinity }]],
  ])('renders %s, with fit line requested, without NaN', async (_, points) => {
    const svg = scatterChart({ ...frame, points, fitLine: true, note: 'n/a' });
    expect(svg).not.toMatch(NOT_A_NUMBER);
    const raster = await rasterise(svg);
    expect(inkedPixels(raster)).toBeGreaterThan(1000);
  });

  it('moves the note to a corner clear of the data', () => {
    // Points crowd the top left, where the note would go first, so it must go elsewhere.
    const points = Array.from({ length: 200 }, (_, i) => ({ x: (i % 20) / 100, y: 1 - Math.floor(i / 20) / 100 }));
    const svg = scatterChart({ ...frame, points: [...points, { x: 1, y: 0 }], note: 'a note in a corner' });
    const box = svg.match(/<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="#ffffff" fill-opacity="0.85"/)!;
    expect(Number(box[1]) > 320 || Number(box[2]) > 200).toBe(true);
    expect(svg.indexOf('a note in a corner')).toBeGreaterThan(svg.indexOf('stroke-linecap="round"'));
  });
});
