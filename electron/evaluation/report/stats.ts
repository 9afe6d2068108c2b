/**
 * The statistics of the evaluation reports: spread over images, Spearman's rank correlation and
 * a seeded percentile bootstrap. Values that cannot be computed are null (reports are JSON).
 */
import { Xoshiro128 } from '../../inference/random/index.js';
import type { Interval, Spread } from '../../../shared/contract/report-schemas.js';

/** x when finite, else null. */
export function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (n − 1); NaN below two values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/** Quantile q of sorted values, linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean: finite(mean(values)),
    std: finite(sampleStd(values)),
    q25: finite(quantileSorted(sorted, 0.25)),
    median: finite(quantileSorted(sorted, 0.5)),
    q75: finite(quantileSorted(sorted, 0.75)),
  };
}

/** 1-based ranks, ties given the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new Error('pearson: lengths differ');
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: Pearson's r of the average ranks (ties handled as scipy.stats.spearmanr does); NaN for constant data. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(averageRanks(x), averageRanks(y));
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /** e.g. 0.95 for the 2.5 % and 97.5 % percentiles. */
  confidence: number;
}

/**
 * Percentile bootstrap over items: `statistic` of `resamples` samples of item indices drawn with
 * replacement from a PRNG seeded by `seed` (the same seed gives the same interval). Returns the
 * interval of the finite resampled statistics.
 */
export function bootstrapInterval(items: number, statistic: (sample: Uint32Array) => number, options: BootstrapOptions): { low: number; high: number } {
  if (items === 0) return { low: Number.NaN, high: Number.NaN };
  const rng = new Xoshiro128(options.seed);
  const sample = new Uint32Array(items);
  const values: number[] = [];
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < items; i++) sample[i] = Math.floor(rng.nextFloat() * items);
    const v = statistic(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - options.confidence) / 2;
  return { low: quantileSorted(values, tail), high: quantileSorted(values, 1 - tail) };
}

export function interval(point: number, bounds: { low: number; high: number }): Interval {
  return { point: finite(point), low: finite(bounds.low), high: finite(bounds.high) };
}
