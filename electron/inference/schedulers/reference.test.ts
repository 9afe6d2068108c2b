/**
 * Roundtrip's samplers against diffusers' own: timesteps, σ tables and whole deterministic
 * trajectories recorded by running diffusers' scheduler classes (@58eb52c) on the configs the
 * published models ship (tools/scheduler-reference/make_reference.py). A port that is off by one
 * timestep, uses the wrong history entry or the wrong final σ fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../random/xoshiro128.js';
import { parseSchedulerConfig, type SchedulerKind } from './config.js';
import { createScheduler } from './create.js';
import { StepMemory } from './types.js';

interface Case {
  kind: SchedulerKind;
  config: Record<string, unknown>;
  steps: number;
  timesteps: number[];
  initNoiseSigma: number;
  sigmas?: number[];
  trajectory?: number[][];
}
const FILE = join(import.meta.dirname, '../../../tests/fixtures/schedulers/diffusers-reference.json');
const reference = JSON.parse(readFileSync(FILE, 'utf8')) as { base: number[]; tilt: number[]; cases: Case[] };

/** The script's fixed "model": 0.6·x + 0.05·tilt·t/1000, in float32 like torch. */
function model(x: Float32Array, t: number): Float32Array {
  return x.map((v, i) => 0.6 * v + 0.05 * reference.tilt[i]! * (t / 1000));
}

function label(c: Case): string {
  const { _class_name: _, ...keys } = c.config;
  const varied = Object.entries(keys).filter(([k]) => ['timestep_spacing', 'prediction_type', 'final_sigmas_type', 'solver_type', 'solver_order', 'lambda_min_clipped'].includes(k));
  return `${c.kind} ${c.steps} steps on ${String(c.config._class_name)} config${varied.length ? ` (${varied.map(([k, v]) => `${k} ${String(v)}`).join(', ')})` : ''}`;
}

/** |a − b| ≤ 2e-5 + 2e-5·|b|: float64 tables here, float32 tensors in diffusers. */
function close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (Math.abs(a - e) > 2e-5 + 2e-5 * Math.abs(e)) expect.fail(`${what}[${i}]: ${a} vs diffusers ${e}`);
  });
}

describe('diffusers reference trajectories', () => {
  it('covers every sampler that has a deterministic path, and the appendix configs', () => {
    const kinds = new Set(reference.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['ddim', 'dpm-solver++', 'euler', 'lcm', 'pndm']);
  });

  it.each(reference.cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const scheduler = createScheduler(parseSchedulerConfig(c.config, 'reference'), c.kind, c.steps, 'reference');
    expect(scheduler.timesteps).toEqual(c.timesteps);
    expect(scheduler.initNoiseSigma).toBeCloseTo(c.initNoiseSigma, 4);
    if (c.sigmas) close((scheduler as unknown as { sigmas: number[] }).sigmas, c.sigmas, 'sigmas');
    if (!c.trajectory) return;
    let x = Float32Array.from(reference.base, (v) => v * scheduler.initNoiseSigma);
    const memory = new StepMemory();
    const rng = new Xoshiro128(0); // unused: these samplers draw no noise
    c.trajectory.forEach((expected, i) => {
      x = scheduler.step(model(scheduler.scaleModelInput(x, i), scheduler.timesteps[i]!), i, x, rng, memory);
      close(x, expected, `sample after step ${i}`);
    });
  });
});
