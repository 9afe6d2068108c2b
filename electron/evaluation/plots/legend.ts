/**
 * The legend: one row or a few wrapped rows of swatch + name between the title and the plot, so
 * it never covers data. Rows beyond `maxRows` collapse into "+N more".
 */
import type { SeriesStyle } from './palette.js';
import { element, fitText, textElement, textWidth } from './svg.js';

export interface LegendItem {
  name: string;
  style: SeriesStyle;
  /** A line sample (line charts) or a filled box (histograms, bars). */
  mark: 'line' | 'box';
  /** Fill opacity of a box mark, matching the chart's own fills. */
  fillOpacity?: number;
}

export const LEGEND_ROW_HEIGHT = 18;
const FONT_SIZE = 12;
const SWATCH = 22;
const GAP = 16;
const MAX_NAME_WIDTH = 220;

interface Placed {
  item: LegendItem;
  label: string;
  x: number;
  row: number;
}

export interface LegendLayout {
  placed: Placed[];
  /** Items that did not fit, reported as "+N more" at the end of the last row. */
  hidden: number;
  rows: number;
}

export function layoutLegend(items: readonly LegendItem[], left: number, right: number, maxRows: number): LegendLayout {
  const placed: Placed[] = [];
  let x = left;
  let row = 0;
  const moreWidth = textWidth('+0000 more', FONT_SIZE);
  for (const [index, item] of items.entries()) {
    const label = fitText(item.name, Math.min(MAX_NAME_WIDTH, right - left - SWATCH - 6), FONT_SIZE);
    const width = SWATCH + 6 + textWidth(label, FONT_SIZE);
    const isLastRow = row === maxRows - 1;
    const room = right - x - (isLastRow && index < items.length - 1 ? moreWidth : 0);
    if (width > room && x > left) {
      if (isLastRow) return { placed, hidden: items.length - index, rows: row + 1 };
      row++;
      x = left;
    }
    placed.push({ item, label, x, row });
    x += width + GAP;
  }
  return { placed, hidden: 0, rows: placed.length > 0 ? row + 1 : 0 };
}

export function drawLegend(layout: LegendLayout, top: number): string {
  const parts = layout.placed.map(({ item, label, x, row }) => {
    const middle = top + row * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
    const swatch =
      item.mark === 'line'
        ? element('line', { x1: x, y1: middle, x2: x + SWATCH, y2: middle, stroke: item.style.colour, 'stroke-width': 2.5, 'stroke-dasharray': item.style.dash })
        : element('rect', { x: x + 4, y: middle - 6, width: SWATCH - 8, height: 12, fill: item.style.colour, 'fill-opacity': item.fillOpacity ?? 1, stroke: item.style.colour });
    return swatch + textElement(x + SWATCH + 6, middle + FONT_SIZE * 0.35, label, { 'font-size': FONT_SIZE, fill: '#222222' });
  });
  if (layout.hidden > 0) {
    const last = layout.placed[layout.placed.length - 1];
    const x = last ? last.x + SWATCH + 6 + textWidth(last.label, FONT_SIZE) + GAP : 0;
    const middle = top + (layout.rows - 1) * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
    parts.push(textElement(x, middle + FONT_SIZE * 0.35, `+${layout.hidden} more`, { 'font-size': FONT_SIZE, fill: '#555555' }));
  }
  return parts.length > 0 ? `<g>${parts.join('')}</g>` : '';
}
