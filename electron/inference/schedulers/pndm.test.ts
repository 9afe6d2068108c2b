/**
 * PNDM (PLMS) as SD 1.5 ships it: the timestep list diffusers makes, the Heun-like restart of its
 * second call, the history it keeps per image, and refusal of the Runge–Kutta warm-up.
 * Trajectories against diffusers itself: reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../random/xoshiro128.js';
import { parseSchedulerConfig } from './config.js';
import { createScheduler } from './create.js';
import { PndmScheduler } from './pndm.js';
import { StepMemory } from './types.js';

const FILE = '/models/sd15/scheduler/scheduler_config.json';
// runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json (MODELS.md appendix §4).
const SD15 = parseSchedulerConfig({ _class_name: 'PNDMScheduler', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085, num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, trained_betas: null, clip_sample: false }, FILE);
const pndm = (steps: number, extra = {}) => createScheduler({ ...SD15, ...extra }, 'pndm', steps, FILE) as PndmScheduler;
const rng = new Xoshiro128(0);

describe('PLMS timesteps (diffusers scheduling_pndm.py set_timesteps l.196–216)', () => {
  it('SD 1.5, 50 steps: leading grid 1, 21, …, 981 (T // N = 20, + steps_offset 1), its second entry repeated: 51 calls', () => {
    // _timesteps = arange(0, 50) * 20 + 1; plms = concat(ts[:-1], ts[-2:-1], ts[-1:])[::-1]
    const expected = [981, 961, 961, ...Array.from({ length: 48 }, (_, i) => 941 - 20 * i)];
    expect(pndm(50).timesteps).toEqual(expected);
    expect(expected.at(-1)).toBe(1);
  });

  it('SD 1.5, 4 steps: 751, 501, 501, 251, 1; one step: just 1', () => {
    expect(pndm(4).timesteps).toEqual([751, 501, 501, 251, 1]);
    expect(pndm(1).timesteps).toEqual([1]);
  });
});

describe('PLMS steps', () => {
  it('the first step is a DDIM step with ε̂ (PNDM eq. 9 reduces to it)', () => {
    const s = pndm(4);
    const x = Float32Array.from([0.5, -1, 2]);
    const eps = Float32Array.from([0.1, 0.2, -0.3]);
    const out = s.step(eps, 0, x, rng, new StepMemory());
    const [at, ap] = [s.alphasCumprod[751]!, s.alphasCumprod[501]!];
    x.forEach((xi, i) => {
      const x0 = (xi - Math.sqrt(1 - at) * eps[i]!) / Math.sqrt(at);
      expect(out[i]).toBeCloseTo(Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps[i]!, 5);
    });
  });

  it('the second call restarts from the first step’s sample with the mean ε̂, over the same interval', () => {
    const s = pndm(4);
    const x = Float32Array.from([0.5, -1, 2]);
    const [e0, e1] = [Float32Array.from([0.1, 0.2, -0.3]), Float32Array.from([0.3, 0, 0.1])];
    const memory = new StepMemory();
    const x1 = s.step(e0, 0, x, rng, memory);
    const redone = s.step(e1, 1, x1, rng, memory);
    const direct = s.step(Float32Array.from(e0, (v, i) => (v + e1[i]!) / 2), 0, x, rng, new StepMemory());
    expect(Array.from(redone)).toEqual(Array.from(direct));
  });

  it('needs the image’s memory, in order, and starts a fresh one per image', () => {
    const s = pndm(4);
    const x = Float32Array.from([1]);
    expect(() => s.step(x, 0, x, rng)).toThrow(/PNDM sampler needs the image's StepMemory/);
    const memory = new StepMemory();
    s.step(x, 0, x, rng, memory);
    expect(() => s.step(x, 2, x, rng, memory)).toThrow(/got step 2 after step 0/);
    expect(() => s.step(x, 0, x, rng, memory)).toThrow(/got step 0 after step 0/);
  });

  it('refuses the Runge–Kutta warm-up and sample prediction, naming the file', () => {
    expect(() => pndm(4, { skip_prk_steps: false })).toThrow(`${FILE}: the pndm scheduler does not support skip_prk_steps: false;`);
    const { skip_prk_steps: _, ...withoutKey } = SD15;
    expect(() => createScheduler(withoutKey, 'pndm', 4, FILE)).toThrow(/skip_prk_steps: false \(the PNDMScheduler default, as the file does not set it\)/);
    expect(() => pndm(4, { prediction_type: 'sample' })).toThrow(/pndm scheduler does not support prediction_type: "sample"/);
  });
});
