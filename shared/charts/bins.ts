import { finiteExtent } from './scale.js';

/** Shared bin edges for overlaid histograms, and the counts of values falling in each bin. */

/** Whole-number data spanning at most this many values gets one bin per integer by default. */
const MAX_UNIT_BINS = 50;
const MAX_BINS = 1000;

/**
 * Edges (bins + 1 of them) over the finite values, or undefined when there are none.
 * `requested` bins are equal-width over [min, max] (a zero range becomes [v − 0.5, v + 0.5], as
 * numpy does). Without a request, integer data gets a bin centred on each integer — equal-width
 * bins would put some integers two to a bin and make a comb — and other data gets Sturges'
 * ⌈log₂ n⌉ + 1 bins, clamped to 10–50.
 */
export function binEdges(values: readonly number[], requested?: number): number[] | undefined {
  const extent = finiteExtent(values);
  if (!extent) return undefined;
  let [lo, hi] = extent;
  const finite = values.filter(Number.isFinite);
  const validRequest = requested !== undefined && Number.isFinite(requested) && requested >= 1;
  if (!validRequest && finite.every(Number.isInteger) && hi - lo + 1 <= MAX_UNIT_BINS) {
    return Array.from({ length: hi - lo + 2 }, (_, i) => lo - 0.5 + i);
  }
  const bins = validRequest ? Math.min(MAX_BINS, Math.floor(requested)) : Math.min(50, Math.max(10, Math.ceil(Math.log2(finite.length)) + 1));
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}

/** How many finite values fall in each bin; the last bin includes its right edge. */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(0, bins)).fill(0);
  const lo = edges[0]!;
  const hi = edges[bins]!;
  for (const v of values) {
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    let i = Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
    // Rounding can land a value on the wrong side of an edge; the edges themselves decide.
    while (i > 0 && v < edges[i]!) i--;
    while (i < bins - 1 && v >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}
