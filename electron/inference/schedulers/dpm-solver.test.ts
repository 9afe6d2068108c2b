/**
 * DPM-Solver++ multistep: diffusers' timestep grids (which differ from DDIM/Euler's), when it
 * drops to first order, and refusal of the variants not ported. Trajectories against diffusers
 * itself: reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../random/xoshiro128.js';
import { parseSchedulerConfig } from './config.js';
import { createScheduler } from './create.js';
import type { DpmSolverScheduler } from './dpm-solver.js';
import { StepMemory } from './types.js';

const FILE = '/models/sd15/scheduler/scheduler_config.json';
const SD15 = parseSchedulerConfig({ _class_name: 'PNDMScheduler', beta_end: 0.012, beta_schedule: 'scaled_linear', beta_start: 0.00085, num_train_timesteps: 1000, set_alpha_to_one: false, skip_prk_steps: true, steps_offset: 1, clip_sample: false }, FILE);
const dpm = (steps: number, extra = {}) => createScheduler({ ...SD15, ...extra }, 'dpm-solver++', steps, FILE) as DpmSolverScheduler;

describe('DPM-Solver++ timesteps (diffusers scheduling_dpmsolver_multistep.py set_timesteps l.409–440)', () => {
  it('on SD 1.5’s config (no timestep_spacing: the DPM default linspace), 20 steps: linspace(0, 999, 21) rounded, highest 20', () => {
    const expected = [999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50];
    expect(dpm(20).timesteps).toEqual(expected);
    expect(dpm(5).timesteps).toEqual([999, 799, 599, 400, 200]); // 399.6 → 400, 599.4 → 599
  });

  it('leading: (0 … N)·(T // (N + 1)) + steps_offset without the lowest; trailing as Euler', () => {
    expect(dpm(7, { timestep_spacing: 'leading' }).timesteps).toEqual([876, 751, 626, 501, 376, 251, 126]);
    expect(dpm(4, { timestep_spacing: 'trailing' }).timesteps).toEqual([999, 749, 499, 249]);
  });

  it('lambda_min_clipped cuts the lowest-SNR timesteps from the top', () => {
    expect(dpm(6, { lambda_min_clipped: -2.5 }).timesteps).toEqual([968, 807, 645, 484, 323, 161]);
  });

  it('ends on σ = 0 (final_sigmas_type zero) or σ_min, and takes first-order steps first and last (step l.1239–1268)', () => {
    expect(dpm(20).sigmas.at(-1)).toBe(0);
    expect(dpm(20, { final_sigmas_type: 'sigma_min' }).sigmas.at(-1)).toBeCloseTo(0.0292, 4);
    const order = (s: DpmSolverScheduler) => s.timesteps.map((_, i) => (s.firstOrderAt(i) ? 1 : 2));
    expect(order(dpm(5))).toEqual([1, 2, 2, 2, 1]);
    // With σ_min at the end, lower_order_final applies only below 15 steps.
    expect(order(dpm(8, { final_sigmas_type: 'sigma_min' })).at(-1)).toBe(1);
    expect(order(dpm(20, { final_sigmas_type: 'sigma_min' })).at(-1)).toBe(2);
    expect(order(dpm(5, { solver_order: 1 }))).toEqual([1, 1, 1, 1, 1]);
  });

  it('the last step to σ = 0 returns the data prediction itself', () => {
    const s = dpm(1);
    const x = Float32Array.from([3, -2]);
    const eps = Float32Array.from([0.5, 0.25]);
    const sigma = s.sigmas[0]!;
    const out = s.step(eps, 0, x, new Xoshiro128(0), new StepMemory());
    // x̂0 = (x − σ_t·ε)/α_t with α_t = 1/√(σ²+1), σ_t = σ·α_t, i.e. x·√(σ²+1) − σ·ε
    x.forEach((xi, i) => expect(out[i]).toBeCloseTo(xi * Math.sqrt(sigma * sigma + 1) - sigma * eps[i]!, 3));
  });

  it('refuses what it does not implement, naming the file and key', () => {
    expect(() => dpm(4, { use_karras_sigmas: true })).toThrow(`${FILE}: the dpm-solver++ scheduler does not support use_karras_sigmas: true`);
    expect(() => dpm(4, { solver_order: 3 })).toThrow(/solver_order: 3/);
    expect(() => dpm(4, { algorithm_type: 'sde-dpmsolver++' })).toThrow(/algorithm_type: "sde-dpmsolver\+\+"/);
    expect(() => dpm(4, { use_lu_lambdas: true, variance_type: 'learned_range' })).toThrow(/variance_type: "learned_range", use_lu_lambdas: true/);
    // What diffusers itself remaps: the retired "deis" algorithm and UniPC's solver types.
    expect(() => dpm(4, { algorithm_type: 'deis', solver_type: 'bh2' })).not.toThrow();
  });

  it('needs the image’s memory', () => {
    const x = Float32Array.from([1]);
    expect(() => dpm(2).step(x, 0, x, new Xoshiro128(0))).toThrow(/DPM-Solver\+\+ sampler needs the image's StepMemory/);
  });
});
