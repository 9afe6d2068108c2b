/**
 * Axis maths: "nice" ticks at 1, 2 or 5 × 10^k that enclose the data, their labels, and the
 * linear map from data values to pixels. Pure functions; every chart goes through them.
 */

export interface NiceAxis {
  /** Domain of the axis: the data range widened outward to whole steps. */
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

export interface NiceAxisOptions {
  /** Roughly how many intervals to aim for; the result lands within about ×0.7–×1.4 of it. */
  target?: number;
  /** Steps of at least 1, so every tick is a whole number. */
  integer?: boolean;
}

/** A bad range (rounding at the limits of float precision) must not hang or flood the axis. */
const MAX_TICKS = 1000;

/** The [min, max] of the finite values, or undefined when there are none. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** The 1, 2 or 5 × 10^k closest (geometrically) to `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / magnitude;
  const factor = ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1;
  return factor * magnitude;
}

/**
 * Ticks enclosing [lo, hi]. Non-finite ends fall back to the finite one (or to [0, 1]); a zero
 * range is widened by 10% of the value (or by 1 around zero) so a lone value sits mid-axis.
 */
export function niceAxis(lo: number, hi: number, options: NiceAxisOptions = {}): NiceAxis {
  const target = Math.max(1, options.target ?? 5);
  [lo, hi] = usableRange(lo, hi, options.integer ?? false);
  // Divide before subtracting: hi − lo overflows to Infinity for ranges near ±Number.MAX_VALUE.
  let step = niceStep(hi / target - lo / target);
  if (options.integer) step = Math.max(1, step);
  // Below 1, work in multiples of 1/step (a whole number) so ticks come out as exact decimals
  // (0.3, not 0.30000000000000004).
  const inverse = step < 1 ? Math.round(1 / step) : 0;
  const first = inverse ? Math.floor(lo * inverse) : Math.floor(lo / step);
  const last = inverse ? Math.ceil(hi * inverse) : Math.ceil(hi / step);
  const count = last - first + 1;
  const ticks = Number.isFinite(count) && count >= 2 && count <= MAX_TICKS ? Array.from({ length: count }, (_, i) => (inverse ? (first + i) / inverse : (first + i) * step)) : [];
  // Near the ends of the float range the rounded-out ticks can overflow or collapse: then the
  // data's own ends are the only honest ticks.
  if (ticks.length === 0 || !ticks.every(Number.isFinite) || new Set(ticks).size < ticks.length) {
    return { min: lo, max: hi, step: Math.min(hi - lo, Number.MAX_VALUE), ticks: [lo, hi] };
  }
  return { min: ticks[0]!, max: ticks[count - 1]!, step, ticks };
}

function usableRange(lo: number, hi: number, integer: boolean): [number, number] {
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) return [0, 1];
  if (!Number.isFinite(lo)) lo = hi;
  if (!Number.isFinite(hi)) hi = lo;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = Math.max(lo === 0 ? 1 : Math.abs(lo) * 0.1, integer ? 1 : 0);
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/**
 * Labels for ticks `step` apart, all with the same number of decimals; exponent notation for
 * very large or very small magnitudes. Negative numbers get a true minus sign (U+2212).
 */
export function tickLabels(ticks: readonly number[], step: number): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  const stepExponent = Math.floor(Math.log10(Math.abs(step)) + 1e-9);
  const decimals = Number.isFinite(stepExponent) ? Math.max(0, -stepExponent) : 0;
  const exponential = largest >= 1e6 || decimals > 4;
  const mantissaDigits = Number.isFinite(stepExponent)
    ? Math.min(15, Math.max(0, Math.floor(Math.log10(largest || 1)) - stepExponent))
    : 3;
  return ticks.map((v) => {
    if (v === 0 || !Number.isFinite(v)) return '0';
    const text = exponential ? v.toExponential(mantissaDigits).replace('e+', 'e') : v.toFixed(decimals);
    return text.replaceAll('-', '\u2212');
  });
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const factor = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * factor;
}
