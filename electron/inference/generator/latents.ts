/**
 * Per-image latent state. Each image owns a PRNG seeded from its seed alone: it draws the
 * initial noise and then any noise the sampler injects (Euler ancestral, LCM), so an image
 * depends only on (prompt, seed, settings) — never on which other prompts share its batch.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { randn, type Rng, Xoshiro128 } from '../random/index.js';
import { StepMemory } from '../schedulers/index.js';

export interface ImageLatent {
  rng: Rng;
  /** [C, h, w] row-major; replaced (never mutated) by each scheduler step. */
  latent: Float32Array;
  /** The earlier steps a multistep sampler (PNDM, DPM-Solver++) extrapolates from. */
  memory: StepMemory;
}

export function checkSeeds(seeds: readonly number[], count: number): void {
  if (seeds.length !== count) throw new ApiError(ErrorCode.InvalidInput, `${count} prompts need ${count} seeds, got ${seeds.length}`);
  const bad = seeds.find((s) => !Number.isSafeInteger(s) || s < 0);
  if (bad !== undefined) throw new ApiError(ErrorCode.InvalidInput, `seed must be a non-negative safe integer, got ${bad}`);
}

/** N(0, 1)·initNoiseSigma latents of `size` values, one per seed, with the rng left to continue. */
export function initialLatents(seeds: readonly number[], size: number, initNoiseSigma: number): ImageLatent[] {
  return seeds.map((seed) => {
    const rng = new Xoshiro128(seed);
    const latent = randn(size, rng);
    for (let i = 0; i < latent.length; i++) latent[i]! *= initNoiseSigma;
    return { rng, latent, memory: new StepMemory() };
  });
}

/**
 * Classifier-free guidance for image `b` of a [uncond × B, cond × B] model output:
 * ε = ε_u + g·(ε_c − ε_u). Without guidance, row b as is.
 */
export function guidedOutput(out: Float32Array, b: number, batch: number, rowSize: number, guidance: number | null): Float32Array {
  if (guidance === null) return out.subarray(b * rowSize, (b + 1) * rowSize);
  const uncond = out.subarray(b * rowSize, (b + 1) * rowSize);
  const cond = out.subarray((batch + b) * rowSize, (batch + b + 1) * rowSize);
  const eps = new Float32Array(rowSize);
  for (let i = 0; i < rowSize; i++) eps[i] = uncond[i]! + guidance * (cond[i]! - uncond[i]!);
  return eps;
}
