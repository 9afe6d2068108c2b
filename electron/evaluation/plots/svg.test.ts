import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lineChart } from './line-chart.js';
import { escapeXml, fitText, num, svgDocument, textWidth } from './svg.js';
import { inkedPixels, rasterise } from './test-support.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('replaces characters XML cannot carry at all, and keeps valid astral characters', () => {
    expect(escapeXml('bell\u0007 nul\u0000 lone\uD800 pair😀 tab\t')).toBe('bell\uFFFD nul\uFFFD lone\uFFFD pair😀 tab\t');
  });
});

describe('num', () => {
  it('rounds to 0.1 px and never writes -0, NaN or Infinity', () => {
    expect(num(12.345)).toBe('12.3');
    expect(num(-0.04)).toBe('0');
    expect(num(100)).toBe('100');
    expect(num(NaN)).toBe('0');
    expect(num(-Infinity)).toBe('0');
  });
});

describe('fitText', () => {
  it('keeps short text, and shortens long text with an ellipsis to fit', () => {
    expect(fitText('BLEU-4', 200, 12)).toBe('BLEU-4');
    const long = 'a very long series name that cannot possibly fit in the space given';
    const fitted = fitText(long, 100, 12);
    expect(fitted.endsWith('…')).toBe(true);
    expect(textWidth(fitted, 12)).toBeLessThanOrEqual(100);
  });

  it('puts multi-line text on one line', () => {
    expect(fitText('two\n  lines', 500, 12)).toBe('two lines');
  });
});

describe('well-formed output', () => {
  it('librsvg rejects malformed XML, so rendering is a real well-formedness check', async () => {
    const broken = svgDocument(100, 100, ['<text x="10" y="50">a & b <</text>']);
    await expect(sharp(Buffer.from(broken)).png().toBuffer()).rejects.toThrow();
  });

  it('a chart whose every label is hostile still renders', async () => {
    const hostile = `<&>"' \u0001</svg><script>`;
    const svg = lineChart({
      title: hostile,
      xLabel: hostile,
      yLabel: hostile,
      series: [
        { name: hostile, points: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
        { name: `${hostile} 2`, points: [{ x: 1, y: 1 }] },
      ],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;&amp;&gt;&quot;&apos;');
    const raster = await rasterise(svg);
    expect(inkedPixels(raster)).toBeGreaterThan(2000);
  });
});
