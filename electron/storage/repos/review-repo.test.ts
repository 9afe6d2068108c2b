import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';
import type { NewCandidate } from './runs-repo.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

/** Candidates as the suggest pipeline writes them: one row per sample, identical texts share score and rank. */
function sampled(scores: [text: string, similarity: number][]): NewCandidate[] {
  const distinct = [...new Set(scores.map(([t]) => t))];
  const sim = new Map(scores.map(([t, s]) => [t, s]));
  const ranked = [...distinct].sort((a, b) => sim.get(b)! - sim.get(a)!);
  return scores.map(([text, similarity], idx) => ({
    idx,
    source: 'sampled',
    text,
    similarity,
    rank: ranked.indexOf(text) + 1,
    reconstruction: `assets/reconstructions/r/${distinct.indexOf(text)}.png`,
  }));
}

/**
 * Five images in two splits. Scored by the run: 1 (top .9, margin .1), 2 (top .5, margin .4),
 * 3 (top .7, margin .02), 5 (one distinct caption, top .3). Image 4 is not in the run.
 */
function projectWithRun() {
  const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-review-')), 'p')));
  const train = p.datasets.ensure('/data/train', 'train', 'coco');
  const test = p.datasets.ensure('/data/test', 'test', 'coco');
  const ids = [train, train, test, test, test].map((ds, i) =>
    p.images.insert({ datasetId: ds.id, externalId: i + 1, relPath: `${i + 1}.png`, sha256: `h${i}`, bytes: 1, width: 8, height: 8 }),
  );
  const run = p.runs.create('suggest', {}, [ids[0]!, ids[1]!, ids[2]!, ids[4]!]);
  p.runs.completeItem(run.id, ids[0]!, { candidates: sampled([['a red circle', 0.9], ['a circle', 0.8], ['red', 0.1]]) });
  p.runs.completeItem(run.id, ids[1]!, { candidates: sampled([['blue', 0.1], ['a blue square', 0.5], ['blue', 0.1]]) });
  p.runs.completeItem(run.id, ids[2]!, { candidates: sampled([['x', 0.7], ['y', 0.68], ['z', 0.2]]) });
  p.runs.completeItem(run.id, ids[4]!, { candidates: sampled([['same', 0.3], ['same', 0.3]]) });
  return { p, ids, runId: run.id, train: train.id, test: test.id };
}

describe('ReviewRepo', () => {
  it('orders the queue by dataset, by uncertainty and by low similarity, unscored images last', () => {
    const { p, ids, runId } = projectWithRun();
    const order = (o: 'dataset' | 'uncertain' | 'low-similarity') => p.review.queue({ runId, order: o, offset: 0, limit: 10 }).items.map((e) => e.imageId);
    const [one, two, three, four, five] = ids;
    expect(order('dataset')).toEqual([one, two, three, four, five]);
    // Margins: 3 → .02, 1 → .1, 2 → .4; 5 has one distinct caption; 4 was never scored.
    expect(order('uncertain')).toEqual([three, one, two, five, four]);
    expect(order('low-similarity')).toEqual([five, two, three, one, four]);
    const first = p.review.queue({ runId, order: 'uncertain', offset: 0, limit: 1 });
    expect(first.total).toBe(5);
    expect(first.items[0]).toMatchObject({ imageId: three, status: 'undecided', similarity: 0.7 });
    expect(first.items[0]!.margin).toBeCloseTo(0.02, 9);
  });

  it('filters by status and split, and pages', () => {
    const { p, ids, runId, test } = projectWithRun();
    p.decisions.record({ imageId: ids[2]!, actor: 'ann', action: 'reject', finalText: null, referenceId: null, candidateId: null });
    const q = { runId, order: 'uncertain' as const, offset: 0, limit: 10 };
    expect(p.review.queue({ ...q, status: 'rejected' }).items.map((e) => e.imageId)).toEqual([ids[2]]);
    expect(p.review.queue({ ...q, status: 'undecided', datasetId: test })).toMatchObject({ total: 2, items: [{ imageId: ids[4] }, { imageId: ids[3] }] });
    expect(p.review.queue({ ...q, offset: 1, limit: 2 }).items.map((e) => e.imageId)).toEqual([ids[0], ids[1]]);
    // Without a run every image is unscored and the score orders fall back to dataset order.
    expect(p.review.queue({ ...q, runId: null }).items.map((e) => [e.imageId, e.similarity, e.margin])).toEqual(ids.map((id) => [id, null, null]));
  });

  it('pages after an image’s place, which stays right while decisions move images out of the filter', () => {
    const { p, ids, runId } = projectWithRun();
    const [one, two, three, four, five] = ids as [number, number, number, number, number];
    const q = { runId, order: 'uncertain' as const, status: 'undecided' as const, offset: 0, limit: 2 };
    const page1 = p.review.queue(q).items.map((e) => e.imageId);
    expect(page1).toEqual([three, one]);
    // The annotator decides both; an offset of 2 would now skip two images.
    for (const imageId of page1) p.decisions.record({ imageId, actor: 'ann', action: 'skip', finalText: null, referenceId: null, candidateId: null });
    expect(p.review.queue({ ...q, after: one })).toMatchObject({ total: 3, items: [{ imageId: two }, { imageId: five }] });
    expect(p.review.queue({ ...q, after: five }).items.map((e) => e.imageId)).toEqual([four]);
    expect(p.review.queue({ ...q, order: 'low-similarity', after: two }).items.map((e) => e.imageId)).toEqual([four]);
    expect(p.review.queue({ ...q, order: 'dataset', after: two, limit: 5 }).items.map((e) => e.imageId)).toEqual([four, five]);
    expect(p.review.queue({ ...q, after: four }).items).toEqual([]);
  });

  it('groups a run’s candidates by text, best first, with the margin to the next', () => {
    const { p, ids, runId } = projectWithRun();
    const two = p.review.candidates(runId, ids[1]!);
    expect(two.map((c) => [c.text, c.rank, c.samples, c.hasReconstruction])).toEqual([
      ['a blue square', 1, 1, true],
      ['blue', 2, 2, true],
    ]);
    expect(two[0]!.marginToNext).toBeCloseTo(0.4, 9);
    expect(two[1]!.marginToNext).toBeNull();
    // The first sample of a text stands for it.
    expect(two[1]!.id).toBeLessThan(p.runs.candidates(runId, ids[1]!).find((c) => c.idx === 2)!.id);
    expect(p.review.candidates(runId, ids[3]!)).toEqual([]);
  });

  it('finds the latest suggest run and a candidate by id', () => {
    const { p, ids, runId } = projectWithRun();
    const audit = p.runs.create('reference-audit', {}, [ids[0]!]);
    p.runs.completeItem(audit.id, ids[0]!, { candidates: [{ idx: 0, source: 'reference', text: 'ref', similarity: 0.5, rank: 1 }] });
    expect(p.review.latestSuggestRun()).toBe(runId);
    p.runs.create('suggest', {}, [ids[0]!]); // no finished image yet
    expect(p.review.latestSuggestRun()).toBe(runId);
    expect(p.review.latestRunFor(ids[0]!)).toBe(runId);
    expect(p.review.latestRunFor(ids[3]!)).toBeNull();
    expect(p.review.isSuggestRun(runId)).toBe(true);
    expect(p.review.isSuggestRun(audit.id)).toBe(false);

    const best = p.review.candidates(runId, ids[0]!)[0]!;
    expect(p.review.candidate(best.id)).toEqual({
      id: best.id,
      runId,
      imageId: ids[0],
      text: 'a red circle',
      reconstruction: 'assets/reconstructions/r/0.png',
      suggestion: true,
    });
    const reference = p.runs.candidates(audit.id, ids[0]!)[0]!;
    expect(p.review.candidate(reference.id)).toMatchObject({ suggestion: false });
    expect(p.review.candidate(99_999)).toBeUndefined();
  });
});
