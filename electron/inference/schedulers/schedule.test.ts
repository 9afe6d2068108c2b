/**
 * The noise schedule and timestep grids. Reference numbers come from a numpy float64
 * transcription of diffusers' formulas (betas, cumprod, set_timesteps), and MODELS.md §5.3
 * (σ at t = 999 ≈ 14.6146; trailing N = 4 → [999, 749, 499, 249]). The implementation was also
 * checked against that numpy transcription for every N = 1 … 1000 and every spacing.
 */
import { describe, expect, it } from 'vitest';
import { parseSchedulerConfig, resolveSchedulerConfig } from './config.js';
import { alphasCumprod, arange, betas, interpolate, linspace, roundHalfEven, sigmaOf, spacedTimesteps } from './schedule.js';

const SD = resolveSchedulerConfig({ beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear' }, 'ddim', 'test');

describe('training schedule', () => {
  it('scaled_linear: linspace over √β, squared (SD 1.x/2.x betas)', () => {
    const b = betas(SD);
    expect(b.length).toBe(1000);
    expect(b[0]).toBeCloseTo(0.00085, 15);
    expect(b[999]).toBeCloseTo(0.012, 15);
    // Midpoint of the √β line, squared: ((√0.00085 + √0.012)/2)² at t = 499.5 — check t = 500 by formula.
    const root = Math.sqrt(0.00085) + (500 / 999) * (Math.sqrt(0.012) - Math.sqrt(0.00085));
    expect(b[500]).toBeCloseTo(root * root, 15);
  });

  it('ᾱ = cumprod(1 − β) pinned at t = 0, 500, 999', () => {
    const a = alphasCumprod(betas(SD));
    expect(a[0]).toBeCloseTo(0.99915, 15);
    expect(a[500]).toBeCloseTo(0.2763326838229746, 12);
    expect(a[999]).toBeCloseTo(0.004660098513077238, 12);
  });

  it('σ at t = 999 is 14.6146 (the value the ORT sd-turbo demo hardcodes)', () => {
    const a = alphasCumprod(betas(SD));
    expect(sigmaOf(a[999]!)).toBeCloseTo(14.6146, 4);
    expect(sigmaOf(a[999]!)).toBeCloseTo(14.614641229333639, 10);
    expect(sigmaOf(a[0]!)).toBeCloseTo(0.029167158151720367, 12);
  });

  it('linear schedule (the diffusers default 0.0001 … 0.02)', () => {
    const linear = resolveSchedulerConfig({}, 'ddim', 'test');
    const a = alphasCumprod(betas(linear));
    expect(a[0]).toBeCloseTo(0.9999, 15);
    expect(a[999]).toBeCloseTo(4.035829765375676e-5, 15);
  });

  it('squaredcos_cap_v2: ᾱ_t telescopes to cos²-ᾱ((t + 1)/T) / ᾱ(0) until β hits its 0.999 cap at t = 999', () => {
    const cosine = resolveSchedulerConfig({ beta_schedule: 'squaredcos_cap_v2' }, 'ddim', 'test');
    const b = betas(cosine);
    const a = alphasCumprod(b);
    const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const t of [0, 1, 249, 499, 749, 998]) expect(a[t]! / (alphaBar((t + 1) / 1000) / alphaBar(0))).toBeCloseTo(1, 9);
    expect(a[499]).toBeCloseTo(0.4938435904406382, 12);
    expect(b[999]).toBe(0.999);
    expect(b.slice(0, 999).every((x) => x < 0.999)).toBe(true);
    expect(a[999]).toBeCloseTo(2.4287669070348567e-9, 18); // SNR ≈ 0: no image left in the last step
  });

  it('an unknown beta_schedule is refused, naming the file and the value', () => {
    expect(() => parseSchedulerConfig({ beta_schedule: 'sigmoid' }, '/m/scheduler_config.json')).toThrow(/scheduler_config\.json.*unsupported beta_schedule "sigmoid"/);
  });

  it('trained_betas are used as given', () => {
    const cfg = resolveSchedulerConfig({ num_train_timesteps: 3, trained_betas: [0.1, 0.2, 0.5] }, 'ddim', 'test');
    expect(Array.from(alphasCumprod(betas(cfg)))).toEqual([0.9, 0.9 * 0.8, 0.9 * 0.8 * 0.5]);
  });
});

describe('numpy helpers', () => {
  it('roundHalfEven rounds halves to even like numpy.round', () => {
    expect([0.5, 1.5, 2.5, 812.5, 499.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 812, 500, 2, 3]);
  });

  it('linspace ends exactly at stop; arange counts like numpy', () => {
    expect(linspace(0, 999, 4)).toEqual([0, 333, 666, 999]);
    expect(arange(1000, 0, -250)).toEqual([1000, 750, 500, 250]);
    // numpy.arange(1000, 0, -1000/61) has 62 values (the last ≈ −6e-13).
    expect(arange(1000, 0, -1000 / 61)).toHaveLength(62);
  });

  it('interpolate is numpy.interp on the integer grid, clamped at both ends', () => {
    const table = [10, 20, 40];
    expect(interpolate(table, 0.25)).toBe(12.5);
    expect(interpolate(table, 1.5)).toBe(30);
    expect(interpolate(table, -1)).toBe(10);
    expect(interpolate(table, 5)).toBe(40);
  });
});

describe('inference timesteps', () => {
  it('trailing: N = 1 → [999], N = 4 → [999, 749, 499, 249] (sd-turbo)', () => {
    expect(spacedTimesteps('trailing', 1, 1000, 0, true)).toEqual([999]);
    expect(spacedTimesteps('trailing', 4, 1000, 0, true)).toEqual([999, 749, 499, 249]);
  });

  it('trailing N = 16 rounds 812.5 half-to-even (→ 811)', () => {
    expect(spacedTimesteps('trailing', 16, 1000, 0, true)).toEqual([
      999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311, 249, 187, 124, 61,
    ]);
  });

  it('trailing N = 61 gives exactly 61 timesteps (numpy would append −1)', () => {
    const ts = spacedTimesteps('trailing', 61, 1000, 0, true);
    expect(ts).toHaveLength(61);
    expect(ts.slice(-2)).toEqual([32, 15]);
  });

  it('leading with steps_offset 1 (SD 1.5): N = 50 → 981, 961, …, 21, 1', () => {
    const ts = spacedTimesteps('leading', 50, 1000, 1, true);
    expect(ts).toHaveLength(50);
    expect(ts.slice(0, 3)).toEqual([981, 961, 941]);
    expect(ts.slice(-2)).toEqual([21, 1]);
  });

  it('linspace: rounded for DDIM (N = 3 → [999, 500, 0]), float32 fractions for Euler', () => {
    expect(spacedTimesteps('linspace', 3, 1000, 0, true)).toEqual([999, 500, 0]);
    const euler = spacedTimesteps('linspace', 50, 1000, 0, false);
    expect(euler[0]).toBe(999);
    // float32(999 − 999/49) as numpy.linspace(..., dtype=float32) stores it.
    expect(euler[1]).toBe(978.6122436523438);
    expect(euler[49]).toBe(0);
  });
});
