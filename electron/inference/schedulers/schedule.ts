/**
 * The training noise schedule (betas, ᾱ) and the inference timestep grids, reproducing the
 * numpy expressions in diffusers' schedulers operation for operation, including numpy's
 * round-half-to-even, because a timestep that is off by one feeds the UNet a different
 * embedding than the one the model card's results were produced with.
 *
 * Arithmetic is float64. diffusers keeps these tables in float32 tensors, so values agree to
 * about 1e-6 relative (σ at t = 999 is 14.61464 here, 14.61466 in float32) — far below what
 * changes an image, and float64 makes the tables identical on every platform.
 */
import type { PredictionType, ResolvedSchedulerConfig, TimestepSpacing } from './config.js';

/** numpy.linspace(start, stop, n) (endpoint included; the last value is exactly `stop`). */
export function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => start + i * step);
  out[n - 1] = stop;
  return out;
}

/** numpy.round: halves go to the even neighbour (0.5 → 0, 1.5 → 2, 2.5 → 2). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * numpy.arange(start, stop, step) for a float step, value for value: numpy fills
 * start + i·δ with δ = (start + step) − start, which can differ from `step` in the last bit.
 */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  return Array.from({ length: n }, (_, i) => (i === 1 ? start + step : start + i * delta));
}

/**
 * β_t for t = 0 … T−1: the file's trained_betas, linear, scaled_linear (linear in √β, squared) or
 * squaredcos_cap_v2 (the cosine schedule of improved DDPM).
 */
export function betas(config: ResolvedSchedulerConfig): Float64Array {
  const { numTrainTimesteps: n, betaStart, betaEnd } = config;
  if (config.trainedBetas) return Float64Array.from(config.trainedBetas);
  if (config.betaSchedule === 'linear') return Float64Array.from(linspace(betaStart, betaEnd, n));
  if (config.betaSchedule === 'squaredcos_cap_v2') return cosineBetas(n);
  // "scaled_linear" is specific to latent diffusion (SD): linspace over √β, then squared.
  return Float64Array.from(linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n), (b) => b * b);
}

/** diffusers' betas_for_alpha_bar(n, max_beta=0.999, "cosine"): ᾱ(t) = cos²((t + 0.008)/1.008 · π/2). */
export function cosineBetas(n: number, maxBeta = 0.999): Float64Array {
  const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
  // β is capped: near t = T ᾱ reaches 0, where the ratio would give β = 1 (no signal left at all)
  return Float64Array.from({ length: n }, (_, i) => Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), maxBeta));
}

/** ᾱ_t = ∏_{s ≤ t} (1 − β_s), the signal fraction left at training step t. */
export function alphasCumprod(beta: Float64Array): Float64Array {
  const out = new Float64Array(beta.length);
  let prod = 1;
  for (let t = 0; t < beta.length; t++) out[t] = prod *= 1 - beta[t]!;
  return out;
}

/** σ_t = √((1 − ᾱ_t)/ᾱ_t), the noise level of x_t in the variance-exploding (Karras/Euler) view. */
export function sigmaOf(alphaCumprod: number): number {
  return Math.sqrt((1 - alphaCumprod) / alphaCumprod);
}

/**
 * Inference timesteps, highest first, as DDIM/Euler's set_timesteps compute them.
 * `integer` (DDIM) rounds the linspace grid; Euler keeps it fractional and interpolates σ.
 */
export function spacedTimesteps(
  spacing: TimestepSpacing,
  steps: number,
  numTrainTimesteps: number,
  stepsOffset: number,
  integer: boolean,
): number[] {
  const T = numTrainTimesteps;
  switch (spacing) {
    case 'linspace': {
      const grid = linspace(0, T - 1, steps);
      // Euler keeps this grid fractional, as numpy float32 (the values its UNet call receives).
      return (integer ? grid.map(roundHalfEven) : grid.map(Math.fround)).reverse();
    }
    case 'leading': {
      // Integer ratio: e.g. T = 1000, N = 50 → 0, 20, …, 980, shifted by steps_offset (SD: 1).
      const ratio = Math.floor(T / steps);
      return Array.from({ length: steps }, (_, i) => roundHalfEven(i * ratio)).reverse().map((t) => t + stepsOffset);
    }
    case 'trailing': {
      // Float ratio counted down from T, so the first step is always T − 1 (e.g. 999).
      // numpy's float arange sometimes yields one extra value ≈ 0 (e.g. N = 61 gives 62
      // timesteps ending in −1, which diffusers would index from the end of ᾱ); take exactly N.
      return arange(T, 0, -T / steps)
        .slice(0, steps)
        .map((t) => roundHalfEven(t) - 1);
    }
  }
}

/** numpy.interp(x, [0, 1, …, n−1], table): linear interpolation on the integer grid, clamped. */
export function interpolate(table: ArrayLike<number>, x: number): number {
  const last = table.length - 1;
  if (x <= 0) return table[0]!;
  if (x >= last) return table[last]!;
  const i = Math.floor(x);
  const lo = table[i]!;
  return lo + (x - i) * (table[i + 1]! - lo);
}

/**
 * x̂0 and ε̂ from the model output at a step with signal fraction ᾱ_t, for the three
 * parameterisations diffusers knows (DDIM/LCM step formulas). Scalar so the hot loops inline it.
 */
export function predictOriginal(type: PredictionType, alphaProd: number, x: number, out: number): [x0: number, eps: number] {
  const a = Math.sqrt(alphaProd);
  const b = Math.sqrt(1 - alphaProd);
  switch (type) {
    case 'epsilon':
      return [(x - b * out) / a, out];
    case 'sample':
      return [out, (x - a * out) / b];
    case 'v_prediction':
      return [a * x - b * out, a * out + b * x];
  }
}

/** Throws unless the step index and the two tensors fit the schedule. */
export function checkStep(timesteps: readonly number[], stepIndex: number, modelOutput: Float32Array, sample: Float32Array): number {
  const t = timesteps[stepIndex];
  if (!Number.isInteger(stepIndex) || t === undefined) {
    throw new RangeError(`step index ${stepIndex} is outside the schedule (0 … ${timesteps.length - 1})`);
  }
  if (modelOutput.length !== sample.length) {
    throw new RangeError(`model output has ${modelOutput.length} values but the sample has ${sample.length}`);
  }
  return t;
}
