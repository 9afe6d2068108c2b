/**
 * Latent Consistency Model sampling (Luo et al. 2023; diffusers LCMScheduler). The distilled
 * UNet maps x_t straight to a clean-image estimate; multi-step sampling re-noises that estimate
 * to the next (lower) timestep with fresh noise from the seeded rng. Classifier-free guidance is
 * baked into the model and steered by `timestep_cond` (see lcmGuidanceEmbedding), so there is
 * no unconditional batch.
 */
import { randn } from '../random/gaussian.js';
import type { Rng } from '../random/xoshiro128.js';
import type { ResolvedSchedulerConfig } from './config.js';
import { alphasCumprod, betas, checkStep, linspace, predictOriginal } from './schedule.js';
import type { DiffusionScheduler } from './types.js';

/** σ_data of the consistency-model boundary condition (LCM uses 0.5). */
const SIGMA_DATA = 0.5;

/**
 * The consistency boundary-condition scalings at timestep t: denoised = c_skip·x + c_out·x̂0.
 * With t scaled by `timestepScaling` (10, i.e. t/0.1) c_skip is ≈ 0 except very near t = 0,
 * which is what makes the parameterisation satisfy f(x, 0) = x.
 */
export function lcmBoundaryScalings(t: number, timestepScaling = 10): { cSkip: number; cOut: number } {
  const s = t * timestepScaling;
  const d2 = SIGMA_DATA * SIGMA_DATA;
  return { cSkip: d2 / (s * s + d2), cOut: s / Math.sqrt(s * s + d2) };
}

/**
 * LCM's inference timesteps: the distillation grid k−1, 2k−1, …, T−1 (k = T / original steps,
 * e.g. 19, 39, …, 999 for 50), reversed, sampled at floor(linspace(0, len, N, endpoint=false)).
 * N = 4 from 50 gives [999, 759, 499, 259]. Like diffusers' LCMScheduler this ignores
 * timestep_spacing and steps_offset.
 */
export function lcmTimesteps(steps: number, originalSteps: number, numTrainTimesteps: number): number[] {
  if (steps > originalSteps) {
    throw new RangeError(`LCM cannot take ${steps} steps: at most original_inference_steps (${originalSteps})`);
  }
  const k = Math.floor(numTrainTimesteps / originalSteps);
  const origin = Array.from({ length: originalSteps }, (_, i) => (i + 1) * k - 1).reverse();
  // linspace(0, len, N + 1) without its endpoint is linspace(0, len, N, endpoint=False).
  return linspace(0, origin.length, steps + 1)
    .slice(0, steps)
    .map((i) => origin[Math.floor(i)]!);
}

/**
 * The guidance-scale embedding fed to LCM UNets as `timestep_cond` ([B, dim], the UNet's
 * time_cond_proj_dim, 256 for LCM-Dreamshaper): sinusoidal features of w·1000, sin half then
 * cos half. Pass w = guidance_scale − 1, as diffusers' LatentConsistencyModelPipeline does
 * (diffusers.js passes guidance_scale itself, a known difference). Intermediates are rounded
 * to float32 as torch computes them, so the features match its output to float32 precision.
 */
export function lcmGuidanceEmbedding(w: number, dim = 256): Float32Array<ArrayBuffer> {
  if (!Number.isInteger(dim) || dim < 4) throw new RangeError(`embedding dimension must be an integer ≥ 4, got ${dim}`);
  const f = Math.fround;
  const half = Math.floor(dim / 2);
  const rate = f(f(Math.log(10000)) / (half - 1));
  const scaledW = f(f(w) * 1000);
  const out = new Float32Array(dim); // an odd dim keeps a trailing zero (diffusers zero-pads)
  for (let k = 0; k < half; k++) {
    const arg = f(scaledW * f(Math.exp(f(-k * rate))));
    out[k] = Math.sin(arg);
    out[half + k] = Math.cos(arg);
  }
  return out;
}

export class LcmScheduler implements DiffusionScheduler {
  readonly kind = 'lcm' as const;
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  readonly alphasCumprod: Float64Array;
  readonly finalAlphaCumprod: number;

  constructor(
    private readonly config: ResolvedSchedulerConfig,
    readonly numInferenceSteps: number,
  ) {
    this.alphasCumprod = alphasCumprod(betas(config));
    this.finalAlphaCumprod = config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
    this.timesteps = lcmTimesteps(numInferenceSteps, config.originalInferenceSteps, config.numTrainTimesteps);
  }

  scaleModelInput(sample: Float32Array, _stepIndex?: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, rng: Rng): Float32Array<ArrayBuffer> {
    const t = checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const isLast = stepIndex === this.timesteps.length - 1;
    // The last step returns the denoised estimate itself; earlier ones re-noise it to the next
    // listed timestep (unlike DDIM, LCM moves to the actual next timestep, not t − T/N).
    const prev = isLast ? t : this.timesteps[stepIndex + 1]!;
    const alphaProd = this.alphasCumprod[t]!;
    const alphaPrev = prev >= 0 ? this.alphasCumprod[prev]! : this.finalAlphaCumprod;
    const { cSkip, cOut } = lcmBoundaryScalings(t, this.config.timestepScaling);
    const { predictionType, clipSample, clipSampleRange: r } = this.config;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      let [x0] = predictOriginal(predictionType, alphaProd, sample[i]!, modelOutput[i]!);
      if (clipSample) x0 = Math.min(r, Math.max(-r, x0));
      out[i] = cOut * x0 + cSkip * sample[i]!;
    }
    if (isLast) return out;
    const noise = randn(sample.length, rng);
    const a = Math.sqrt(alphaPrev);
    const b = Math.sqrt(1 - alphaPrev);
    for (let i = 0; i < out.length; i++) out[i] = a * out[i]! + b * noise[i]!;
    return out;
  }
}
