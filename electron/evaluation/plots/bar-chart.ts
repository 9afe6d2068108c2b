/**
 * Grouped bar chart: one slot per group along x, bars side by side inside it, each bar name
 * keeping its colour across groups, optional error whiskers from `low` to `high`. Bars grow
 * from zero, so negative values hang below the zero line.
 */
import { buildFrame, chartDocument, noDataMessage } from './frame.js';
import type { LegendItem } from './legend.js';
import { seriesStyle } from './palette.js';
import { finiteExtent } from '../../../shared/charts/scale.js';
import { element, num } from './svg.js';
import type { Bar, BarChartSpec } from './types.js';

/** Share of a group's slot taken by its bars; the rest separates groups. */
const GROUP_FILL = 0.8;
const WHISKER = '#222222';

export function barChart(spec: BarChartSpec): string {
  const names = [...new Set(spec.groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const values = spec.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.low ?? NaN, b.high ?? NaN]));
  const anyBar = values.some(Number.isFinite);
  const extent = finiteExtent([0, ...values]);
  const legend: LegendItem[] = names.map((name, i) => ({ name: name || '(unnamed)', style: seriesStyle(i), mark: 'box' }));
  const frame = buildFrame(
    spec,
    { kind: 'categories', labels: spec.groups.map((g) => g.label) },
    { extent: anyBar ? extent : undefined },
    legend,
  );
  if (!anyBar) return chartDocument(frame, [noDataMessage(frame)]);

  const { x, y } = frame;
  const slot = x(1) - x(0);
  const barWidth = (slot * GROUP_FILL) / Math.max(1, ...spec.groups.map((g) => g.bars.length));
  const gap = Math.min(2, barWidth * 0.1);
  const data: string[] = [];
  spec.groups.forEach((group, g) => {
    const start = x(g + 0.5) - (group.bars.length * barWidth) / 2;
    group.bars.forEach((bar, k) => {
      const left = start + k * barWidth + gap / 2;
      data.push(...drawBar(bar, left, barWidth - gap, seriesStyle(names.indexOf(bar.name)).colour, y));
    });
  });
  data.push(element('line', { x1: frame.plot.left, y1: y(0), x2: frame.plot.right, y2: y(0), stroke: '#333333' }));
  return chartDocument(frame, data);
}

function drawBar(bar: Bar, left: number, width: number, colour: string, y: (v: number) => number): string[] {
  const parts: string[] = [];
  if (Number.isFinite(bar.value)) {
    const top = y(Math.max(0, bar.value));
    parts.push(element('rect', { x: left, y: top, width, height: y(Math.min(0, bar.value)) - top, fill: colour }));
  }
  const low = Number.isFinite(bar.low) ? bar.low! : bar.value;
  const high = Number.isFinite(bar.high) ? bar.high! : bar.value;
  if (Number.isFinite(low) && Number.isFinite(high) && low !== high) {
    const centre = left + width / 2;
    const cap = Math.min(8, width * 0.5);
    const [yHigh, yLow] = [num(y(Math.max(low, high))), num(y(Math.min(low, high)))];
    const capLeft = num(centre - cap / 2);
    parts.push(element('path', { d: `M${num(centre)} ${yHigh}V${yLow}M${capLeft} ${yHigh}h${num(cap)}M${capLeft} ${yLow}h${num(cap)}`, fill: 'none', stroke: WHISKER, 'stroke-width': 1.5 }));
  }
  return parts;
}
