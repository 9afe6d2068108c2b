/**
 * The job host's queue semantics with a stand-in run kind (no worker process, items that take a
 * few milliseconds): one run at a time in queue order, pause and cancel of queued and running
 * runs, a project switch and a quit putting the running run back in the queue, a run left
 * 'running' by a killed process coming back paused once the runs API is used, and a run a live
 * CLI process holds left to it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/api.js';
import type { JobProgress } from '../../../shared/contract/schemas.js';
import type { RunStatus } from '../../../shared/contract/run-schemas.js';
import { modelProvenance } from '../../engine/model-provenance.js';
import { RunRunner } from '../../engine/run-runner.js';
import { writeCocoFixture, type CocoFixture } from '../../../tests/fixtures/make-images.js';
import { Project } from '../../storage/project.js';
import { newRunOwner } from '../../storage/repos/runs-repo.js';
import { createBackend, type Backend } from '../backend.js';
import { defineRunKind, selectedImageIds, type EngineClient } from './run-kind.js';
import { INTERRUPTED_NOTE } from './run-queue.js';

const silent = { error() {}, warn() {}, info() {} };
let root: string;
let fixture: CocoFixture;
let backend: Backend;
let itemMs = 15;
/** The stand-in worker "dies" on this item (once), as an out-of-memory worker would. */
let crashOnItem: number | null = null;
const computed: number[] = [];

const standIn = defineRunKind<object, object>({
  slots: [],
  settingsSchema: z.looseObject({}),
  defaults: { candidates: 2 },
  engineSettings: (settings) => ({ seed: settings.seed, models: {} }),
  create: (project, recorded, selection) => project.runs.create('suggest', recorded, selectedImageIds(project, selection)),
  modelDirs: () => ({ generator: '/models/gen' }),
  open: async () => ({
    models: {},
    opened: {
      ok: true,
      sessions: [
        { file: '/models/gen/unet/model.onnx', requestedProvider: 'cuda', provider: 'cpu', fallbackReason: 'cuda is not available (no library); using the CPU', inputs: [], outputs: [] },
      ],
    },
  }),
  execute: (project, runId, _models, options) =>
    new RunRunner(project.runs).run(
      runId,
      async (imageId) => {
        await new Promise((r) => setTimeout(r, itemMs));
        if (computed.length === crashOnItem) {
          crashOnItem = null;
          throw Object.assign(new Error('The inference worker stopped (SIGKILL)'), { code: 'WORKER_EXITED' });
        }
        computed.push(imageId);
        return {};
      },
      options,
    ),
});

function newBackend(): Backend {
  return createBackend({
    mode: 'browser',
    version: 'test',
    actor: 'tester',
    log: silent,
    runKinds: { suggest: standIn },
    launchWorker: () => ({ client: {} as EngineClient, exited: new Promise(() => {}), dispose: async () => {} }),
  });
}

async function call<M extends MethodName>(method: M, input: MethodInput<M>, on = backend): Promise<MethodOutput<M>> {
  const outcome = await on.dispatcher.dispatch(method, input, { actor: 'tester' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as MethodOutput<M>;
}

async function newProject(name: string): Promise<string> {
  const { path } = await call('project:create', { path: join(root, name) });
  await call('import:coco', { file: fixture.file, images: fixture.imagesDir });
  return path;
}

/** Resolves with the first job:progress event of `runId` that `match` accepts. */
function progressOf(runId: number, match: (p: JobProgress) => boolean, on = backend): Promise<JobProgress> {
  return new Promise((resolve) => {
    const stop = on.bus.subscribe((event, payload) => {
      const p = payload as JobProgress;
      if (event === 'job:progress' && p.runId === runId && match(p)) {
        stop();
        resolve(p);
      }
    });
  });
}
const stopped = (runId: number, on = backend) => progressOf(runId, (p) => p.finished, on);
const status = async (id: number, on = backend): Promise<RunStatus> => (await call('runs:get', { id }, on)).status;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-run-queue-'));
  fixture = await writeCocoFixture(join(root, 'coco'), 6);
});

afterEach(() => {
  backend?.dispose();
  itemMs = 15;
  crashOnItem = null;
  computed.length = 0;
});

describe('the run queue', () => {
  it('runs one run at a time in queue order, with progress, and records the provider each session got', async () => {
    backend = newBackend();
    await newProject('order');
    const a = await call('runs:start', { kind: 'suggest', selection: { limit: 3 } });
    const b = await call('runs:start', { kind: 'suggest', selection: { limit: 2 } });
    expect(a).toMatchObject({ status: 'queued', total: 3, settings: { candidates: 2, topP: 0.9, steps: 20 }, selection: { limit: 3 } });
    const progress: JobProgress[] = [];
    backend.bus.subscribe((_e, p) => progress.push(p as JobProgress));
    const bDone = stopped(b.id);
    expect(await status(b.id)).toBe('queued');
    await bDone;
    expect(await call('runs:list', {})).toMatchObject([
      { id: a.id, status: 'completed', done: 3 },
      { id: b.id, status: 'completed', done: 2 },
    ]);
    // b started only after a had finished.
    const firstOfB = progress.findIndex((p) => p.runId === b.id && p.status === 'running');
    const lastOfA = progress.findLastIndex((p) => p.runId === a.id);
    expect(firstOfB).toBeGreaterThan(lastOfA);
    expect(progress.filter((p) => p.runId === a.id && p.phase === 'running').at(-1)).toMatchObject({ done: 3, total: 3, itemsPerSecond: expect.any(Number) });
    expect((await call('runs:get', { id: a.id })).execution).toEqual({
      requested: 'cpu',
      inUse: 'cpu',
      fallbackReason: 'cuda is not available (no library); using the CPU',
      sessions: [expect.objectContaining({ slot: 'generator', requested: 'cuda', provider: 'cpu' })],
    });
  });

  it('pauses and cancels queued runs at once and running runs after their current image', async () => {
    backend = newBackend();
    await newProject('control');
    itemMs = 40;
    const a = await call('runs:start', { kind: 'suggest', selection: {} });
    const b = await call('runs:start', { kind: 'suggest', selection: { limit: 1 } });
    expect(await call('runs:pause', { id: b.id })).toMatchObject({ status: 'paused' });
    await progressOf(a.id, (p) => p.done >= 1);
    const paused = stopped(a.id);
    expect(await call('runs:pause', { id: a.id })).toMatchObject({ status: 'running', stopping: 'pause' });
    expect(await paused).toMatchObject({ status: 'paused', finished: true });
    const doneAtPause = (await call('runs:get', { id: a.id })).done;
    expect(doneAtPause).toBeLessThan(6);

    // Nothing starts while both are paused; resuming continues where the run stopped.
    await backend.runs.settled();
    const resumed = stopped(a.id);
    await call('runs:resume', { id: a.id });
    await progressOf(a.id, (p) => p.done > doneAtPause);
    await call('runs:cancel', { id: a.id });
    expect(await resumed).toMatchObject({ status: 'cancelled' });
    expect(new Set(computed).size).toBe(computed.length);

    expect(await call('runs:cancel', { id: b.id })).toMatchObject({ status: 'cancelled', done: 0 });
    await expect(call('runs:resume', { id: b.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(call('runs:pause', { id: a.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(call('runs:get', { id: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('puts the running run back in the queue when the project is switched, and continues it when it is opened again', async () => {
    backend = newBackend();
    itemMs = 30;
    const first = await newProject('switch-a');
    const a = await call('runs:start', { kind: 'suggest', selection: {} });
    await progressOf(a.id, (p) => p.done >= 1);
    const requeued = stopped(a.id);
    await newProject('switch-b');
    expect(await requeued).toMatchObject({ status: 'queued' });
    const done = stopped(a.id);
    await call('project:open', { path: first });
    expect(await done).toMatchObject({ status: 'completed', done: 6 });
    expect(new Set(computed).size).toBe(computed.length);
  });

  it('marks a run failed when its worker dies, and resumes it where it stopped', async () => {
    backend = newBackend();
    await newProject('crash');
    crashOnItem = 2;
    const run = await call('runs:start', { kind: 'suggest', selection: {} });
    const failed = stopped(run.id);
    expect(await failed).toMatchObject({ status: 'failed', done: 2, failed: 0 });
    expect(await call('runs:get', { id: run.id })).toMatchObject({ error: 'The inference worker stopped (SIGKILL)' });
    const done = stopped(run.id);
    await call('runs:resume', { id: run.id });
    expect(await done).toMatchObject({ status: 'completed', done: 6, failed: 0 });
    expect(computed).toHaveLength(6);
  });

  it('queues the running run again when the backend quits', async () => {
    backend = newBackend();
    itemMs = 30;
    const dir = await newProject('quit');
    const a = await call('runs:start', { kind: 'suggest', selection: {} });
    await progressOf(a.id, (p) => p.done >= 1);
    backend.dispose();
    const project = Project.open(dir);
    expect(project.runs.get(a.id)).toMatchObject({ status: 'queued' });
    project.dispose();
  });

  it('pauses a run a killed process left running, with a note, and resumes it on request', async () => {
    backend = newBackend();
    const dir = await newProject('killed');
    await call('runs:pause', { id: (await call('runs:start', { kind: 'suggest', selection: {} })).id });
    backend.dispose();
    const project = Project.open(dir);
    const [run] = project.runs.list();
    project.runs.setStatus(run!.id, 'running');
    project.dispose();

    backend = newBackend();
    await call('project:open', { path: dir });
    await call('datasets:list', {});
    // A backend that never serves runs (a one-shot CLI command such as import) leaves them alone.
    const untouched = Project.open(dir);
    expect(untouched.runs.get(run!.id)).toMatchObject({ status: 'running' });
    untouched.dispose();
    // The first runs call makes the host serve: the run comes back paused, with why.
    expect(await call('runs:get', { id: run!.id })).toMatchObject({ status: 'paused', error: INTERRUPTED_NOTE });
    const done = stopped(run!.id);
    await call('runs:resume', { id: run!.id });
    expect(await done).toMatchObject({ status: 'completed', done: 6 });
  });

  it('leaves a run a live CLI process holds alone, and recovers it once that process is gone', async () => {
    backend = newBackend();
    const dir = await newProject('held');
    const held = await call('runs:start', { kind: 'suggest', selection: { limit: 2 } });
    await call('runs:pause', { id: held.id });
    await backend.runs.settled();
    backend.dispose();
    // `roundtrip suggest --resume` claims the run, then spends seconds loading models.
    const cli = Project.open(dir);
    expect(cli.runs.claim(held.id, newRunOwner())).toBe(true);

    backend = newBackend();
    await call('project:open', { path: dir });
    const other = await call('runs:start', { kind: 'suggest', selection: { limit: 1 } });
    await stopped(other.id);
    await backend.runs.settled();
    expect(await call('runs:get', { id: held.id })).toMatchObject({ status: 'running', done: 0, error: null });
    expect(computed).toHaveLength(1);
    await expect(call('runs:pause', { id: held.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('another process') });

    // The CLI process is killed: its pid no longer exists on this machine.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    cli.db.prepare(`UPDATE runs SET owner = ? WHERE id = ?`).run(`${dead}@${hostname()}#0b0e`, held.id);
    cli.dispose();
    expect(await call('runs:get', { id: held.id })).toMatchObject({ status: 'paused', error: INTERRUPTED_NOTE });
    const done = stopped(held.id);
    await call('runs:resume', { id: held.id });
    expect(await done).toMatchObject({ status: 'completed', done: 2 });
  });

  it('pauses a run whose holder stopped beating (a process on another machine, or hung)', async () => {
    backend = newBackend();
    const dir = await newProject('stale');
    const run = await call('runs:start', { kind: 'suggest', selection: { limit: 1 } });
    await call('runs:pause', { id: run.id });
    await backend.runs.settled();
    backend.dispose();
    const project = Project.open(dir);
    project.runs.claim(run.id, newRunOwner());
    project.db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ?`).run(new Date(Date.now() - 31_000).toISOString(), run.id);
    project.dispose();

    backend = newBackend();
    await call('project:open', { path: dir });
    expect(await call('runs:get', { id: run.id })).toMatchObject({ status: 'paused', error: INTERRUPTED_NOTE });
  });

  it('refuses to resume a run whose recorded model changed, naming the model and file', async () => {
    backend = newBackend();
    const dir = await newProject('drift');
    const run = await call('runs:start', { kind: 'suggest', selection: { limit: 2 } });
    await call('runs:pause', { id: run.id });
    await backend.runs.settled();
    const modelDir = mkdtempSync(join(root, 'model-'));
    writeFileSync(join(modelDir, 'model.onnx'), 'weights v1');
    const project = Project.open(dir);
    const settings = { ...(project.runs.get(run.id)!.settings as object), models: { generator: await modelProvenance(modelDir) } };
    project.db.prepare(`UPDATE runs SET settings = ? WHERE id = ?`).run(JSON.stringify(settings), run.id);
    project.dispose();
    writeFileSync(join(modelDir, 'model.onnx'), 'weights v2');

    const failed = stopped(run.id);
    await call('runs:resume', { id: run.id });
    expect(await failed).toMatchObject({ status: 'failed', done: 0 });
    expect((await call('runs:get', { id: run.id })).error).toMatch(/^The generator model of run \d+ \(.*\) changed since the run was created: model\.onnx has sha256/);
    expect(computed).toEqual([]);
  });
});
