/**
 * Line chart: one line per series in data order of x, with the spread (`low`/`high`) as error
 * bars or a shaded band. A point whose y is not finite breaks its line rather than being
 * bridged, so a missing measurement shows as a gap.
 */
import { buildFrame, chartDocument, noDataMessage, type Frame } from './frame.js';
import type { LegendItem } from './legend.js';
import { seriesStyle, type SeriesStyle } from './palette.js';
import { finiteExtent } from '../../../shared/charts/scale.js';
import { element, num } from './svg.js';
import type { LineChartSpec, Point } from './types.js';

/** Up to this many points per series get markers and error bars by default; longer series get a band. */
const FEW_POINTS = 12;
const MARKER_LIMIT = 50;

interface Plotted {
  x: number;
  y: number;
  low: number;
  high: number;
  hasSpread: boolean;
}

export function lineChart(spec: LineChartSpec): string {
  const series = spec.series.map((s, i) => ({ name: s.name || `Series ${i + 1}`, runs: finiteRuns(s.points) }));
  const all = series.flatMap((s) => s.runs.flat());
  const legend: LegendItem[] = series.map((s, i) => ({ name: s.name, style: seriesStyle(i), mark: 'line' }));
  const frame = buildFrame(
    spec,
    { kind: 'linear', extent: finiteExtent(all.map((p) => p.x)), integer: spec.integerX ?? false },
    { extent: finiteExtent(all.flatMap((p) => [p.low, p.high])) },
    legend,
  );
  if (all.length === 0) return chartDocument(frame, [noDataMessage(frame)]);
  const data = series.flatMap((s, i) => {
    const count = s.runs.reduce((n, run) => n + run.length, 0);
    const spread = spec.spread ?? (count > FEW_POINTS ? 'band' : 'bars');
    return drawSeries(frame, s.runs, seriesStyle(i), spread, count <= MARKER_LIMIT);
  });
  return chartDocument(frame, data);
}

/** Sorted by x; points without a finite x are dropped, and a non-finite y ends a run. */
function finiteRuns(points: readonly Point[]): Plotted[][] {
  const sorted = points.filter((p) => Number.isFinite(p.x)).sort((a, b) => a.x - b.x);
  const runs: Plotted[][] = [[]];
  for (const p of sorted) {
    if (!Number.isFinite(p.y)) {
      runs.push([]);
      continue;
    }
    const low = Number.isFinite(p.low) ? p.low! : p.y;
    const high = Number.isFinite(p.high) ? p.high! : p.y;
    runs[runs.length - 1]!.push({ x: p.x, y: p.y, low: Math.min(low, high), high: Math.max(low, high), hasSpread: low !== high });
  }
  return runs.filter((run) => run.length > 0);
}

function drawSeries(frame: Frame, runs: Plotted[][], style: SeriesStyle, spread: 'bars' | 'band', markers: boolean): string[] {
  const { x, y } = frame;
  const parts: string[] = [];
  for (const run of runs) {
    if (spread === 'band') parts.push(...bands(frame, run, style));
    run.forEach((p, i) => {
      // A spread point with no spread neighbour cannot be part of a band, so it gets a bar.
      const inBand = spread === 'band' && ((run[i - 1]?.hasSpread ?? false) || (run[i + 1]?.hasSpread ?? false));
      if (p.hasSpread && !inBand) parts.push(errorBar(frame, p, style));
    });
  }
  const lines = runs.filter((run) => run.length > 1).map((run) => 'M' + run.map((p) => `${num(x(p.x))} ${num(y(p.y))}`).join('L'));
  if (lines.length > 0) {
    parts.push(element('path', { d: lines.join(''), fill: 'none', stroke: style.colour, 'stroke-width': 2, 'stroke-dasharray': style.dash, 'stroke-linejoin': 'round' }));
  }
  // A run of one point has no line, so it always gets a marker.
  const dots = runs.flatMap((run) => (markers || run.length === 1 ? run : [])).map((p) => `M${num(x(p.x))} ${num(y(p.y))}h0`);
  if (dots.length > 0) parts.push(element('path', { d: dots.join(''), stroke: style.colour, 'stroke-width': 6, 'stroke-linecap': 'round' }));
  return parts;
}

/** Shaded polygons over each stretch of consecutive points that have a spread. */
function bands(frame: Frame, run: Plotted[], style: SeriesStyle): string[] {
  const { x, y } = frame;
  const stretches: Plotted[][] = [[]];
  for (const p of run) {
    if (p.hasSpread) stretches[stretches.length - 1]!.push(p);
    else stretches.push([]);
  }
  return stretches
    .filter((s) => s.length > 1)
    .map((s) => {
      const upper = s.map((p) => `${num(x(p.x))} ${num(y(p.high))}`);
      const lower = s.map((p) => `${num(x(p.x))} ${num(y(p.low))}`).reverse();
      return element('path', { d: `M${[...upper, ...lower].join('L')}Z`, fill: style.colour, 'fill-opacity': 0.2, stroke: 'none' });
    });
}

function errorBar(frame: Frame, p: Plotted, style: SeriesStyle): string {
  const cx = num(frame.x(p.x));
  const [top, bottom] = [num(frame.y(p.high)), num(frame.y(p.low))];
  const capLeft = num(frame.x(p.x) - 4);
  return element('path', { d: `M${cx} ${top}V${bottom}M${capLeft} ${top}h8M${capLeft} ${bottom}h8`, fill: 'none', stroke: style.colour, 'stroke-width': 1.5 });
}
