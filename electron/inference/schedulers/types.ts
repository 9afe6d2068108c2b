/**
 * The contract between the UNet loop and a sampler. The loop owns the model call; a scheduler
 * only does the per-step arithmetic on flat Float32Array latents (any shape, batch included).
 */
import type { Rng } from '../random/xoshiro128.js';
import type { SchedulerKind } from './config.js';

/**
 * A sampler for one generation, configured for a fixed number of inference steps.
 *
 * Usage (epsilon models): `x = randn(shape, rng) × initNoiseSigma`; then for i = 0 … N−1:
 * `eps = unet(scaleModelInput(x, i), timesteps[i])`, `x = step(eps, i, x, rng)`; decode x.
 * Schedulers are stateless between steps (everything is derived from `stepIndex`), so a
 * resumed job can continue from any step with the same results.
 */
export interface DiffusionScheduler {
  readonly kind: SchedulerKind;
  /**
   * The UNet timestep for each step, highest first. Integers except for Euler with `linspace`
   * spacing (fractional, float32-rounded as diffusers makes them); exports with an int64
   * timestep input need them converted — diffusers' ONNX pipeline truncates (`astype`).
   */
  readonly timesteps: readonly number[];
  /** Standard deviation of the initial latent noise: multiply N(0, 1) latents by this. */
  readonly initNoiseSigma: number;
  /** The latent as the UNet expects it at step `stepIndex` (may return `sample` itself). */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /**
   * One denoising step: from the model's output for `sample` at `timesteps[stepIndex]`, the
   * latent for the next step (after the last step: the final latent). Never mutates its inputs.
   * `rng` supplies the fresh noise of stochastic samplers (Euler ancestral, LCM); others ignore it.
   */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, rng: Rng): Float32Array<ArrayBuffer>;
}
