/**
 * The multistep samplers (PNDM, DPM-Solver++) inside the generator: each image keeps its own
 * history, so an image depends on its prompt and seed only — not on the other prompts of its
 * batch or on the chunking — and PLMS's extra model call reaches the UNet.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from './generator.js';

const SD15 = join(import.meta.dirname, '../../../tests/fixtures/models/sd15-int64-timestep');
let g: Generator;

beforeAll(async () => {
  g = await Generator.load(SD15);
});
afterAll(async () => {
  await g.dispose();
});

describe.each(['pndm', 'dpm-solver++'] as const)('%s in the generator', (scheduler) => {
  it('an image is the same alone, in a batch and across chunks', async () => {
    const settings = { steps: 4, guidanceScale: 3, scheduler };
    const alone = await g.generateLatents(['a blue dog'], { ...settings, seeds: [8] });
    const batch = await g.generateLatents(['a red cat', 'a blue dog', 'a green bird'], { ...settings, seeds: [7, 8, 9] });
    const rowSize = alone.data.length;
    expect(Array.from(batch.data.subarray(rowSize, 2 * rowSize))).toEqual(Array.from(alone.data));
    const chunked = await g.generate(['a red cat', 'a blue dog', 'a green bird'], { ...settings, seeds: [7, 8, 9], maxBatch: 1 });
    const whole = await g.generate(['a red cat', 'a blue dog', 'a green bird'], { ...settings, seeds: [7, 8, 9] });
    expect(chunked.map((i) => Array.from(i.rgb))).toEqual(whole.map((i) => Array.from(i.rgb)));
  });

  it('calls the UNet once per timestep (PLMS: steps + 1)', async () => {
    const seen: number[] = [];
    await g.generateLatents(['a red cat'], { steps: 4, guidanceScale: 1, scheduler, seeds: [1], onStep: ({ step }) => seen.push(step) });
    const calls = scheduler === 'pndm' ? 5 : 4;
    expect(seen).toEqual(Array.from({ length: calls }, (_, i) => i + 1));
  });
});
