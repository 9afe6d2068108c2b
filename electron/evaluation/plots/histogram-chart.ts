/**
 * Overlaid histograms: every series is counted over the same bin edges and drawn as a
 * translucent filled outline, so overlaps stay readable (e.g. caption lengths of references
 * against generated captions).
 */
import { binCounts, binEdges } from '../../../shared/charts/bins.js';
import { buildFrame, chartDocument, noDataMessage } from './frame.js';
import type { LegendItem } from './legend.js';
import { seriesStyle } from './palette.js';
import { element, num } from './svg.js';
import type { HistogramChartSpec } from './types.js';

/** Translucent enough that two overlapping series both stay visible. */
const FILL_OPACITY = 0.35;

export function histogramChart(spec: HistogramChartSpec): string {
  const series = spec.series.map((s, i) => ({ name: s.name || `Series ${i + 1}`, values: s.values }));
  const edges = binEdges(series.flatMap((s) => s.values), spec.bins);
  const heights = series.map((s) => {
    const counts = edges ? binCounts(s.values, edges) : [];
    const total = counts.reduce((a, b) => a + b, 0);
    return spec.normalize ? counts.map((c) => (total > 0 ? c / total : 0)) : counts;
  });
  const tallest = Math.max(0, ...heights.flat());
  const legend: LegendItem[] = series.map((s, i) => ({ name: s.name, style: seriesStyle(i), mark: 'box', fillOpacity: FILL_OPACITY }));
  const frame = buildFrame(
    spec,
    { kind: 'linear', extent: edges ? [edges[0]!, edges[edges.length - 1]!] : undefined },
    { extent: [0, tallest > 0 ? tallest : 1], integer: !spec.normalize },
    legend,
  );
  if (!edges) return chartDocument(frame, [noDataMessage(frame)]);

  const { x, y } = frame;
  const data = heights.map((bars, i) => {
    // One closed outline per series: up and across each bin, back down to zero at the end.
    const steps = bars.map((h, b) => `V${num(y(h))}H${num(x(edges[b + 1]!))}`).join('');
    const { colour } = seriesStyle(i);
    return element('path', { d: `M${num(x(edges[0]!))} ${num(y(0))}${steps}V${num(y(0))}Z`, fill: colour, 'fill-opacity': FILL_OPACITY, stroke: colour, 'stroke-width': 1.5 });
  });
  return chartDocument(frame, data);
}
