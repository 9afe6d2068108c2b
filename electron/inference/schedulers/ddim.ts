/**
 * DDIM with η = 0 (Song et al. 2020, eq. 12; diffusers DDIMScheduler): deterministic, so the
 * same latent and prompts always give the same image and no noise is drawn.
 */
import type { Rng } from '../random/xoshiro128.js';
import type { ResolvedSchedulerConfig } from './config.js';
import { alphasCumprod, betas, checkStep, predictOriginal, spacedTimesteps } from './schedule.js';
import type { DiffusionScheduler } from './types.js';

export class DdimScheduler implements DiffusionScheduler {
  readonly kind = 'ddim' as const;
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  readonly alphasCumprod: Float64Array;
  /** ᾱ used for the step past t = 0: 1 (a clean image) or ᾱ_0, per set_alpha_to_one. */
  readonly finalAlphaCumprod: number;
  private readonly stride: number;

  constructor(
    private readonly config: ResolvedSchedulerConfig,
    readonly numInferenceSteps: number,
  ) {
    this.alphasCumprod = alphasCumprod(betas(config));
    this.finalAlphaCumprod = config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
    this.timesteps = spacedTimesteps(config.timestepSpacing, numInferenceSteps, config.numTrainTimesteps, config.stepsOffset, true);
    for (const t of this.timesteps) {
      if (t < 0 || t >= config.numTrainTimesteps) {
        throw new RangeError(`DDIM timestep ${t} is outside 0 … ${config.numTrainTimesteps - 1} (steps_offset ${config.stepsOffset} too large for ${numInferenceSteps} steps?)`);
      }
    }
    // diffusers steps back by T // N whatever the spacing (not to the next listed timestep);
    // kept as is so "trailing"/"linspace" results match the reference implementation.
    this.stride = Math.floor(config.numTrainTimesteps / numInferenceSteps);
  }

  /** ᾱ at the timestep this step lands on (the "previous" timestep in diffusers' naming). */
  prevAlphaCumprod(stepIndex: number): number {
    const prev = this.timesteps[stepIndex]! - this.stride;
    return prev >= 0 ? this.alphasCumprod[prev]! : this.finalAlphaCumprod;
  }

  scaleModelInput(sample: Float32Array, _stepIndex?: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _rng?: Rng): Float32Array<ArrayBuffer> {
    const t = checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const alphaProd = this.alphasCumprod[t]!;
    const alphaPrev = this.prevAlphaCumprod(stepIndex);
    const a = Math.sqrt(alphaPrev);
    const b = Math.sqrt(1 - alphaPrev); // σ_t(η) = 0, so the direction term keeps all of 1 − ᾱ_prev
    const { predictionType, clipSample, clipSampleRange: r } = this.config;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      let [x0, eps] = predictOriginal(predictionType, alphaProd, sample[i]!, modelOutput[i]!);
      // Clipping x̂0 leaves ε̂ as predicted (use_clipped_model_output is off by default).
      if (clipSample) x0 = Math.min(r, Math.max(-r, x0));
      out[i] = a * x0 + b * eps;
    }
    return out;
  }
}
