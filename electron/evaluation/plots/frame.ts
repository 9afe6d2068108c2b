/**
 * The frame every chart shares: size, title, legend, margins sized to the tick labels, grid,
 * axes and axis labels. A chart asks for a frame, draws its data between `under` and `over`
 * with the frame's scales, and hands the parts to `chartDocument`.
 */
import type { ChartFrame } from './types.js';
import { categoryLabels } from './category-labels.js';
import { drawLegend, LEGEND_ROW_HEIGHT, type LegendItem, layoutLegend } from './legend.js';
import { linearScale, niceAxis, tickLabels } from '../../../shared/charts/scale.js';
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
  // Bold glyphs run about a tenth wider than the regular ones textWidth estimates.
  const title = fitText(frame.title, (width - 2 * PAD) / 1.12, TITLE_SIZE);
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
  // The plot's width is not known until the y tick labels are; a generous guess at the left
  // margin only errs towards slanting labels that might just have fitted.
  const categories = xAxis.kind === 'categories' ? categoryLabels(xAxis.labels, width - 2 * PAD - 70, TICK_SIZE) : undefined;
  const xTickHeight = TICK_LENGTH + (categories?.height ?? TICK_SIZE + 4);
  const bottom = Math.max(top + 20, height - PAD - (xLabel ? LABEL_SIZE + 6 : 0) - xTickHeight);

  const yNice = niceAxis(yAxis.extent?.[0] ?? NaN, yAxis.extent?.[1] ?? NaN, { target: Math.max(2, (bottom - top) / 45), integer: yAxis.integer ?? false });
  const yTickLabels = tickLabels(yNice.ticks, yNice.step);
  const yLabel = fitText(frame.yLabel, bottom - top, LABEL_SIZE);
  const yTickWidth = Math.max(0, ...yTickLabels.map((l) => textWidth(l, TICK_SIZE)));
  const left = Math.max(PAD + (yLabel ? LABEL_SIZE + 8 : 0) + yTickWidth + TICK_LENGTH + 4, PAD + (categories?.overhang ?? 0));

  const { right, xDomain, xTicks, xGrid } = xAxis.kind === 'linear' ? linearAxis(xAxis, left, width) : categoryAxis(categories?.labels ?? [], width);
  const plot = { left, top, right: Math.max(right, left + 20), bottom };
  const x = linearScale(xDomain, [plot.left, plot.right]);
  const y = linearScale([yNice.min, yNice.max], [plot.bottom, plot.top]);

  const under = [
    ...yNice.ticks.map((t) => element('line', { x1: plot.left, y1: y(t), x2: plot.right, y2: y(t), stroke: t === 0 && yNice.min < 0 ? '#999999' : GRID })),
    ...(xGrid ? xTicks.map((t) => element('line', { x1: x(t.at), y1: plot.top, x2: x(t.at), y2: plot.bottom, stroke: GRID })) : []),
  ];

  const yTicks = yNice.ticks.map((at, i) => ({ at, label: yTickLabels[i]! }));
  over.push(drawAxes(plot, x, y, yTicks, xTicks, categories?.slanted ?? false));
  if (xLabel) over.push(textElement((plot.left + plot.right) / 2, height - PAD, xLabel, { 'font-size': LABEL_SIZE, 'text-anchor': 'middle', fill: '#111111' }));
  if (yLabel) {
    const lx = PAD + LABEL_SIZE;
    const ly = (plot.top + plot.bottom) / 2;
    over.push(textElement(lx, ly, yLabel, { 'font-size': LABEL_SIZE, 'text-anchor': 'middle', fill: '#111111', transform: `rotate(-90 ${num(lx)} ${num(ly)})` }));
  }

  return { width, height, plot, x, y, xDomain, yDomain: [yNice.min, yNice.max], under: under.join(''), over: over.join('\n') };
}

/** Axis lines, tick marks and tick labels. */
function drawAxes(plot: PlotArea, x: (v: number) => number, y: (v: number) => number, yTicks: readonly Tick[], xTicks: readonly Tick[], slanted: boolean): string {
  const tickText = { 'font-size': TICK_SIZE, fill: INK };
  const yMarks = yTicks.map(
    (t) =>
      element('line', { x1: plot.left - TICK_LENGTH, y1: y(t.at), x2: plot.left, y2: y(t.at), stroke: INK }) +
      textElement(plot.left - TICK_LENGTH - 3, y(t.at) + TICK_SIZE * 0.35, t.label, { ...tickText, 'text-anchor': 'end' }),
  );
  const xMarks = xTicks.map((t) => {
    const mark = element('line', { x1: x(t.at), y1: plot.bottom, x2: x(t.at), y2: plot.bottom + TICK_LENGTH, stroke: INK });
    if (!t.label) return mark;
    if (!slanted) return mark + textElement(x(t.at), plot.bottom + TICK_LENGTH + TICK_SIZE + 1, t.label, { ...tickText, 'text-anchor': 'middle' });
    // Text ending at the tick, turned so it runs down and to the left.
    const [tx, ty] = [x(t.at) + TICK_SIZE * 0.3, plot.bottom + TICK_LENGTH + TICK_SIZE * 0.6];
    return mark + textElement(tx, ty, t.label, { ...tickText, 'text-anchor': 'end', transform: `rotate(-45 ${num(tx)} ${num(ty)})` });
  });
  const axes = element('path', { d: `M${num(plot.left)} ${num(plot.top)}V${num(plot.bottom)}H${num(plot.right)}`, fill: 'none', stroke: INK });
  return [axes, ...yMarks, ...xMarks].join('\n');
}

interface XLayout {
  right: number;
  xDomain: [number, number];
  xTicks: Tick[];
  xGrid: boolean;
}

/** One slot per category, each label under the middle of its slot. */
function categoryAxis(labels: readonly string[], width: number): XLayout {
  const xTicks = labels.map((label, i) => ({ at: i + 0.5, label }));
  return { right: width - 2 * PAD, xDomain: [0, Math.max(1, labels.length)], xTicks, xGrid: false };
}

/** Ticks along x and the right edge of the plot, moved in so the last tick label stays on the canvas. */
function linearAxis(axis: Extract<XAxisSpec, { kind: 'linear' }>, left: number, width: number): XLayout {
  let right = width - 2 * PAD;
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
