/**
 * The chart specs the evaluation reports pass in. Every number may be NaN or ±Infinity (a metric
 * that could not be computed): the charts skip such values rather than draw or emit them.
 */

/** One measurement; `low`/`high` are its spread (confidence interval, ±1 sd, …), drawn as an error bar or band. */
export interface Point {
  x: number;
  y: number;
  low?: number;
  high?: number;
}

export interface LineSeries {
  name: string;
  points: Point[];
}

/** What every chart has. Sizes are CSS pixels; the defaults are 640×400. */
export interface ChartFrame {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

export interface LineChartSpec extends ChartFrame {
  series: LineSeries[];
  /** Ticks only on whole numbers (epochs, steps, candidate counts). */
  integerX?: boolean;
  /**
   * How `low`/`high` are drawn: whiskers per point, or a shaded band between consecutive points.
   * Default: bars for series of up to 12 points, a band above that.
   */
  spread?: 'bars' | 'band';
}

export interface ScatterChartSpec extends ChartFrame {
  points: { x: number; y: number }[];
  /** Drawn in the emptiest corner, e.g. "Spearman ρ = 0.41 [0.33, 0.49]"; `\n` starts a new line. */
  note?: string;
  /** Draw the least-squares line y = a + b·x through all finite points. */
  fitLine?: boolean;
}

export interface HistogramSeries {
  name: string;
  values: number[];
}

export interface HistogramChartSpec extends ChartFrame {
  series: HistogramSeries[];
  /**
   * Number of equal-width bins over the range of all series. Default: one bin per integer when
   * every value is a whole number and there are at most 50 of them, else Sturges' rule clamped to 10–50.
   */
  bins?: number;
  /** Plot each series' fraction of its own values instead of counts (for series of unequal size). */
  normalize?: boolean;
}

export interface Bar {
  name: string;
  value: number;
  low?: number;
  high?: number;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

export interface BarChartSpec extends ChartFrame {
  groups: BarGroup[];
}
