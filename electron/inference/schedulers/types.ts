/**
 * The contract between the UNet loop and a sampler. The loop owns the model call; a scheduler
 * only does the per-step arithmetic on flat Float32Array latents (any shape, batch included).
 */
import type { Rng } from '../random/xoshiro128.js';
import type { SchedulerKind } from './config.js';

/**
 * A sampler for one generation, configured for a fixed number of inference steps.
 *
 * Usage (epsilon models): `x = randn(shape, rng) × initNoiseSigma`, `memory = new StepMemory()`;
 * then for i = 0 … timesteps.length − 1: `eps = unet(scaleModelInput(x, i), timesteps[i])`,
 * `x = step(eps, i, x, rng, memory)`; decode x. One rng and one memory per image.
 * A scheduler object holds no per-image state, so one serves a whole batch: DDIM, Euler and LCM
 * derive everything from `stepIndex`; the multistep samplers (PNDM, DPM-Solver++) keep the
 * model outputs of earlier steps in the image's StepMemory and need its steps in order.
 * `timesteps.length` is the number of model calls: the requested steps, except PNDM's PLMS,
 * which makes one extra call (its second step repeats a timestep, as diffusers' does).
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
   * `memory` is the image's history; PNDM and DPM-Solver++ throw without it (others ignore it).
   */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, rng: Rng, memory?: StepMemory): Float32Array<ArrayBuffer>;
}

/**
 * What a multistep sampler carries from one step of an image to the next: the model outputs it
 * extrapolates from (PLMS keeps four ε, DPM-Solver++ two x̂0) and PNDM's restart sample.
 * Fresh for each image and each generation.
 */
export class StepMemory {
  /** Earlier model outputs (as the sampler stores them), oldest first. */
  outputs: Float32Array[] = [];
  /** PNDM: the sample its first step started from, which its second step restarts from. */
  start: Float32Array | null = null;
  private last = -1;

  /**
   * Records that `stepIndex` is being taken; throws unless it follows the previous one, because
   * a multistep update built on another image's or a skipped step's outputs would be silently wrong.
   */
  advance(stepIndex: number, sampler: string): void {
    if (stepIndex !== this.last + 1) {
      throw new RangeError(`${sampler} steps must be taken in order with one memory per image: got step ${stepIndex} after step ${this.last}`);
    }
    this.last = stepIndex;
  }
}

/** The memory a multistep sampler cannot do without. */
export function requireMemory(memory: StepMemory | undefined, sampler: string): StepMemory {
  if (!memory) throw new TypeError(`the ${sampler} sampler needs the image's StepMemory (earlier steps' outputs)`);
  return memory;
}
