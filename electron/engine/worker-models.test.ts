/**
 * The suggest pipeline through a real forked inference worker gives exactly what it gives
 * in-process: the process boundary changes where onnxruntime runs, not what it computes.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkWorker, type WorkerHost } from '../inference/worker/child-process-host.js';
import type { EngineWorkerMethods } from './engine-worker-methods.js';
import { loadEngineModels, type LoadedFor } from './load-engine-models.js';
import { suggestForImage, type SuggestSettings } from './suggest-pipeline.js';
import { workerSuggestModels } from './worker-models.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/models');
const dirs = { captioner: join(FIXTURES, 'vit-gpt2'), generator: join(FIXTURES, 'lcm'), embedder: join(FIXTURES, 'dinov2') };
const settings: SuggestSettings = {
  seed: 11,
  decoding: { strategy: 'sample', topK: 8, numReturnSequences: 5, maxNewTokens: 4 },
  generation: { steps: 2, guidanceScale: 4, scheduler: 'lcm' },
};
let worker: WorkerHost<EngineWorkerMethods>;
let local: LoadedFor<{ captioner: string; generator: string; embedder: string }>;
let sourcePath: string;

beforeAll(async () => {
  // Inside the checkout so the bundle resolves onnxruntime-node and sharp from node_modules.
  const outDir = join(ROOT, 'dist', 'test-workers');
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'engine-worker.mjs');
  await build({ entryPoints: [join(ROOT, 'electron/engine/engine-worker-main.ts')], outfile: entry, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  worker = forkWorker<EngineWorkerMethods>(entry);
  await worker.client.call('open', { dirs });
  local = await loadEngineModels(dirs);
  sourcePath = join(outDir, 'source.png');
  await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 30, g: 160, b: 60 } } }).png().toFile(sourcePath);
});

afterAll(async () => {
  await worker?.client.call('close', {}).catch(() => {});
  await worker?.dispose();
  await local?.dispose();
});

describe('suggest pipeline in the inference worker', () => {
  it('matches the in-process result exactly', async () => {
    const remote = await suggestForImage(4, sourcePath, workerSuggestModels(worker.client), settings);
    const inProcess = await suggestForImage(4, sourcePath, local, settings);
    expect(remote.candidates).toEqual(inProcess.candidates);
    expect(remote.reconstructions.map((r) => Buffer.from(r.rgb).toString('hex'))).toEqual(inProcess.reconstructions.map((r) => Buffer.from(r.rgb).toString('hex')));
  });

  it('reports a model folder problem from the worker with the file named', async () => {
    await expect(worker.client.call('open', { dirs: { ...dirs, generator: join(FIXTURES, 'nowhere') } })).rejects.toThrow(/nowhere/);
    await expect(worker.client.call('caption', { images: [sourcePath], decoding: settings.decoding, seed: 1 })).rejects.toMatchObject({ code: 'NO_MODELS' });
  });
});
