import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { svgToPng } from './png.js';
import { svgDocument } from './svg.js';

describe('svgToPng', () => {
  const svg = svgDocument(300, 200, ['<text x="10" y="100" font-size="20">DejaVu Sans</text>']);

  it('renders an opaque PNG at the SVG size times the scale', async () => {
    for (const [scale, width, height] of [
      [undefined, 300, 200],
      [2, 600, 400],
      [0.5, 150, 100],
    ] as const) {
      const metadata = await sharp(await svgToPng(svg, scale)).metadata();
      expect([metadata.format, metadata.width, metadata.height, metadata.hasAlpha]).toEqual(['png', width, height, false]);
    }
  });

  it('renders text (fonts are found)', async () => {
    const { data } = await sharp(await svgToPng(svg)).raw().toBuffer({ resolveWithObject: true });
    const dark = data.filter((v, i) => i % 3 === 0 && v < 100).length;
    expect(dark).toBeGreaterThan(200);
  });

  it('refuses a scale that is not a positive number', async () => {
    await expect(svgToPng(svg, 0)).rejects.toThrow(RangeError);
    await expect(svgToPng(svg, NaN)).rejects.toThrow(RangeError);
  });
});
