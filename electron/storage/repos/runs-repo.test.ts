import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';
import { newRunOwner, parseRunOwner, RUN_CLAIM_STALE_MS, RunsRepo } from './runs-repo.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

function projectWithImages(count: number): { project: Project; ids: number[] } {
  project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-runs-')), 'p'));
  const ds = project.datasets.ensure('/data', 'data', 'folder');
  const ids = Array.from({ length: count }, (_, i) =>
    project!.images.insert({ datasetId: ds.id, externalId: null, relPath: `${i}.png`, sha256: 'h', bytes: 1, width: 1, height: 1 }),
  );
  return { project, ids };
}

describe('RunsRepo', () => {
  it('records settings and walks items in order, each finished once with its candidates', () => {
    const { project: p, ids } = projectWithImages(3);
    const settings = { candidates: 10, sampler: { strategy: 'sample', topP: 0.9 }, seed: 1, models: { captioner: 'demo@1' } };
    const run = p.runs.create('suggest', settings, [ids[2]!, ids[0]!, ids[1]!]);
    expect(run).toMatchObject({ kind: 'suggest', status: 'queued', settings, total: 3, done: 0 });
    expect(p.runs.pendingItems(run.id, 2)).toEqual([ids[2], ids[0]]);

    p.runs.completeItem(run.id, ids[2]!, {
      candidates: [
        { idx: 0, source: 'sampled', text: 'a red circle', logProb: -2.5, seed: 11, similarity: 0.9, rank: 1 },
        { idx: 1, source: 'sampled', text: 'a blue square', logProb: -3, seed: 12, similarity: 0.4, rank: 2 },
      ],
      timings: { caption: 12, generate: 40 },
    });
    expect(p.runs.pendingItems(run.id, 10)).toEqual([ids[0], ids[1]]);
    expect(p.runs.get(run.id)).toMatchObject({ done: 1, failed: 0 });
    expect(p.runs.candidates(run.id, ids[2]!).map((c) => [c.text, c.rank])).toEqual([
      ['a red circle', 1],
      ['a blue square', 2],
    ]);
    // Finishing an item twice would mean computing it twice: refused, and nothing is added.
    expect(() => p.runs.completeItem(run.id, ids[2]!, { candidates: [{ idx: 5, source: 'sampled', text: 'x' }] })).toThrow(/not pending/);
    expect(p.runs.candidates(run.id, ids[2]!)).toHaveLength(2);
  });

  it('keeps an item pending when storing its results fails half-way', () => {
    const { project: p, ids } = projectWithImages(1);
    const run = p.runs.create('suggest', {}, ids);
    const duplicateIdx = [
      { idx: 0, source: 'sampled' as const, text: 'one' },
      { idx: 0, source: 'sampled' as const, text: 'same idx' },
    ];
    expect(() => p.runs.completeItem(run.id, ids[0]!, { candidates: duplicateIdx })).toThrow(/UNIQUE/);
    expect(p.runs.pendingItems(run.id, 10)).toEqual(ids);
    expect(p.runs.candidates(run.id, ids[0]!)).toEqual([]);
  });

  it('survives reopening: status, failures and pending items persist', () => {
    const { project: p, ids } = projectWithImages(2);
    const run = p.runs.create('reference-audit', { steps: 20 }, ids);
    p.runs.setStatus(run.id, 'running');
    p.runs.failItem(run.id, ids[0]!, 'image unreadable');
    const dir = p.dir;
    p.dispose();
    project = Project.open(dir);
    expect(project.runs.get(run.id)).toMatchObject({ status: 'running', done: 0, failed: 1, total: 2 });
    expect(project.runs.pendingItems(run.id, 10)).toEqual([ids[1]]);
    expect(project.runs.list().map((r) => r.id)).toEqual([run.id]);
  });

  it('retries failed items: they become pending again and a completed run becomes resumable', () => {
    const { project: p, ids } = projectWithImages(3);
    const run = p.runs.create('suggest', { seed: 1 }, ids);
    p.runs.completeItem(run.id, ids[0]!, { candidates: [] });
    p.runs.failItem(run.id, ids[1]!, 'disk full');
    p.runs.failItem(run.id, ids[2]!, 'disk full');
    p.runs.setStatus(run.id, 'completed', '2 item(s) failed');
    expect(p.runs.retryFailed(run.id)).toBe(2);
    expect(p.runs.get(run.id)).toMatchObject({ status: 'paused', done: 1, failed: 0, error: null });
    expect(p.runs.pendingItems(run.id, 10)).toEqual([ids[1], ids[2]]);
    expect(p.runs.retryFailed(run.id)).toBe(0);
  });

  it('stores an item’s generated images with it, in one transaction, and lists them by reference and seed', () => {
    const { project: p, ids } = projectWithImages(2);
    const ref = p.db.prepare(`INSERT INTO reference_captions (image_id, external_id, text) VALUES (?, NULL, 'a red circle')`).run(ids[0]!).lastInsertRowid;
    const run = p.runs.create('verify-images', { imagesPerText: 2 }, ids);
    const row = (idx: number, rank: number) => ({
      referenceId: Number(ref),
      text: 'a red circle',
      idx,
      seed: 40 + idx,
      path: `assets/generated/1/${ids[0]}/${ref}-${idx}.png`,
      recaption: idx ? 'a red ball' : 'a red circle',
      textSimilarity: 1 - idx / 10,
      cider: 2 - idx,
      realSimilarity: 0.5,
      rank,
    });
    expect(() => p.runs.completeItem(run.id, ids[0]!, { generatedImages: [row(1, 2), row(1, 1)] })).toThrow(/UNIQUE/);
    expect(p.runs.pendingItems(run.id, 10)).toEqual(ids);
    expect(p.runs.generatedImages(run.id, ids[0]!)).toEqual([]);

    p.runs.completeItem(run.id, ids[0]!, { generatedImages: [row(1, 2), row(0, 1)] });
    expect(p.runs.generatedImages(run.id, ids[0]!)).toEqual([row(0, 1), row(1, 2)].map((r) => expect.objectContaining({ ...r, runId: run.id, imageId: ids[0] })));
    expect(p.runs.itemImageIds(run.id)).toEqual(ids);
    expect(p.runs.pendingItems(run.id, 10)).toEqual([ids[1]]);
  });

  it('lists a reference audit’s references weakest first, by the gap below their image’s best reference', () => {
    const { project: p, ids } = projectWithImages(2);
    const run = p.runs.create('reference-audit', {}, ids);
    const refs = (imageId: number, sims: number[]) =>
      sims.map((similarity, idx) => ({ idx, source: 'reference' as const, text: `ref ${imageId}.${idx}`, similarity, rank: 1 + sims.filter((s) => s > similarity).length }));
    p.runs.completeItem(run.id, ids[0]!, { candidates: refs(ids[0]!, [0.9, 0.5]) });
    // A hard image: every reference scores low, but only the one far below its best is weak.
    p.runs.completeItem(run.id, ids[1]!, { candidates: refs(ids[1]!, [0.3, 0.28]) });
    const weakest = p.runs.weakestReferences(run.id, 3);
    expect(weakest.map((w) => [w.text, Number(w.gap.toFixed(2))])).toEqual([
      [`ref ${ids[0]}.1`, 0.4],
      [`ref ${ids[1]}.1`, 0.02],
      [`ref ${ids[1]}.0`, 0],
    ]);
  });

  it('lets one process at a time hold a run: claim, heartbeat and release', () => {
    const { project: p, ids } = projectWithImages(2);
    const run = p.runs.create('suggest', {}, ids);
    const [a, b] = [newRunOwner(), newRunOwner()];
    expect(a).not.toBe(b);
    expect(parseRunOwner(a)).toEqual({ pid: process.pid, host: hostname() });

    expect(p.runs.claim(run.id, a)).toBe(true);
    expect(p.runs.get(run.id)).toMatchObject({ status: 'running' });
    expect(p.runs.holder(run.id)).toEqual({ owner: a, heartbeatAt: expect.any(String) });
    expect(p.runs.claim(run.id, b)).toBe(false);
    expect(p.runs.heartbeat(run.id, a)).toBe(true);
    expect(p.runs.heartbeat(run.id, b)).toBe(false);
    expect(p.runs.release(run.id, b, 'paused')).toBe(false);
    expect(() => p.runs.completeItem(run.id, ids[0]!, {}, b)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(p.runs.pendingItems(run.id, 10)).toEqual(ids);
    p.runs.completeItem(run.id, ids[0]!, {}, a);

    expect(p.runs.release(run.id, a, 'paused')).toBe(true);
    expect(p.runs.holder(run.id)).toBeUndefined();
    expect(p.runs.heartbeat(run.id, a)).toBe(false);
    expect(p.runs.claim(run.id, b)).toBe(true);
    expect(p.runs.release(run.id, b, 'completed')).toBe(true);
    expect(p.runs.claim(run.id, a)).toBe(false);
  });

  it('hands over a run whose holder stopped beating, and refuses the old holder’s writes', () => {
    const { project: p, ids } = projectWithImages(2);
    const run = p.runs.create('suggest', {}, ids);
    const [a, b] = [newRunOwner(), newRunOwner()];
    expect(p.runs.claim(run.id, a)).toBe(true);
    const later = new RunsRepo(p.db, () => new Date(Date.now() + RUN_CLAIM_STALE_MS + 1_000));
    expect(later.isAbandoned(later.holder(run.id)!)).toBe(true);
    expect(p.runs.isAbandoned(p.runs.holder(run.id)!)).toBe(false);
    expect(later.claim(run.id, b)).toBe(true);

    expect(p.runs.heartbeat(run.id, a)).toBe(false);
    expect(() => p.runs.failItem(run.id, ids[0]!, 'late', a)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(p.runs.pendingItems(run.id, 10)).toEqual(ids);
    later.completeItem(run.id, ids[0]!, {}, b);
    expect(p.runs.get(run.id)).toMatchObject({ status: 'running', done: 1, failed: 0 });
  });

  it('treats a run held by a dead process of this machine, or by nobody, as abandoned at once', () => {
    const { project: p, ids } = projectWithImages(1);
    const run = p.runs.create('suggest', {}, ids);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const at = new Date().toISOString();
    const hold = (owner: string | null) => p.db.prepare(`UPDATE runs SET status = 'running', owner = ?, heartbeat_at = ? WHERE id = ?`).run(owner, at, run.id);

    hold(`${process.pid}@${hostname()}#00aa`);
    expect(p.runs.releaseAbandoned(run.id, 'paused', 'interrupted')).toBe(false);
    // Another machine's process cannot be looked up: only its heartbeat going stale counts.
    hold(`${dead}@elsewhere.example#00aa`);
    expect(p.runs.claim(run.id, newRunOwner())).toBe(false);

    hold(`${dead}@${hostname()}#00aa`);
    expect(p.runs.releaseAbandoned(run.id, 'paused', 'interrupted')).toBe(true);
    expect(p.runs.get(run.id)).toMatchObject({ status: 'paused', error: 'interrupted' });
    expect(p.runs.holder(run.id)).toBeUndefined();

    // 'running' without an owner: left by a version before run ownership.
    p.runs.setStatus(run.id, 'running');
    expect(p.runs.claim(run.id, newRunOwner())).toBe(true);
  });
});
