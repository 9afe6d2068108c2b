/**
 * DPM-Solver++ multistep (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of
 * Diffusion Probabilistic Models", Algorithm 2 / the "2M" solver), ported from diffusers'
 * DPMSolverMultistepScheduler (src/diffusers/schedulers/scheduling_dpmsolver_multistep.py
 * @58eb52c: set_timesteps l.367–497, _sigma_to_alpha_sigma_t l.580, convert_model_output
 * l.749, dpm_solver_first_order_update l.847, multistep_dpm_solver_second_order_update l.921,
 * step l.1196). It integrates the data prediction x̂0 in log-SNR time λ = log(α/σ): the first
 * step (and the last, see `firstOrderAt`) is DDIM-like, the others extrapolate x̂0 linearly from
 * the previous step's. Orders 1 and 2 with the midpoint or Heun correction; order 3, the
 * noise-prediction and SDE variants and Karras/Lu/flow sigmas are refused in config.ts.
 */
import type { Rng } from '../random/xoshiro128.js';
import type { PredictionType, ResolvedSchedulerConfig } from './config.js';
import { alphasCumprod, arange, betas, checkStep, interpolate, linspace, roundHalfEven, sigmaOf } from './schedule.js';
import { type DiffusionScheduler, requireMemory, type StepMemory } from './types.js';

/** log(α_t/σ_t) of each training step, highest SNR first (t = 0 … T−1). */
function logSnr(alphaBar: Float64Array): Float64Array {
  return alphaBar.map((a) => Math.log(Math.sqrt(a)) - Math.log(Math.sqrt(1 - a)));
}

/**
 * DPM-Solver's timesteps, highest first (set_timesteps). They differ from DDIM/Euler's grids:
 * linspace and leading lay N + 1 points and drop the lowest, so the last step lands on σ = 0
 * from above t = 0 (N = 20, linspace: 999, 949, …, 50). Timesteps whose log-SNR falls below
 * `lambda_min_clipped` are cut from the top first (`last_timestep`).
 */
export function dpmTimesteps(config: ResolvedSchedulerConfig, steps: number, alphaBar: Float64Array): number[] {
  const T = config.numTrainTimesteps;
  // searchsorted(flip(λ), λ_min): how many of the lowest-SNR timesteps are below the clip.
  const lambdas = logSnr(alphaBar);
  let clipped = 0;
  while (clipped < T && lambdas[T - 1 - clipped]! < config.lambdaMinClipped) clipped++;
  const last = T - clipped;
  switch (config.timestepSpacing) {
    case 'linspace':
      return linspace(0, last - 1, steps + 1).map(roundHalfEven).reverse().slice(0, steps);
    case 'leading': {
      const ratio = Math.floor(last / (steps + 1));
      return Array.from({ length: steps + 1 }, (_, i) => i * ratio).reverse().slice(0, steps).map((t) => t + config.stepsOffset);
    }
    case 'trailing':
      // As for Euler (schedule.ts), numpy's float arange can yield one value too many; take N.
      return arange(last, 0, -T / steps)
        .slice(0, steps)
        .map((t) => roundHalfEven(t) - 1);
  }
}

/** α_t and σ_t of the VP process at VE noise level σ (diffusers _sigma_to_alpha_sigma_t). */
function alphaSigma(sigma: number): { alpha: number; sigmaT: number; lambda: number } {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  const sigmaT = sigma * alpha;
  // σ = 0 (the final step) gives λ = +∞ and e^(−h) = 0: the update returns x̂0 itself.
  return { alpha, sigmaT, lambda: Math.log(alpha) - Math.log(sigmaT) };
}

/** x̂0 from the model output (convert_model_output for dpmsolver++). */
function dataPrediction(type: PredictionType, alpha: number, sigmaT: number, x: number, out: number): number {
  if (type === 'epsilon') return (x - sigmaT * out) / alpha;
  if (type === 'v_prediction') return alpha * x - sigmaT * out;
  return out;
}

export class DpmSolverScheduler implements DiffusionScheduler {
  readonly kind = 'dpm-solver++' as const;
  readonly timesteps: readonly number[];
  /** σ (VE) at each step, then the final σ: 0, or σ_min with final_sigmas_type "sigma_min". */
  readonly sigmas: readonly number[];
  readonly initNoiseSigma = 1;

  constructor(
    private readonly config: ResolvedSchedulerConfig,
    readonly numInferenceSteps: number,
  ) {
    const alphaBar = alphasCumprod(betas(config));
    const table = Array.from(alphaBar, sigmaOf);
    this.timesteps = dpmTimesteps(config, numInferenceSteps, alphaBar);
    for (const t of this.timesteps) {
      if (t < 0 || t >= config.numTrainTimesteps) {
        throw new RangeError(`DPM-Solver++ timestep ${t} is outside 0 … ${config.numTrainTimesteps - 1} (steps_offset ${config.stepsOffset} too large for ${numInferenceSteps} steps?)`);
      }
    }
    this.sigmas = [...this.timesteps.map((t) => interpolate(table, t)), config.finalSigmasType === 'zero' ? 0 : table[0]!];
  }

  /**
   * Whether step `i` uses the first-order (DDIM) update: the first step has no earlier x̂0; the
   * last one does when it lands on σ = 0, with euler_at_final, or with lower_order_final on
   * short schedules (< 15 steps), which diffusers does "for numerical stability".
   */
  firstOrderAt(i: number): boolean {
    const n = this.timesteps.length;
    const { solverOrder, eulerAtFinal, lowerOrderFinal, finalSigmasType } = this.config;
    const finalStep = i === n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmasType === 'zero');
    return solverOrder === 1 || i === 0 || finalStep;
  }

  scaleModelInput(sample: Float32Array, _stepIndex?: number): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _rng?: Rng, memory?: StepMemory): Float32Array<ArrayBuffer> {
    checkStep(this.timesteps, stepIndex, modelOutput, sample);
    const mem = requireMemory(memory, 'DPM-Solver++');
    mem.advance(stepIndex, 'DPM-Solver++');
    const s0 = alphaSigma(this.sigmas[stepIndex]!);
    const next = alphaSigma(this.sigmas[stepIndex + 1]!);
    const type = this.config.predictionType;
    const m0 = sample.map((x, i) => dataPrediction(type, s0.alpha, s0.sigmaT, x, modelOutput[i]!));
    const m1 = mem.outputs[mem.outputs.length - 1];
    mem.outputs = [m0];

    const h = next.lambda - s0.lambda;
    const decay = next.sigmaT / s0.sigmaT; // 0 on the step to σ = 0
    const gain = next.alpha * (Math.exp(-h) - 1); // −α_t(1 − e^(−h)); −1 when λ_t = ∞
    const out = new Float32Array(sample.length);
    if (this.firstOrderAt(stepIndex) || !m1) {
      for (let i = 0; i < out.length; i++) out[i] = decay * sample[i]! - gain * m0[i]!;
      return out;
    }
    const prev = alphaSigma(this.sigmas[stepIndex - 1]!);
    const r0 = (s0.lambda - prev.lambda) / h;
    // D1 = (m0 − m1)/r0: the x̂0 slope per unit of this step's λ interval.
    const d1Weight = this.config.solverType === 'midpoint' ? 0.5 * gain : -next.alpha * ((Math.exp(-h) - 1) / h + 1);
    for (let i = 0; i < out.length; i++) {
      const d1 = (m0[i]! - m1[i]!) / r0;
      out[i] = decay * sample[i]! - gain * m0[i]! - d1Weight * d1;
    }
    return out;
  }
}
