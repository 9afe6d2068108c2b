/**
 * LCM. Timesteps and the guidance embedding are pinned against a numpy transcription of
 * diffusers' LCMScheduler.set_timesteps and get_guidance_scale_embedding (float32, as torch);
 * c_skip/c_out follow from their closed forms with σ_data = 0.5 and t scaled by 10.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128, randn } from '../random/index.js';
import type { SchedulerConfig } from './config.js';
import { createScheduler } from './create.js';
import { LcmScheduler, lcmBoundaryScalings, lcmGuidanceEmbedding, lcmTimesteps } from './lcm.js';

/** SimianLuo/LCM_Dreamshaper_v7-style scheduler_config.json. */
const LCM: SchedulerConfig = {
  _class_name: 'LCMScheduler',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  num_train_timesteps: 1000,
  original_inference_steps: 50,
  prediction_type: 'epsilon',
  set_alpha_to_one: true,
  steps_offset: 1,
  timestep_spacing: 'leading',
};
const lcm = (c: SchedulerConfig, n: number) => createScheduler(c, 'lcm', n) as LcmScheduler;

describe('LCM timesteps', () => {
  it('N = 4 from original 50 → [999, 759, 499, 259]; N = 1 → [999]; N = 8', () => {
    expect(lcm(LCM, 4).timesteps).toEqual([999, 759, 499, 259]);
    expect(lcmTimesteps(1, 50, 1000)).toEqual([999]);
    expect(lcmTimesteps(2, 50, 1000)).toEqual([999, 499]);
    expect(lcmTimesteps(8, 50, 1000)).toEqual([999, 879, 759, 639, 499, 379, 259, 139]);
  });

  it('refuses more steps than original_inference_steps, naming the file', () => {
    expect(() => createScheduler(LCM, 'lcm', 51, '/models/lcm/scheduler/scheduler_config.json')).toThrow(
      /scheduler_config\.json: LCM cannot take 51 steps: at most original_inference_steps \(50\)/,
    );
  });

  it('init σ 1 and no input scaling', () => {
    const s = lcm(LCM, 4);
    const x = Float32Array.from([1, 2]);
    expect(s.initNoiseSigma).toBe(1);
    expect(s.scaleModelInput(x, 0)).toBe(x);
  });
});

describe('LCM boundary-condition scalings', () => {
  it('c_skip = 0.25/((10t)² + 0.25), c_out = 10t/√((10t)² + 0.25)', () => {
    const at = (t: number) => lcmBoundaryScalings(t);
    expect(at(999).cSkip).toBeCloseTo(2.5050075037374525e-9, 20);
    expect(at(999).cOut).toBeCloseTo(0.9999999987474963, 15);
    expect(at(259).cSkip).toBeCloseTo(3.726837564778493e-8, 20);
    expect(at(19).cSkip).toBeCloseTo(6.92515979806234e-6, 18);
    expect(at(19).cOut).toBeCloseTo(0.9999965374141062, 15);
    expect(at(0)).toEqual({ cSkip: 1, cOut: 0 }); // f(x, 0) = x
  });
});

describe('LCM guidance embedding (timestep_cond)', () => {
  it('w = 7.5 (guidance 8.5): sin half then cos half of w·1000·exp(−ln(10⁴)·k/127)', () => {
    // Reference: numpy float32 with every operation correctly rounded (exp evaluated in float64
    // and rounded). numpy's and torch's own float32 exp are only accurate to ~1 ulp, which moves
    // the ~7000-rad arguments by an ulp (4.9e-4) for some k — hence the looser second bound.
    const e = lcmGuidanceEmbedding(7.5);
    expect(e).toHaveLength(256);
    const sin = [-0.8512359, 0.8421312, 0.011876259, 0.9923768];
    const cos = [-0.52478325, 0.5392727, -0.9999295, -0.123240754];
    sin.forEach((v, k) => expect(e[k]).toBeCloseTo(v, 6));
    cos.forEach((v, k) => expect(e[128 + k]).toBeCloseTo(v, 6));
    expect(e[127]).toBeCloseTo(0.6816387, 6);
    expect(e[255]).toBeCloseTo(0.7316889, 6);
    // numpy's plain float32 path (np.exp on float32) at k = 2: within one argument ulp.
    expect(Math.abs(e[2]! - 0.01138801)).toBeLessThan(1e-3);
    // k = 0 is exactly sin/cos(7500).
    expect(e[0]).toBe(Math.fround(Math.sin(7500)));
    expect(e[128]).toBe(Math.fround(Math.cos(7500)));
  });

  it('w = 3 (guidance 4)', () => {
    const e = lcmGuidanceEmbedding(3);
    [0.21918997, 0.38986892, -0.0046041147].forEach((v, k) => expect(e[k]).toBeCloseTo(v, 6));
  });

  it('w = 0 gives sin 0 / cos 1; other dims and odd dims (zero padded)', () => {
    const zero = lcmGuidanceEmbedding(0, 8);
    expect(Array.from(zero)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    const odd = lcmGuidanceEmbedding(3, 9);
    expect(odd).toHaveLength(9);
    expect(odd[8]).toBe(0);
  });
});

describe('LCM step', () => {
  const x0 = randn(64, new Xoshiro128(1));
  const noise = randn(64, new Xoshiro128(2));
  const maxError = (a: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - x0[i]!)));

  function run(s: LcmScheduler, seed: number): Float32Array {
    const a0 = s.alphasCumprod[s.timesteps[0]!]!;
    let xt = x0.map((v, i) => Math.sqrt(a0) * v + Math.sqrt(1 - a0) * noise[i]!);
    const rng = new Xoshiro128(seed);
    s.timesteps.forEach((t, i) => {
      const a = s.alphasCumprod[t]!;
      const eps = xt.map((v, j) => (v - Math.sqrt(a) * x0[j]!) / Math.sqrt(1 - a)); // perfect oracle
      xt = s.step(eps, i, xt, rng);
    });
    return xt;
  }

  it('recovers x0 from a perfect oracle (re-noising in between) in 1, 2, 4 and 8 steps', () => {
    for (const steps of [1, 2, 4, 8]) expect(maxError(run(lcm(LCM, steps), 5))).toBeLessThan(1e-4);
  });

  it('a middle step: denoised = c_out·x̂0 + c_skip·x, re-noised to the next timestep with the seeded noise', () => {
    const s = lcm(LCM, 4);
    const x = Float32Array.from([1, -0.5]);
    const eps = Float32Array.from([0.1, 0.2]);
    const aT = s.alphasCumprod[759]!;
    const aNext = s.alphasCumprod[499]!;
    const { cSkip, cOut } = lcmBoundaryScalings(759);
    const z = randn(2, new Xoshiro128(4));
    const out = s.step(eps, 1, x, new Xoshiro128(4));
    [0, 1].forEach((i) => {
      const denoised = cOut * ((x[i]! - Math.sqrt(1 - aT) * eps[i]!) / Math.sqrt(aT)) + cSkip * x[i]!;
      expect(out[i]).toBeCloseTo(Math.sqrt(aNext) * denoised + Math.sqrt(1 - aNext) * z[i]!, 5);
    });
  });

  it('the last step returns the denoised estimate and draws no noise', () => {
    const s = lcm(LCM, 4);
    const rng = new Xoshiro128(4);
    const untouched = new Xoshiro128(4);
    s.step(Float32Array.from([0.1]), 3, Float32Array.from([1]), rng);
    expect(rng.nextUint32()).toBe(untouched.nextUint32());
  });

  it('same seed, same result', () => {
    expect(run(lcm(LCM, 4), 11)).toEqual(run(lcm(LCM, 4), 11));
  });
});
