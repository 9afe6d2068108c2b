import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../storage/project.js';
import { newRunOwner, RUN_CLAIM_STALE_MS, RunsRepo } from '../storage/repos/runs-repo.js';
import { RunRunner, type ProcessItem, type RunProgress } from './run-runner.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

function setup(count: number) {
  project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-runner-')), 'p'));
  const ds = project.datasets.ensure('/data', 'data', 'folder');
  const ids = Array.from({ length: count }, (_, i) =>
    project!.images.insert({ datasetId: ds.id, externalId: null, relPath: `${i}.png`, sha256: 'h', bytes: 1, width: 1, height: 1 }),
  );
  const run = project.runs.create('suggest', { n: 2 }, ids);
  return { p: project, ids, runId: run.id };
}

/** A deterministic stand-in for the reconstruction pipeline that records what it computed. */
function recordingPipeline(computed: number[], failOn?: number): ProcessItem {
  return async (imageId) => {
    computed.push(imageId);
    if (imageId === failOn) throw new Error(`image ${imageId} is unreadable`);
    return { candidates: [{ idx: 0, source: 'sampled', text: `caption of ${imageId}`, similarity: 1 / imageId, rank: 1 }] };
  };
}

describe('RunRunner', () => {
  it('computes every item once, records failures, and reports progress with an ETA', async () => {
    const { p, ids, runId } = setup(4);
    const computed: number[] = [];
    const progress: RunProgress[] = [];
    let t = 0;
    const runner = new RunRunner(p.runs, () => (t += 500));
    const outcome = await runner.run(runId, recordingPipeline(computed, ids[1]), { onProgress: (x) => progress.push(x) });
    expect(outcome).toEqual({ status: 'completed', processed: 4 });
    expect(computed).toEqual(ids);
    expect(p.runs.get(runId)).toMatchObject({ status: 'completed', done: 3, failed: 1, error: '1 item(s) failed' });
    expect(progress.map((x) => x.done + x.failed)).toEqual([0, 1, 2, 3, 4]);
    expect(progress[0]!.etaSeconds).toBeNull();
    expect(progress[2]!.etaSeconds).toBeGreaterThan(0);
    expect(progress.at(-1)!.etaSeconds).toBe(0);
  });

  it('pauses between items and resumes where it stopped, computing nothing twice', async () => {
    const { p, ids, runId } = setup(5);
    const computed: number[] = [];
    const runner = new RunRunner(p.runs);
    const pauseAfterTwo = { requested: () => (computed.length >= 2 ? ('pause' as const) : null) };
    expect(await runner.run(runId, recordingPipeline(computed), { control: pauseAfterTwo })).toEqual({ status: 'paused', processed: 2 });
    expect(p.runs.get(runId)).toMatchObject({ status: 'paused', done: 2 });
    expect(await runner.run(runId, recordingPipeline(computed))).toEqual({ status: 'completed', processed: 3 });
    expect(computed).toEqual(ids);
    expect(await runner.run(runId, recordingPipeline(computed))).toEqual({ status: 'completed', processed: 0 });
  });

  it('stops a run whose worker died instead of failing every remaining item', async () => {
    const { p, runId } = setup(3);
    const dead: ProcessItem = async () => {
      throw Object.assign(new Error('The inference worker stopped (SIGKILL)'), { code: 'WORKER_EXITED' });
    };
    await expect(new RunRunner(p.runs).run(runId, dead)).rejects.toMatchObject({ code: 'WORKER_EXITED' });
    expect(p.runs.get(runId)).toMatchObject({ status: 'failed', done: 0, failed: 0 });
    expect(p.runs.pendingItems(runId, 10)).toHaveLength(3);
  });

  it('cancels without touching the remaining items', async () => {
    const { p, runId } = setup(3);
    const computed: number[] = [];
    const outcome = await new RunRunner(p.runs).run(runId, recordingPipeline(computed), { control: { requested: () => (computed.length ? 'cancel' : null) } });
    expect(outcome).toEqual({ status: 'cancelled', processed: 1 });
    expect(p.runs.pendingItems(runId, 10)).toHaveLength(2);
    expect(await new RunRunner(p.runs).run(runId, recordingPipeline(computed))).toEqual({ status: 'cancelled', processed: 0 });
  });

  it('lets only one of two runners racing on a run execute it: every item computed once', async () => {
    const { p, ids, runId } = setup(5);
    const a: number[] = [];
    const b: number[] = [];
    const outcomes = await Promise.all([new RunRunner(p.runs).run(runId, recordingPipeline(a)), new RunRunner(p.runs).run(runId, recordingPipeline(b))]);
    expect(outcomes).toEqual([
      { status: 'completed', processed: 5 },
      { status: 'lost', processed: 0 },
    ]);
    expect([...a, ...b]).toEqual(ids);
    expect(p.runs.get(runId)).toMatchObject({ status: 'completed', done: 5 });
    expect(p.runs.holder(runId)).toBeUndefined();
  });

  it('stops quietly, storing nothing more, once a process that found it stale took the run over', async () => {
    const { p, ids, runId } = setup(5);
    // The second process's clock is past the staleness window: the first one looks dead to it.
    const later = new RunsRepo(p.db, () => new Date(Date.now() + RUN_CLAIM_STALE_MS + 1_000));
    const first: number[] = [];
    const second: number[] = [];
    let takeover: Promise<unknown> | undefined;
    const stalled: ProcessItem = async (imageId) => {
      first.push(imageId);
      if (first.length === 3) {
        takeover = new RunRunner(later).run(runId, recordingPipeline(second));
        await takeover;
        // Fails late (the old bug: failItem threw CONFLICT inside the error handler).
        throw new Error('out of memory');
      }
      return {};
    };
    expect(await new RunRunner(p.runs).run(runId, stalled)).toEqual({ status: 'lost', processed: 2 });
    expect(await takeover).toEqual({ status: 'completed', processed: 3 });
    expect(second).toEqual(ids.slice(2));
    expect(p.runs.get(runId)).toMatchObject({ status: 'completed', done: 5, failed: 0, error: null });
  });

  it('executes under the claim its caller took, and not under one it no longer holds', async () => {
    const { p, ids, runId } = setup(2);
    const owner = newRunOwner();
    const computed: number[] = [];
    expect(p.runs.claim(runId, owner)).toBe(true);
    expect(await new RunRunner(p.runs).run(runId, recordingPipeline(computed))).toEqual({ status: 'lost', processed: 0 });
    expect(await new RunRunner(p.runs).run(runId, recordingPipeline(computed), { control: { requested: () => null, owner: newRunOwner() } })).toEqual({
      status: 'lost',
      processed: 0,
    });
    expect(computed).toEqual([]);
    expect(await new RunRunner(p.runs).run(runId, recordingPipeline(computed), { control: { requested: () => null, owner } })).toEqual({ status: 'completed', processed: 2 });
    expect(computed).toEqual(ids);
  });
});
