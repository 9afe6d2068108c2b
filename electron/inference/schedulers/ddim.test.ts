/**
 * DDIM (η = 0). The hand step uses ᾱ values from a numpy float64 transcription of diffusers
 * (ᾱ_981 = 0.0057755001…, ᾱ_961 = 0.0072817271…); the recovery tests need no reference at all:
 * with the true noise as the model's answer, DDIM must return the clean sample.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128, randn } from '../random/index.js';
import { createScheduler } from './create.js';
import { DdimScheduler } from './ddim.js';
import type { SchedulerConfig } from './config.js';

/** SD 1.5's scheduler/scheduler_config.json (a PNDMScheduler file, reused for DDIM as diffusers does). */
const SD15: SchedulerConfig = {
  _class_name: 'PNDMScheduler',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
};
const rng = new Xoshiro128(0); // DDIM never draws from it
const x = Float32Array.from([1, -0.5, 0.25]);
const eps = Float32Array.from([0.1, 0.2, -0.3]);

function ddim(config: SchedulerConfig, steps: number): DdimScheduler {
  return createScheduler(config, 'ddim', steps) as DdimScheduler;
}

describe('DDIM', () => {
  it('uses leading timesteps with steps_offset, init σ 1 and an unscaled model input', () => {
    const s = ddim(SD15, 50);
    expect(s.timesteps.slice(0, 2)).toEqual([981, 961]);
    expect(s.initNoiseSigma).toBe(1);
    expect(s.scaleModelInput(x, 0)).toBe(x);
  });

  it('one step by hand: x̂0 = (x − √(1−ᾱ_t)ε)/√ᾱ_t, x_prev = √ᾱ_prev·x̂0 + √(1−ᾱ_prev)·ε', () => {
    const s = ddim(SD15, 50);
    const aT = 0.005775500139495751; // ᾱ_981
    const aPrev = 0.007281727140942984; // ᾱ_961 (981 − 1000/50)
    expect(s.alphasCumprod[981]).toBeCloseTo(aT, 12);
    expect(s.prevAlphaCumprod(0)).toBeCloseTo(aPrev, 12);
    const expected = [0, 1, 2].map((i) => {
      const x0 = (x[i]! - Math.sqrt(1 - aT) * eps[i]!) / Math.sqrt(aT);
      return Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps[i]!;
    });
    const out = s.step(eps, 0, x, rng);
    expect(Array.from(out)).toEqual(expected.map(Math.fround));
    // The same numbers from numpy, so a shared mistake in the formula above would show.
    expect(out[0]).toBeCloseTo(1.1105264, 6);
    expect(out[1]).toBeCloseTo(-0.58607626, 6);
    expect(out[2]).toBeCloseTo(0.31768852, 6);
  });

  it('the last step lands on ᾱ_0 when set_alpha_to_one is false, on 1 (x̂0 itself) when true', () => {
    const sd = ddim(SD15, 50);
    expect(sd.finalAlphaCumprod).toBeCloseTo(0.99915, 15);
    const last = sd.step(eps, 49, x, rng); // t = 1, previous t = −19 → final ᾱ
    expect(last[0]).toBeCloseTo(0.9992134, 6);
    expect(last[1]).toBeCloseTo(-0.5026422, 6);
    expect(last[2]).toBeCloseTo(0.25374952, 6);

    const one = ddim({ ...SD15, set_alpha_to_one: true }, 50);
    const aT = one.alphasCumprod[1]!;
    const x0 = Array.from(x, (v, i) => Math.fround((v - Math.sqrt(1 - aT) * eps[i]!) / Math.sqrt(aT)));
    expect(Array.from(one.step(eps, 49, x, rng))).toEqual(x0);
  });

  it('clip_sample (the DDIM default when the file omits it) clamps x̂0 to ±clip_sample_range', () => {
    const s = ddim({ beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, set_alpha_to_one: true }, 1);
    expect(s.timesteps).toEqual([0]);
    // One step from t = 0 straight to ᾱ = 1 returns x̂0, which is far outside ±1 here.
    expect(Array.from(s.step(Float32Array.from([0, 0]), 0, Float32Array.from([5, -5]), rng))).toEqual([1, -1]);
    const wide = ddim({ beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, clip_sample_range: 2 }, 1);
    expect(Array.from(wide.step(Float32Array.from([0, 0]), 0, Float32Array.from([5, -5]), rng))).toEqual([2, -2]);
  });

  it('steps back by T // N even with trailing spacing, as diffusers does', () => {
    const s = ddim({ ...SD15, timestep_spacing: 'trailing' }, 4);
    expect(s.timesteps).toEqual([999, 749, 499, 249]);
    expect(s.prevAlphaCumprod(3)).toBe(s.finalAlphaCumprod); // 249 − 250 < 0
  });

  it('rejects mismatched tensors and step indices outside the schedule', () => {
    const s = ddim(SD15, 4);
    expect(() => s.step(eps, 4, x, rng)).toThrow(/step index 4/);
    expect(() => s.step(eps, 0, Float32Array.from([1]), rng)).toThrow(/3 values/);
  });
});

describe('DDIM recovers x0 from a perfect oracle', () => {
  const x0 = randn(64, new Xoshiro128(1));
  const noise = randn(64, new Xoshiro128(2));

  function run(config: SchedulerConfig, steps: number, oracle: (xt: Float32Array, alpha: number) => Float32Array): Float32Array {
    const s = ddim(config, steps);
    const a0 = s.alphasCumprod[s.timesteps[0]!]!;
    let xt = x0.map((v, i) => Math.sqrt(a0) * v + Math.sqrt(1 - a0) * noise[i]!);
    s.timesteps.forEach((t, i) => {
      xt = s.step(oracle(xt, s.alphasCumprod[t]!), i, xt, rng);
    });
    return xt;
  }
  const maxError = (a: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - x0[i]!)));
  // ε that the current x_t actually contains, given the known x0.
  const epsOracle = (xt: Float32Array, a: number) => xt.map((v, i) => (v - Math.sqrt(a) * x0[i]!) / Math.sqrt(1 - a));

  it('epsilon prediction, leading and trailing spacings, 4 and 10 steps', () => {
    for (const spacing of ['leading', 'trailing'] as const) {
      for (const steps of [4, 10]) {
        const out = run({ ...SD15, set_alpha_to_one: true, timestep_spacing: spacing }, steps, epsOracle);
        expect(maxError(out)).toBeLessThan(1e-4);
      }
    }
  });

  it('v prediction (v = √ᾱ·ε − √(1−ᾱ)·x0)', () => {
    const vOracle = (xt: Float32Array, a: number) => {
      const e = epsOracle(xt, a);
      return e.map((ev, i) => Math.sqrt(a) * ev - Math.sqrt(1 - a) * x0[i]!);
    };
    const out = run({ ...SD15, set_alpha_to_one: true, prediction_type: 'v_prediction' }, 5, vOracle);
    expect(maxError(out)).toBeLessThan(1e-4);
  });

  it('sample prediction (the model returns x0)', () => {
    const out = run({ ...SD15, set_alpha_to_one: true, prediction_type: 'sample' }, 3, () => x0);
    expect(maxError(out)).toBeLessThan(1e-4);
  });
});
