/**
 * A boxed text note (a correlation and its interval, a subsampling remark) placed in whichever
 * inner corner of the plot covers the fewest data points.
 */
import type { PlotArea } from './frame.js';
import { element, fitText, textElement, textWidth } from './svg.js';

const FONT_SIZE = 12;
const LINE_HEIGHT = 16;
const INSET = 6;
const PADDING = 6;

export function noteBox(lines: readonly string[], plot: PlotArea, pointsPx: readonly { x: number; y: number }[]): string {
  const fitted = lines.map((line) => fitText(line, (plot.right - plot.left) * 0.7, FONT_SIZE)).filter((line) => line !== '');
  if (fitted.length === 0) return '';
  const width = Math.max(...fitted.map((line) => textWidth(line, FONT_SIZE))) + 2 * PADDING;
  const height = fitted.length * LINE_HEIGHT + PADDING;
  const corners = [
    { x: plot.left + INSET, y: plot.top + INSET },
    { x: plot.right - INSET - width, y: plot.top + INSET },
    { x: plot.right - INSET - width, y: plot.bottom - INSET - height },
    { x: plot.left + INSET, y: plot.bottom - INSET - height },
  ];
  const covered = corners.map((c) => pointsPx.filter((p) => p.x >= c.x && p.x <= c.x + width && p.y >= c.y && p.y <= c.y + height).length);
  const best = corners[covered.indexOf(Math.min(...covered))]!;
  return [
    element('rect', { x: best.x, y: best.y, width, height, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#bbbbbb', rx: 3 }),
    ...fitted.map((line, i) => textElement(best.x + PADDING, best.y + (i + 1) * LINE_HEIGHT - 2, line, { 'font-size': FONT_SIZE, fill: '#111111' })),
  ].join('');
}
