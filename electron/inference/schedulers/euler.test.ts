/**
 * Euler and Euler ancestral. σ values come from a numpy float64 transcription of diffusers
 * (σ_t = √((1−ᾱ_t)/ᾱ_t), numpy.interp at the timesteps): σ(999) = 14.6146412…, σ(749) =
 * 4.0817293…, σ(981) = 13.1204107…; the hand step follows directly from the Euler update.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128, randn } from '../random/index.js';
import type { SchedulerConfig } from './config.js';
import { createScheduler } from './create.js';
import { EulerAncestralScheduler, EulerScheduler } from './euler.js';

const SD_BETAS: SchedulerConfig = { beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear', num_train_timesteps: 1000 };
/** sd-turbo / sdxl-turbo style: trailing spacing. */
const TURBO: SchedulerConfig = { ...SD_BETAS, timestep_spacing: 'trailing', prediction_type: 'epsilon' };
const SD15: SchedulerConfig = { ...SD_BETAS, steps_offset: 1, timestep_spacing: 'leading' };

const euler = (c: SchedulerConfig, n: number) => createScheduler(c, 'euler', n) as EulerScheduler;
const ancestral = (c: SchedulerConfig, n: number) => createScheduler(c, 'euler-ancestral', n) as EulerAncestralScheduler;
const x = Float32Array.from([1, -0.5, 0.25]);
const eps = Float32Array.from([0.1, 0.2, -0.3]);

describe('Euler σ schedule', () => {
  it('trailing N = 4: σ at 999, 749, 499, 249, then 0; init σ = σ_max', () => {
    const s = euler(TURBO, 4);
    expect(s.timesteps).toEqual([999, 749, 499, 249]);
    const expected = [14.614641229333639, 4.081729363724308, 1.612886194303876, 0.6932048996386885, 0];
    s.sigmas.forEach((sigma, i) => expect(sigma).toBeCloseTo(expected[i]!, 10));
    expect(s.sigmas.at(-1)).toBe(0);
    expect(s.initNoiseSigma).toBe(s.sigmas[0]);
  });

  it('leading (SD 1.5, N = 50): init σ = √(σ(981)² + 1) = 13.15846', () => {
    const s = euler(SD15, 50);
    expect(s.timesteps[0]).toBe(981);
    expect(s.sigmas[0]).toBeCloseTo(13.120410742553977, 10);
    expect(s.initNoiseSigma).toBeCloseTo(13.158464122127848, 10);
  });

  it('linspace (the Euler default) interpolates σ at fractional timesteps', () => {
    const s = euler(SD_BETAS, 50);
    expect(s.timesteps[1]).toBe(978.6122436523438);
    expect(s.sigmas[1]).toBeCloseTo(12.936773065200642, 9);
    expect(s.sigmas[49]).toBeCloseTo(0.029167158151720367, 12);
    expect(s.sigmas[50]).toBe(0);
  });

  it('final_sigmas_type "sigma_min" ends at σ(0) instead of 0', () => {
    expect(euler({ ...TURBO, final_sigmas_type: 'sigma_min' }, 4).sigmas.at(-1)).toBeCloseTo(0.029167158151720367, 12);
  });

  it('scales the model input by 1/√(σ² + 1)', () => {
    const s = euler(TURBO, 4);
    const scaled = s.scaleModelInput(x, 0);
    expect(scaled[0]).toBeCloseTo(0.06826492, 7);
    expect(scaled[1]).toBeCloseTo(-0.03413246, 7);
    expect(scaled).not.toBe(x);
    expect(() => s.scaleModelInput(x, 4)).toThrow(/step index/);
  });
});

describe('Euler step', () => {
  it('by hand: with x̂0 = x − σε the update is x + ε·(σ_next − σ)', () => {
    const s = euler(TURBO, 4);
    const dSigma = 4.081729363724308 - 14.614641229333639;
    const out = s.step(eps, 0, x, new Xoshiro128(0));
    Array.from(x).forEach((v, i) => expect(out[i]).toBeCloseTo(v + eps[i]! * dSigma, 5));
    expect(out[0]).toBeCloseTo(-0.053291187, 6); // numpy
  });
});

describe('Euler and Euler ancestral recover x0 from a perfect oracle', () => {
  const x0 = randn(64, new Xoshiro128(1));
  const noise = randn(64, new Xoshiro128(2));
  const maxError = (a: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - x0[i]!)));

  function run(s: EulerScheduler | EulerAncestralScheduler, model: (xt: Float32Array, sigma: number) => Float32Array): Float32Array {
    // Variance-exploding view: x_t = x0 + σ·ε, started with the scheduler's first σ.
    let xt = x0.map((v, i) => v + s.sigmas[0]! * noise[i]!);
    const rng = new Xoshiro128(3);
    s.timesteps.forEach((_, i) => {
      xt = s.step(model(xt, s.sigmas[i]!), i, xt, rng);
    });
    return xt;
  }
  const epsOracle = (xt: Float32Array, sigma: number) => xt.map((v, i) => (v - x0[i]!) / sigma);
  // The model sees x/√(σ²+1) = √ᾱ·x0 + √(1−ᾱ)·ε, so v = √ᾱ·ε − √(1−ᾱ)·x0 with ᾱ = 1/(σ²+1).
  const vOracle = (xt: Float32Array, sigma: number) => {
    const a = 1 / (sigma * sigma + 1);
    return epsOracle(xt, sigma).map((e, i) => Math.sqrt(a) * e - Math.sqrt(1 - a) * x0[i]!);
  };

  it('Euler, epsilon, for several spacings and step counts', () => {
    for (const [config, steps] of [[TURBO, 4], [SD15, 10], [SD_BETAS, 6]] as const) {
      expect(maxError(run(euler(config, steps), epsOracle))).toBeLessThan(1e-4);
    }
  });

  it('Euler, v prediction', () => {
    expect(maxError(run(euler({ ...TURBO, prediction_type: 'v_prediction' }, 4), vOracle))).toBeLessThan(1e-4);
  });

  it('Euler ancestral, epsilon and v prediction (the injected noise is re-read by the oracle)', () => {
    expect(maxError(run(ancestral(TURBO, 4), epsOracle))).toBeLessThan(1e-4);
    expect(maxError(run(ancestral({ ...TURBO, prediction_type: 'v_prediction' }, 4), vOracle))).toBeLessThan(1e-4);
  });
});

describe('Euler ancestral', () => {
  it('splits σ_next into σ_up and σ_down with σ_up² + σ_down² = σ_next²', () => {
    const s = ancestral(TURBO, 4);
    const { sigmaUp, sigmaDown } = s.ancestralSigmas(0);
    expect(sigmaUp).toBeCloseTo(3.9193037798533163, 10);
    expect(sigmaDown).toBeCloseTo(1.1399879297241489, 10);
    expect(sigmaUp ** 2 + sigmaDown ** 2).toBeCloseTo(s.sigmas[1]! ** 2, 10);
    expect(s.ancestralSigmas(3)).toEqual({ sigmaUp: 0, sigmaDown: 0 });
  });

  it('adds σ_up times the seeded noise to the deterministic σ_down update', () => {
    const s = ancestral(TURBO, 4);
    const { sigmaUp, sigmaDown } = s.ancestralSigmas(0);
    const z = randn(3, new Xoshiro128(9));
    const out = s.step(eps, 0, x, new Xoshiro128(9));
    Array.from(x).forEach((v, i) => expect(out[i]).toBeCloseTo(v + eps[i]! * (sigmaDown - s.sigmas[0]!) + z[i]! * sigmaUp, 5));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const runSeed = (seed: number) => {
      const s = ancestral(TURBO, 4);
      const rng = new Xoshiro128(seed);
      let latent = randn(256, rng).map((v) => v * s.initNoiseSigma);
      s.timesteps.forEach((_, i) => {
        latent = s.step(latent.map((v) => v * 0.05), i, latent, rng); // a stand-in "model"
      });
      return latent;
    };
    expect(runSeed(42)).toEqual(runSeed(42));
    expect(runSeed(42)).not.toEqual(runSeed(43));
  });

  it('refuses prediction_type "sample", which diffusers does not implement for it', () => {
    expect(() => ancestral({ ...TURBO, prediction_type: 'sample' }, 4)).toThrow(/does not support prediction_type: "sample"/);
  });
});
