/**
 * Axes of the audit view's interactive plots, on the same maths as the report's SVG figures
 * (shared/charts): nice ticks enclosing the data, equal-precision labels, a linear map to pixels.
 */
import { finiteExtent, linearScale, niceAxis, tickLabels } from '../../../../shared/charts/scale.js';

export interface Tick {
  value: number;
  label: string;
  /** Position in pixels along the axis. */
  at: number;
}

export interface Axis {
  min: number;
  max: number;
  ticks: Tick[];
  /** Data value → pixels. */
  scale: (value: number) => number;
}

export interface AxisOptions {
  integer?: boolean;
  /** Values the axis must include besides the data (0 for counts, say). */
  include?: readonly number[];
  target?: number;
}

/** An axis over `values` mapped onto [from, to] pixels (to < from for a y axis drawn upwards). */
export function axis(values: Iterable<number>, from: number, to: number, options: AxisOptions = {}): Axis {
  const extent = finiteExtent([...values, ...(options.include ?? [])]) ?? [0, 1];
  const nice = niceAxis(extent[0], extent[1], { target: options.target ?? 5, integer: options.integer ?? false });
  const scale = linearScale([nice.min, nice.max], [from, to]);
  const labels = tickLabels(nice.ticks, nice.step);
  return { min: nice.min, max: nice.max, scale, ticks: nice.ticks.map((value, i) => ({ value, label: labels[i]!, at: scale(value) })) };
}

/** Index of the point nearest to (x, y) in pixels, or -1 when none is within `radius`. */
export function nearestPoint(points: readonly { x: number; y: number }[], x: number, y: number, radius = Infinity): number {
  let best = -1;
  let bestDistance = radius * radius;
  points.forEach((p, i) => {
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}

/** The point ←/→ move to from `current` (null: none yet) among `count`; null when the key is not an arrow or there are no points. */
export function arrowStep(key: string, current: number | null, count: number): number | null {
  const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
  if (!step || count === 0) return null;
  return Math.min(count - 1, Math.max(0, (current ?? (step > 0 ? -1 : count)) + step));
}
