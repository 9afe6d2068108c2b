import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../schedulers/index.js';
import { RunMeter } from './batching.js';
import { readGeneratorLayout } from './layout.js';
import { Unet } from './unet.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');

describe('Unet timestep feeds', () => {
  // Euler with linspace spacing has fractional timesteps: 3 steps → [999, 499.5, 0].
  const [, fractional] = createScheduler({ timestep_spacing: 'linspace' }, 'euler', 3).timesteps;

  it('truncates fractional timesteps for int64 [1] exports (as diffusers astype does)', async () => {
    const dir = join(MODELS, 'sd15-int64-timestep');
    const unet = await Unet.open(dir, {}, new RunMeter(), readGeneratorLayout(dir));
    expect(fractional).toBe(499.5);
    const feed = unet.timestepFeed(fractional!);
    expect([feed.type, feed.dims, Array.from(feed.data as BigInt64Array)]).toEqual(['int64', [1], [499n]]);
    expect(unet.timeCondDim).toBeNull();
    await unet.dispose();
  });

  it('keeps them for float32 scalar exports, and finds LCM timestep_cond width', async () => {
    const dir = join(MODELS, 'sd-float-timestep');
    const unet = await Unet.open(dir, {}, new RunMeter(), readGeneratorLayout(dir));
    const feed = unet.timestepFeed(fractional!);
    expect([feed.type, feed.dims, Array.from(feed.data as Float32Array)]).toEqual(['float32', [], [499.5]]);
    await unet.dispose();
    const lcmDir = join(MODELS, 'lcm');
    const lcm = await Unet.open(lcmDir, {}, new RunMeter(), readGeneratorLayout(lcmDir));
    expect([lcm.timeCondDim, lcm.latentChannels]).toEqual([256, 4]);
    await lcm.dispose();
  });
});
