/**
 * Runs through the API on the demo models, in a real forked inference worker: a demo project gets
 * the demo models, a suggest run reports progress, pauses, resumes and completes with candidates
 * stored; a CUDA request on this GPU-less machine falls back to the CPU and the API says why.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/contract/schemas.js';
import { createDemoProject } from '../../demo-world/demo-project.js';
import { backendCall, type BackendCall } from '../backend-call.js';
import type { Backend } from '../backend.js';
import { forkEngineWorker } from '../engine-worker-entry.js';
import { defaultDemoRoot } from '../../models/registry.js';
import { defaultGeneratorSettings } from '../../models/run-defaults.js';
import { DEMO_MODELS } from './project-settings.js';
import { testBackend } from '../testing/test-backend.js';

const ROOT = join(import.meta.dirname, '../../..');
/** Small but real: 2 candidates, 3 DDIM steps, short captions. */
const QUICK = { candidates: 2, steps: 3, maxNewTokens: 8 };
/** What the committed demo generator's manifest (and scheduler config) set for runs that name nothing. */
const DEMO_GENERATOR = await defaultGeneratorSettings(join(defaultDemoRoot(), 'generator'));
let backend: Backend;
let call: BackendCall;
let root: string;

function progressOf(runId: number, match: (p: JobProgress) => boolean): Promise<JobProgress> {
  return new Promise((resolve) => {
    const stop = backend.bus.subscribe((event, payload) => {
      const p = payload as JobProgress;
      if (event === 'job:progress' && p.runId === runId && match(p)) {
        stop();
        resolve(p);
      }
    });
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-runs-api-'));
  // The worker bundle, built here from the source (inside the checkout, so it resolves
  // onnxruntime-node and sharp from node_modules), as worker-models.test.ts does.
  const outDir = join(ROOT, 'dist', 'test-workers');
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'runs-api-engine-worker.mjs');
  await build({ entryPoints: [join(ROOT, 'electron/engine/engine-worker-main.ts')], outfile: entry, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  backend = testBackend(root, { launchWorker: () => forkEngineWorker(entry) });
  call = backendCall(backend);
  await createDemoProject((m, i) => call(m, i), join(root, 'demo'), { count: 6 });
}, 60_000);

afterAll(() => backend?.dispose());

describe('runs on the demo models', () => {
  it('gives a demo project the demo models, and lists them as always available', async () => {
    expect(await call('settings:get', {})).toEqual({ activeModels: DEMO_MODELS, executionProvider: 'cpu' });
    const { models, project } = await call('models:list', {});
    expect(project?.activeModels).toEqual(DEMO_MODELS);
    const demo = models.filter((m) => m.bundled);
    expect(demo.map((m) => [m.id, m.roles])).toEqual(
      expect.arrayContaining([
        ['demo/captioner', ['captioner']],
        ['demo/generator', ['generator']],
        ['demo/clip', ['image-embedder', 'text-embedder']],
      ]),
    );
  });

  it('starts a suggest run, reports progress, pauses, resumes and completes it', async () => {
    const progress: JobProgress[] = [];
    const stop = backend.bus.subscribe((e, p) => e === 'job:progress' && progress.push(p as JobProgress));
    const started = await call('runs:start', { kind: 'suggest', selection: { limit: 5 }, settings: QUICK });
    expect(started).toMatchObject({
      kind: 'suggest',
      total: 5,
      settings: { ...QUICK, sampler: 'top-p', topP: 0.9, guidance: DEMO_GENERATOR.guidance, scheduler: DEMO_GENERATOR.scheduler, seed: 1 },
      provenance: { decoding: { strategy: 'sample', topP: 0.9, numReturnSequences: 2 }, generation: { steps: 3, guidanceScale: DEMO_GENERATOR.guidance, scheduler: DEMO_GENERATOR.scheduler } },
    });
    expect(started.models.map((m) => m.id)).toEqual(['demo/captioner', 'demo/generator', 'demo/clip']);

    await progressOf(started.id, (p) => p.done >= 1);
    const paused = progressOf(started.id, (p) => p.finished);
    await call('runs:pause', { id: started.id });
    expect(await paused).toMatchObject({ status: 'paused' });
    const atPause = await call('runs:get', { id: started.id });
    expect(atPause).toMatchObject({ status: 'paused', itemsPerSecond: null, execution: { requested: 'cpu', inUse: 'cpu', fallbackReason: null } });
    expect(atPause.done).toBeLessThan(5);

    const completed = progressOf(started.id, (p) => p.finished);
    expect(await call('runs:resume', { id: started.id })).toMatchObject({ status: 'queued' });
    expect(await completed).toMatchObject({ status: 'completed', done: 5, failed: 0 });
    stop();

    // Each session of the run measures its own rate: from its first finished image on, rate and ETA are set.
    const measured = progress.filter((p) => p.status === 'running' && p.itemsPerSecond! > 0);
    expect(measured.length).toBeGreaterThanOrEqual(2);
    expect(measured.every((p) => p.kind === 'suggest' && typeof p.etaSeconds === 'number' && p.done + p.failed! <= p.total)).toBe(true);
    expect(measured.at(-1)).toMatchObject({ done: 5, etaSeconds: 0 });
    // Every image has its candidates, and nothing was computed twice.
    const project = backend.session.require();
    const images = project.images.list({ offset: 0, limit: 5 }).items;
    expect(images.map((i) => project.runs.candidates(started.id, i.id).length)).toEqual([2, 2, 2, 2, 2]);
  }, 60_000);

  it('cancels a running run after its current image', async () => {
    const run = await call('runs:start', { kind: 'suggest', selection: {}, settings: QUICK });
    await progressOf(run.id, (p) => p.status === 'running');
    const cancelled = progressOf(run.id, (p) => p.finished);
    expect(await call('runs:cancel', { id: run.id })).toMatchObject({ stopping: 'cancel' });
    expect(await cancelled).toMatchObject({ status: 'cancelled' });
    expect((await call('runs:get', { id: run.id })).done).toBeLessThan(6);
  }, 60_000);

  it('falls back to the CPU when CUDA is requested on a machine without it, and says why', async () => {
    await call('settings:update', { executionProvider: 'cuda' });
    const run = await call('runs:start', { kind: 'suggest', selection: { limit: 1 }, settings: QUICK });
    expect(run.execution).toMatchObject({ requested: 'cuda', inUse: null });
    const finished = progressOf(run.id, (p) => p.finished);
    expect(await finished).toMatchObject({ status: 'completed', done: 1 });
    const { execution } = await call('runs:get', { id: run.id });
    await call('settings:update', { executionProvider: 'cpu' });
    expect(execution).toMatchObject({ requested: 'cuda', inUse: 'cpu', fallbackReason: expect.stringMatching(/^cuda is not available/) });
    expect(execution.sessions.length).toBeGreaterThanOrEqual(3);
    expect(execution.sessions.every((s) => s.requested === 'cuda' && s.provider === 'cpu' && s.slot !== null)).toBe(true);
    expect((await call('models:list', {})).execution).toEqual(execution);
  }, 60_000);

  it('runs text → image → text and a reference audit through the same queue', async () => {
    const verify = await call('runs:start', { kind: 'verify-images', selection: { limit: 1 }, settings: { ...QUICK, beams: 2 } });
    // No steps or guidance given: the demo generator's manifest names its measured ones (runDefaults).
    const audit = await call('runs:start', { kind: 'reference-audit', selection: { limit: 1 }, settings: {} });
    expect(DEMO_GENERATOR.steps).toBe(4);
    expect(audit.settings).toMatchObject({ steps: 4, guidance: DEMO_GENERATOR.guidance, scheduler: 'ddim' });
    expect(audit.provenance).toMatchObject({ generation: { steps: 4, guidanceScale: DEMO_GENERATOR.guidance } });
    expect(verify).toMatchObject({ total: 1, settings: { candidates: 2, beams: 2, referencesPerImage: 1 }, provenance: { imagesPerText: 2, recaption: { strategy: 'beam', numBeams: 2 } } });
    expect(verify.models.map((m) => [m.slot, m.id])).toEqual([
      ['captioner', 'demo/captioner'],
      ['generator', 'demo/generator'],
      ['imageEmbedder', 'demo/clip'],
      ['textEmbedder', 'demo/clip'],
    ]);
    expect(audit.models.map((m) => m.id)).toEqual(['demo/generator', 'demo/clip']);
    const done = progressOf(audit.id, (p) => p.finished);
    expect(await done).toMatchObject({ status: 'completed', done: 1 });
    const finishedVerify = await call('runs:get', { id: verify.id });
    expect(finishedVerify).toMatchObject({ status: 'completed', done: 1, failed: 0 });
    // One CLIP folder serves both embedder roles: each session is reported under the role it serves.
    const roles = finishedVerify.execution.sessions.map((s) => [s.slot, s.file.split('/').pop()]);
    expect(roles).toContainEqual(['imageEmbedder', 'vision_model.onnx']);
    expect(roles).toContainEqual(['textEmbedder', 'text_model.onnx']);
    const project = backend.session.require();
    const [image] = project.images.list({ offset: 0, limit: 1 }).items;
    expect(project.runs.generatedImages(verify.id, image!.id)).toHaveLength(2);
    expect(project.runs.candidates(audit.id, image!.id).every((c) => c.source === 'reference')).toBe(true);
  }, 60_000);

  it('refuses models that are not installed or not of the role', async () => {
    await expect(call('settings:update', { activeModels: { captioner: 'nobody/nothing' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('settings:update', { activeModels: { captioner: 'demo/generator' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(call('runs:start', { kind: 'suggest', models: { generator: 'nobody/nothing' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('runs:start', { kind: 'suggest', selection: { datasetId: 99 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await call('settings:get', {})).toEqual({ activeModels: DEMO_MODELS, executionProvider: 'cpu' });
  });
});
