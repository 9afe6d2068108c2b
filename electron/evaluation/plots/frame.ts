/**
 * The frame every chart shares: size, title, legend, margins sized to the tick labels, grid,
 * axes and axis labels. A chart asks for a frame, draws its data between `under` and `over`
 * with the frame's scales, and hands the parts to `chartDocument`.
 */
import type { ChartFrame } from './types.js';
import { drawLegend, LEGEND_ROW_HEIGHT, type LegendItem, layoutLegend } from './legend.js';
import { linearScale, niceAxis, tickLabels } from './scale.js';
import { element, fitText, num, svgDocument, textElement, textWidth } from './svg.js';

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;
const MIN_SIZE = 100;
const MAX_SIZE = 10_000;

const PAD = 10;
const TITLE_SIZE = 15;
const LABEL_SIZE = 12;
const TICK_SIZE = 11;
const TICK_LENGTH = 4;
const INK = '#333333';
const GRID = '#e6e6e6';

/** A numeric x axis over the data's extent, or one slot per category (bar groups). */
export type XAxisSpec =
  | { kind: 'linear'; extent: [number, number] | undefined; integer?: boolean }
  | { kind: 'categories'; labels: readonly string[] };

export interface YAxisSpec {
  extent: [number, number] | undefined;
  integer?: boolean;
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Frame {
  width: number;
  height: number;
  plot: PlotArea;
  /** Data → pixel; categories sit at i + 0.5 on the x axis. */
  x: (value: number) => number;
  y: (value: number) => number;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Grid, drawn before the data. */
  under: string;
  /** Axes, labels, title and legend, drawn over the data. */
  over: string;
}

/** The requested size, rounded to whole pixels and clamped to 100–10,000; bad values fall back to 640×400. */
export function chartSize(frame: ChartFrame): { width: number; height: number } {
  const dimension = (value: number | undefined, fallback: number) =>
    value === undefined || !Number.isFinite(value) ? fallback : Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(value)));
  return { width: dimension(frame.width, DEFAULT_WIDTH), height: dimension(frame.height, DEFAULT_HEIGHT) };
}

interface Tick {
  at: number;
  label: string;
}

export function buildFrame(frame: ChartFrame, xAxis: XAxisSpec, yAxis: YAxisSpec, legend: readonly LegendItem[] = []): Frame {
  const { width, height } = chartSize(frame);
  const over: string[] = [];

  let top = PAD;
  const title = fitText(frame.title, width - 2 * PAD, TITLE_SIZE);
  if (title) {
    over.push(textElement(width / 2, top + TITLE_SIZE, title, { 'font-size': TITLE_SIZE, 'font-weight': 'bold', 'text-anchor': 'middle', fill: '#111111' }));
    top += TITLE_SIZE + 8;
  }
  if (legend.length > 1) {
    const maxRows = Math.max(1, Math.floor((height * 0.25) / LEGEND_ROW_HEIGHT));
    const layout = layoutLegend(legend, PAD, width - PAD, maxRows);
    over.push(drawLegend(layout, top));
    top += layout.rows * LEGEND_ROW_HEIGHT + 4;
  }
  top += TICK_SIZE / 2 + 2; // room for the half of the top tick label that pokes above the plot

  const xLabel = fitText(frame.xLabel, width - 2 * PAD, LABEL_SIZE);
  const bottom = Math.max(top + 20, height - PAD - (xLabel ? LABEL_SIZE + 8 : 0) - (TICK_SIZE + 8));

  const yNice = niceAxis(yAxis.extent?.[0] ?? NaN, yAxis.extent?.[1] ?? NaN, { target: Math.max(2, (bottom - top) / 45), integer: yAxis.integer ?? false });
  const yTickLabels = tickLabels(yNice.ticks, yNice.step);
  const yLabel = fitText(frame.yLabel, bottom - top, LABEL_SIZE);
  const left = PAD + (yLabel ? LABEL_SIZE + 8 : 0) + Math.max(0, ...yTickLabels.map((l) => textWidth(l, TICK_SIZE))) + TICK_LENGTH + 4;

  const { right, xDomain, xTicks, xGrid } = layoutX(xAxis, left, width);
  const plot = { left, top, right: Math.max(right, left + 20), bottom };
  const x = linearScale(xDomain, [plot.left, plot.right]);
  const y = linearScale([yNice.min, yNice.max], [plot.bottom, plot.top]);

  const under = [
    ...yNice.ticks.map((t) => element('line', { x1: plot.left, y1: y(t), x2: plot.right, y2: y(t), stroke: t === 0 && yNice.min < 0 ? '#999999' : GRID })),
    ...(xGrid ? xTicks.map((t) => element('line', { x1: x(t.at), y1: plot.top, x2: x(t.at), y2: plot.bottom, stroke: GRID })) : []),
  ];

  const tickText = { 'font-size': TICK_SIZE, fill: INK };
  over.push(
    element('path', { d: `M${num(plot.left)} ${num(plot.top)}V${num(plot.bottom)}H${num(plot.right)}`, fill: 'none', stroke: INK }),
    ...yNice.ticks.map((t, i) =>
      element('line', { x1: plot.left - TICK_LENGTH, y1: y(t), x2: plot.left, y2: y(t), stroke: INK }) +
        textElement(plot.left - TICK_LENGTH - 3, y(t) + TICK_SIZE * 0.35, yTickLabels[i]!, { ...tickText, 'text-anchor': 'end' }),
    ),
    ...xTicks.map(
      (t) =>
        element('line', { x1: x(t.at), y1: plot.bottom, x2: x(t.at), y2: plot.bottom + TICK_LENGTH, stroke: INK }) +
        textElement(x(t.at), plot.bottom + TICK_LENGTH + TICK_SIZE + 1, t.label, { ...tickText, 'text-anchor': 'middle' }),
    ),
  );
  if (xLabel) over.push(textElement((plot.left + plot.right) / 2, height - PAD, xLabel, { 'font-size': LABEL_SIZE, 'text-anchor': 'middle', fill: '#111111' }));
  if (yLabel) {
    const lx = PAD + LABEL_SIZE;
    const ly = (plot.top + plot.bottom) / 2;
    over.push(textElement(lx, ly, yLabel, { 'font-size': LABEL_SIZE, 'text-anchor': 'middle', fill: '#111111', transform: `rotate(-90 ${num(lx)} ${num(ly)})` }));
  }

  return { width, height, plot, x, y, xDomain, yDomain: [yNice.min, yNice.max], under: under.join(''), over: over.join('\n') };
}

/** Ticks along x and the right edge of the plot, widened so the last tick label stays on the canvas. */
function layoutX(axis: XAxisSpec, left: number, width: number): { right: number; xDomain: [number, number]; xTicks: Tick[]; xGrid: boolean } {
  let right = width - 2 * PAD;
  if (axis.kind === 'categories') {
    const slot = (right - left) / Math.max(1, axis.labels.length);
    const xTicks = axis.labels.map((label, i) => ({ at: i + 0.5, label: fitText(label, slot - 4, TICK_SIZE) }));
    return { right, xDomain: [0, Math.max(1, axis.labels.length)], xTicks, xGrid: false };
  }
  const ticksFor = (plotWidth: number) => {
    const nice = niceAxis(axis.extent?.[0] ?? NaN, axis.extent?.[1] ?? NaN, { target: Math.max(2, plotWidth / 90), integer: axis.integer ?? false });
    const labels = tickLabels(nice.ticks, nice.step);
    return { nice, ticks: nice.ticks.map((at, i) => ({ at, label: labels[i]! })) };
  };
  let { nice, ticks } = ticksFor(right - left);
  const overhang = textWidth(ticks[ticks.length - 1]?.label ?? '', TICK_SIZE) / 2 + 4;
  if (right + overhang > width) {
    right = width - overhang;
    ({ nice, ticks } = ticksFor(right - left));
  }
  return { right, xDomain: [nice.min, nice.max], xTicks: ticks, xGrid: true };
}

/** The finished SVG: frame grid, then the chart's data, then axes and labels on top. */
export function chartDocument(frame: Frame, data: readonly string[]): string {
  return svgDocument(frame.width, frame.height, [frame.under, ...data, frame.over]);
}

/** Said in the middle of the plot when there is nothing to draw, so an empty chart is not mistaken for a broken one. */
export function noDataMessage(frame: Frame): string {
  const { left, top, right, bottom } = frame.plot;
  return textElement((left + right) / 2, (top + bottom) / 2, 'No data', { 'font-size': LABEL_SIZE, 'text-anchor': 'middle', fill: '#777777' });
}
