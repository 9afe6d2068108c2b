/**
 * Dependency-free charts for the evaluation reports: each function returns a standalone SVG 1.1
 * document (inline it in HTML, or rasterise with svgToPng). Non-finite values are skipped,
 * labels are escaped, and colours are the colour-blind-safe Okabe–Ito palette.
 *
 * Text is laid out from estimated DejaVu Sans widths (there is no font engine here), so labels
 * are shortened with "…" rather than measured; a viewer without DejaVu falls back to
 * Helvetica/Arial, which are narrower, so nothing overflows. The SVGs use no ids, so any number
 * of them can be inlined in one HTML page.
 */
export { barChart } from './bar-chart.js';
export { chartSize, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './frame.js';
export { histogramChart } from './histogram-chart.js';
export { lineChart } from './line-chart.js';
export { PALETTE } from './palette.js';
export { svgToPng } from './png.js';
export { MAX_DRAWN as SCATTER_MAX_DRAWN_POINTS, scatterChart } from './scatter-chart.js';
export { FONT_FAMILY, escapeXml } from './svg.js';
export type {
  Bar,
  BarChartSpec,
  BarGroup,
  ChartFrame,
  HistogramChartSpec,
  HistogramSeries,
  LineChartSpec,
  LineSeries,
  Point,
  ScatterChartSpec,
} from './types.js';
