import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';

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
});
