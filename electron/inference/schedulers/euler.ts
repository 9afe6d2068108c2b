/**
 * Euler discrete and Euler ancestral (Karras et al. 2022, Algorithm 2 with s_churn = 0; the
 * k-diffusion samplers as diffusers' EulerDiscreteScheduler / EulerAncestralDiscreteScheduler
 * implement them). Both work in the σ parameterisation x = x0 + σ·ε, so latents start at
 * σ_max-scale noise and the UNet input is rescaled by 1/√(σ² + 1) back to unit variance.
 */
import { randn } from '../random/gaussian.js';
import type { Rng } from '../random/xoshiro128.js';
import type { PredictionType, ResolvedSchedulerConfig } from './config.js';
import { alphasCumprod, betas, checkStep, interpolate, sigmaOf, spacedTimesteps } from './schedule.js';
import type { DiffusionScheduler } from './types.js';

/** x̂0 from the model output at noise level σ (σ-space counterpart of predictOriginal). */
function denoisedAt(type: PredictionType, sigma: number, x: number, out: number): number {
  if (type === 'epsilon') return x - sigma * out;
  if (type === 'v_prediction') return out * (-sigma / Math.sqrt(sigma * sigma + 1)) + x / (sigma * sigma + 1);
  return out;
}

abstract class SigmaScheduler implements DiffusionScheduler {
  abstract readonly kind: 'euler' | 'euler-ancestral';
  readonly timesteps: readonly number[];
  /** σ for each step, plus the final σ the last step lands on (0, or σ_min with final_sigmas_type). */
  readonly sigmas: readonly number[];
  readonly initNoiseSigma: number;

  constructor(
    protected readonly config: ResolvedSchedulerConfig,
    readonly numInferenceSteps: number,
    finalSigma: 'zero' | 'sigma_min',
  ) {
    const alphaBar = alphasCumprod(betas(config));
    const table = Array.from(alphaBar, sigmaOf);
    this.timesteps = spacedTimesteps(config.timestepSpacing, numInferenceSteps, config.numTrainTimesteps, config.stepsOffset, false);
    // Timesteps may be fractional (linspace) or beyond the table (leading + offset): σ is
    // interpolated linearly in t on the integer grid and clamped, as numpy.interp does.
    const stepSigmas = this.timesteps.map((t) => interpolate(table, t));
    this.sigmas = [...stepSigmas, finalSigma === 'zero' ? 0 : table[0]!];
    const sigmaMax = Math.max(...stepSigmas);
    // "leading" schedules do not start at t = T−1, and diffusers then uses √(σ²+1) — the total
    // std of x0 + σ·ε for unit-variance x0 — rather than σ itself.
    this.initNoiseSigma = config.timestepSpacing === 'leading' ? Math.sqrt(sigmaMax * sigmaMax + 1) : sigmaMax;
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    const sigma = this.sigmas[stepIndex];
    if (sigma === undefined || stepIndex >= this.timesteps.length) {
      throw new RangeError(`step index ${stepIndex} is outside the schedule (0 … ${this.timesteps.length - 1})`);
    }
    const scale = 1 / Math.sqrt(sigma * sigma + 1);
    return sample.map((v) => v * scale);
  }

  abstract step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, rng: Rng): Float32Array<ArrayBuffer>;
}

/** Deterministic first-order Euler steps along the probability-flow ODE. */
export class EulerScheduler extends SigmaScheduler {
  readonly kind = 'euler' as const;

  constructor(config: ResolvedSchedulerConfig, numInferenceSteps: number) {
    super(config, numInferenceSteps, config.finalSigmasType);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _rng?: Rng): Float32Array<ArrayBuffer> {
    checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const sigma = this.sigmas[stepIndex]!;
    const dt = this.sigmas[stepIndex + 1]! - sigma;
    const type = this.config.predictionType;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!;
      const derivative = (x - denoisedAt(type, sigma, x, modelOutput[i]!)) / sigma;
      out[i] = x + derivative * dt;
    }
    return out;
  }
}

/**
 * Ancestral Euler: each step goes down to σ_down with the ODE and adds fresh noise of std σ_up,
 * where σ_down² + σ_up² = σ_next². The noise comes from the caller's seeded rng — one
 * N(0, 1) tensor per step, even the last (σ_up = 0) — so a seed reproduces the image.
 */
export class EulerAncestralScheduler extends SigmaScheduler {
  readonly kind = 'euler-ancestral' as const;

  constructor(config: ResolvedSchedulerConfig, numInferenceSteps: number) {
    // EulerAncestralDiscreteScheduler always ends at σ = 0 (it has no final_sigmas_type).
    super(config, numInferenceSteps, 'zero');
  }

  /** σ_up and σ_down for the step from sigmas[stepIndex] to sigmas[stepIndex + 1]. */
  ancestralSigmas(stepIndex: number): { sigmaUp: number; sigmaDown: number } {
    const from = this.sigmas[stepIndex]!;
    const to = this.sigmas[stepIndex + 1]!;
    const sigmaUp = Math.sqrt((to * to * (from * from - to * to)) / (from * from));
    // max(0, …): rounding could make the difference a hair negative when from ≈ to.
    return { sigmaUp, sigmaDown: Math.sqrt(Math.max(0, to * to - sigmaUp * sigmaUp)) };
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, rng: Rng): Float32Array<ArrayBuffer> {
    checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const sigma = this.sigmas[stepIndex]!;
    const { sigmaUp, sigmaDown } = this.ancestralSigmas(stepIndex);
    const dt = sigmaDown - sigma;
    const noise = randn(sample.length, rng);
    const type = this.config.predictionType;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!;
      const derivative = (x - denoisedAt(type, sigma, x, modelOutput[i]!)) / sigma;
      out[i] = x + derivative * dt + noise[i]! * sigmaUp;
    }
    return out;
  }
}
