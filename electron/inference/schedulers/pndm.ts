/**
 * PNDM as Stable Diffusion 1.x ships it (`skip_prk_steps: true`): the pseudo linear multistep
 * (PLMS) method of Liu et al. 2022, "Pseudo Numerical Methods for Diffusion Models on
 * Manifolds", a four-step Adams–Bashforth extrapolation of ε̂ fed into the paper's transfer
 * formula (its eq. 9). Ported from diffusers' PNDMScheduler (src/diffusers/schedulers/
 * scheduling_pndm.py @58eb52c: set_timesteps l.172–226, step_plms l.324–392, _get_prev_sample
 * l.409–452), including its quirks, so an image matches what the model card's pipeline makes:
 *   - N steps make N + 1 model calls: the second call repeats the first step's end timestep and
 *     redoes that step from the start with the mean of both ε̂ (a Heun-like warm-up);
 *   - that second ε̂ is then dropped from the history (diffusers never appends it);
 *   - every step moves by T // N whatever the spacing, not to the next listed timestep;
 *   - with v_prediction the raw v outputs are combined and converted to ε afterwards, which is
 *     not exact even for a perfect model (v, unlike ε, changes along the trajectory).
 * The Runge–Kutta warm-up (`skip_prk_steps: false`) is refused in config.ts.
 */
import type { Rng } from '../random/xoshiro128.js';
import type { ResolvedSchedulerConfig } from './config.js';
import { alphasCumprod, betas, checkStep, spacedTimesteps } from './schedule.js';
import { type DiffusionScheduler, requireMemory, type StepMemory } from './types.js';

/**
 * PLMS's timesteps, highest first: the spaced grid with its second-highest entry repeated
 * (`concatenate([ts[:-1], ts[-2:-1], ts[-1:]])[::-1]`), so N + 1 of them (1 for N = 1).
 * SD 1.5 (leading, steps_offset 1), N = 50: 981, 961, 961, 941, …, 21, 1.
 */
export function plmsTimesteps(config: ResolvedSchedulerConfig, steps: number): number[] {
  const grid = spacedTimesteps(config.timestepSpacing, steps, config.numTrainTimesteps, config.stepsOffset, true);
  return grid.length < 2 ? grid : [grid[0]!, grid[1]!, ...grid.slice(1)];
}

/** Adams–Bashforth weights for 1–4 remembered ε̂ (newest first), PNDM paper eq. 12. */
const AB_WEIGHTS: readonly (readonly number[])[] = [[1], [3 / 2, -1 / 2], [23 / 12, -16 / 12, 5 / 12], [55 / 24, -59 / 24, 37 / 24, -9 / 24]];

export class PndmScheduler implements DiffusionScheduler {
  readonly kind = 'pndm' as const;
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  readonly alphasCumprod: Float64Array;
  readonly finalAlphaCumprod: number;
  /** T // N: how far every step moves (diffusers' prev_timestep = timestep − T // N). */
  readonly stride: number;

  constructor(
    private readonly config: ResolvedSchedulerConfig,
    readonly numInferenceSteps: number,
  ) {
    this.alphasCumprod = alphasCumprod(betas(config));
    this.finalAlphaCumprod = config.setAlphaToOne ? 1 : this.alphasCumprod[0]!;
    this.stride = Math.floor(config.numTrainTimesteps / numInferenceSteps);
    this.timesteps = plmsTimesteps(config, numInferenceSteps);
    for (const t of this.timesteps) {
      if (t < 0 || t >= config.numTrainTimesteps) {
        throw new RangeError(`PNDM timestep ${t} is outside 0 … ${config.numTrainTimesteps - 1} (steps_offset ${config.stepsOffset} too large for ${numInferenceSteps} steps?)`);
      }
    }
  }

  scaleModelInput(sample: Float32Array, _stepIndex?: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _rng?: Rng, memory?: StepMemory): Float32Array<ArrayBuffer> {
    let t = checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const mem = requireMemory(memory, 'PNDM');
    mem.advance(stepIndex, 'PNDM');
    let prev = t - this.stride;
    let from = sample;
    let eps: Float32Array;
    if (stepIndex === 1) {
      // The repeated timestep: redo step 0 (from its start, over the same interval) with the
      // mean of the ε̂ at its start and at its end.
      prev = t;
      t += this.stride;
      from = mem.start ?? sample;
      mem.start = null;
      const first = mem.outputs[mem.outputs.length - 1]!;
      eps = modelOutput.map((v, i) => (v + first[i]!) / 2);
    } else {
      mem.outputs = [...mem.outputs.slice(-3), modelOutput];
      if (stepIndex === 0) mem.start = sample;
      const weights = AB_WEIGHTS[mem.outputs.length - 1]!;
      const newestFirst = [...mem.outputs].reverse();
      eps = new Float32Array(sample.length);
      for (let i = 0; i < eps.length; i++) {
        let e = 0;
        for (let k = 0; k < weights.length; k++) e += weights[k]! * newestFirst[k]![i]!;
        eps[i] = e;
      }
    }
    if (t >= this.config.numTrainTimesteps) throw new RangeError(`PNDM timestep ${t} is outside the training schedule`);
    return this.transfer(from, t, prev, eps);
  }

  /** x_{t−δ} from x_t and ε̂ (PNDM eq. 9; diffusers _get_prev_sample), v-prediction converted first. */
  private transfer(sample: Float32Array, t: number, prev: number, modelOutput: Float32Array): Float32Array<ArrayBuffer> {
    const at = this.alphasCumprod[t]!;
    const ap = prev >= 0 ? this.alphasCumprod[prev]! : this.finalAlphaCumprod;
    const sampleCoeff = Math.sqrt(ap / at);
    const denom = at * Math.sqrt(1 - ap) + Math.sqrt(at * (1 - at) * ap);
    const v = this.config.predictionType === 'v_prediction';
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) {
      const x = sample[i]!;
      const eps = v ? Math.sqrt(at) * modelOutput[i]! + Math.sqrt(1 - at) * x : modelOutput[i]!;
      out[i] = sampleCoeff * x - ((ap - at) * eps) / denom;
    }
    return out;
  }
}
