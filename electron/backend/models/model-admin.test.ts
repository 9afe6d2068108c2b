import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/contract/schemas.js';
import { ModelRegistry } from '../../models/registry.js';
import { startFakeHub, type FakeHub, type FakeRepo } from '../../models/testing/fake-hub.js';
import { familyFiles, writeModelFolder } from '../../models/testing/model-folders.js';
import { EventBus } from '../event-bus.js';
import { JobRunner } from '../jobs.js';
import { ModelCatalog } from '../runs/model-catalog.js';
import { inProcessWorker } from '../testing/in-process-worker.js';
import { ModelAdmin } from './model-admin.js';

let dir: string;
let hub: FakeHub | undefined;
let registry: ModelRegistry;
const progress: JobProgress[] = [];
const workers = { launched: 0, disposed: 0 };

/** The worker's method table served in-process: what the forked worker would answer. */
function launchWorker() {
  workers.launched++;
  return inProcessWorker(async () => void workers.disposed++);
}

function admin(hubUrl = 'http://127.0.0.1:9') {
  registry = new ModelRegistry({ modelsDir: join(dir, 'models'), readOnlyRoots: [join(dir, 'bundled')], hubUrl });
  const bus = new EventBus();
  bus.subscribe((_event, payload) => progress.push(payload as JobProgress));
  return new ModelAdmin({ registry, catalog: new ModelCatalog(registry), jobs: new JobRunner(bus), launchWorker });
}

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
function captionerRepo(): FakeRepo {
  const files = Object.fromEntries(familyFiles('vit-gpt2'));
  files['config.json'] = Buffer.from(JSON.stringify({ model_type: 'vision-encoder-decoder', decoder: { model_type: 'gpt2' } }));
  return { sha: SHA, files, lfs: Object.keys(files).filter((p) => p.endsWith('.onnx')) };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-model-admin-'));
  progress.length = 0;
  workers.launched = workers.disposed = 0;
});
afterEach(async () => {
  registry?.dispose();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('ModelAdmin', () => {
  it('verifies a model, opening its graphs in one inference worker that it closes again', async () => {
    await writeModelFolder(join(dir, 'models', 'org--clip'), 'clip', { id: 'org/clip' });
    const models = admin();
    const report = await models.verify('org/clip', true);
    expect(report).toMatchObject({ id: 'org/clip', ok: true, problems: [], graphsChecked: 2 });
    expect(report.filesChecked).toBeGreaterThan(2);
    expect(workers).toEqual({ launched: 1, disposed: 1 });

    await rm(join(dir, 'models', 'org--clip', 'onnx', 'text_model.onnx'));
    const broken = await models.verify('org/clip', false);
    expect(broken.ok).toBe(false);
    expect(broken.problems.join('\n')).toContain('onnx/text_model.onnx');
    await expect(models.verify('org/none', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pulls from a hub with progress, lists the model and checks its graphs', async () => {
    hub = await startFakeHub({ 'Xenova/cap': captionerRepo() });
    const models = admin(hub.url);
    const result = await models.pull({ repo: 'Xenova/cap' });
    expect(result.model).toMatchObject({ id: 'Xenova/cap', roles: ['captioner'], family: 'vit-gpt2', status: 'installed', bundled: false });
    expect(result.verify).toMatchObject({ ok: true, graphsChecked: 2 });
    const pulls = progress.filter((p) => p.kind === 'model-pull');
    expect(pulls.at(-1)).toMatchObject({ finished: true });
    expect(pulls.some((p) => p.phase.startsWith('File ') && p.total > 0)).toBe(true);
    // The total size is told before the first file arrives.
    const firstFile = pulls.findIndex((p) => p.phase.startsWith('File '));
    const plan = pulls.findIndex((p) => /^Pulling \d+ files, [\d.]+ KiB to download$/.test(p.phase));
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(plan).toBeLessThan(firstFile);
    expect(pulls[firstFile]!.phase).toMatch(/^File 1 of \d+ \([\d.]+ KiB in all\): /);
    expect(models.cancelPull()).toEqual({ cancelled: false });
  });

  it('refuses unknown families and weights types, a second pull at once, and reports a cancelled pull', async () => {
    const repo = captionerRepo();
    repo.files['onnx/encoder_model.onnx'] = Buffer.concat([repo.files['onnx/encoder_model.onnx']!, Buffer.alloc(64 * 1024)]);
    hub = await startFakeHub({ 'Xenova/cap': repo }, { trickle: { 'onnx/encoder_model.onnx': { chunk: 1024, delayMs: 5 } } });
    const models = admin(hub.url);
    await expect(models.pull({ repo: 'Xenova/cap', family: 'nope' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(models.pull({ repo: 'Xenova/cap', dtype: 'fp64' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const first = models.pull({ repo: 'Xenova/cap' });
    await expect(models.pull({ repo: 'Xenova/cap' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await new Promise((r) => setTimeout(r, 50));
    expect(models.cancelPull()).toEqual({ cancelled: true });
    await expect(first).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cancelled') });
    await expect(models.pull({ repo: 'org/missing' })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('org/missing') });
  });
});
