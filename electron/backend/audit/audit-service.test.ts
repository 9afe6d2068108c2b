import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptionCorpus } from '../../metrics/caption-corpus.js';
import { Project } from '../../storage/project.js';
import type { NewCandidate } from '../../storage/repos/runs-repo.js';
import { type GridFilter, resolveImageFilter } from '../image-filter.js';
import { AuditService } from './audit-service.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

const REFS: Record<string, string[]> = {
  'monkey.png': ['a monkey on a branch', 'a small monkey in a tree', 'a brown monkey sitting on a branch'],
  'cat.png': ['a black cat on a sofa', 'a cat sleeping on a sofa'],
  'dog.png': ['a dog running on grass', 'a brown dog on the grass'],
};

/** Samples as the suggest pipeline writes them, ranked by similarity (identical texts share a rank). */
function sampled(scores: [text: string, similarity: number][]): NewCandidate[] {
  const ranked = [...new Set(scores.map(([t]) => t))].sort((a, b) => scores.find(([t]) => t === b)![1] - scores.find(([t]) => t === a)![1]);
  return scores.map(([text, similarity], idx) => ({ idx, source: 'sampled', text, similarity, rank: ranked.indexOf(text) + 1, reconstruction: null }));
}

function setup() {
  const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-audit-')), 'p')));
  const ds = p.datasets.ensure('/data/zoo', 'zoo', 'coco');
  const ids: Record<string, number> = {};
  for (const [i, [file, refs]] of Object.entries(REFS).entries()) {
    ids[file] = p.images.insert({ datasetId: ds.id, externalId: i + 1, relPath: file, sha256: `h${i}`, bytes: 1, width: 8, height: 8 });
    refs.forEach((text) => p.references.add(ids[file]!, text, null));
  }
  const suggest = p.runs.create('suggest', {}, Object.values(ids));
  // The monkey: the model's best drawing is its "lemur" caption, which no reference uses.
  p.runs.completeItem(suggest.id, ids['monkey.png']!, {
    candidates: sampled([['a lemur in a tree', 0.9], ['a small monkey in a tree', 0.7], ['a lemur in a tree', 0.9]]),
  });
  // The cat: the suggestion is the reference-like caption, so no disagreement.
  p.runs.completeItem(suggest.id, ids['cat.png']!, { candidates: sampled([['a cat sleeping on a sofa', 0.8], ['a lemur on a sofa', 0.6]]) });
  // The dog: a mild disagreement.
  p.runs.completeItem(suggest.id, ids['dog.png']!, { candidates: sampled([['a dog on grass', 0.8], ['a brown dog running on the grass', 0.75]]) });
  return { p, ids, suggest: suggest.id };
}

describe('AuditService', () => {
  it('lists images whose reconstruction-best caption is not the CIDEr-D best, strongest first, with the report’s CIDEr-D', async () => {
    const { p, ids, suggest } = setup();
    const audit = new AuditService();
    const result = await audit.disagreements(p, { offset: 0, limit: 50 });
    expect(result).toMatchObject({ runId: suggest, images: 3, total: 2, note: null });
    expect(result.items.map((d) => d.fileName)).toEqual(['monkey.png', 'dog.png']);
    const [monkey, dog] = result.items;
    expect(monkey).toMatchObject({
      imageId: ids['monkey.png'],
      status: 'undecided',
      reconstructionBest: { text: 'a lemur in a tree', rank: 1, similarity: 0.9 },
      captionBest: { text: 'a small monkey in a tree', rank: 2, similarity: 0.7 },
    });
    expect(monkey!.similarityGap).toBeCloseTo(0.2, 9);
    expect(monkey!.ciderGap).toBeGreaterThan(dog!.ciderGap);
    expect(dog!.ciderGap).toBeGreaterThan(0);

    // The same figures as the evaluation report's corpus over the run's images.
    const order = ['monkey.png', 'cat.png', 'dog.png'];
    const corpus = new CaptionCorpus(order.map((f) => ids[f]!), new Map(order.map((f) => [ids[f]!, REFS[f]!])));
    expect(monkey!.captionBest.cider).toBeCloseTo(corpus.score(0, 'a small monkey in a tree').scores.CIDEr, 12);
    expect(monkey!.reconstructionBest.cider).toBeCloseTo(corpus.score(0, 'a lemur in a tree').scores.CIDEr, 12);

    const second = await audit.disagreements(p, { offset: 1, limit: 1 });
    expect(second.items.map((d) => d.fileName)).toEqual(['dog.png']);
    expect(second.total).toBe(2);
  });

  it('finds words only the captions use and words only the references use, with what the other side says instead', async () => {
    const { p, ids } = setup();
    const audit = new AuditService();
    const model = await audit.vocabulary(p, { side: 'model', offset: 0, limit: 50 });
    const lemur = model.items.find((w) => w.word === 'lemur');
    expect(lemur).toMatchObject({ images: 2, uses: 2, otherSideImages: 0 });
    expect(lemur!.examples).toEqual([
      { imageId: ids['monkey.png'], fileName: 'monkey.png' },
      { imageId: ids['cat.png'], fileName: 'cat.png' },
    ]);
    // "tree" is a word of the monkey's references too: not a difference.
    expect(model.items.map((w) => w.word)).not.toContain('tree');
    expect(model.items[0]!.word).toBe('lemur');

    const reference = await audit.vocabulary(p, { side: 'reference', offset: 0, limit: 50 });
    const branch = reference.items.find((w) => w.word === 'branch');
    expect(branch).toMatchObject({ images: 1, uses: 2, otherSideImages: 0, examples: [{ imageId: ids['monkey.png'], fileName: 'monkey.png' }] });
    expect(branch!.instead.map((i) => i.word)).toEqual(['lemur']);
    expect(reference.items.find((w) => w.word === 'monkey')).toBeUndefined();

    const searched = await audit.vocabulary(p, { side: 'reference', search: 'SIT', offset: 0, limit: 50 });
    expect(searched.items.map((w) => w.word)).toEqual(['sitting']);
    expect(searched.total).toBe(1);
  });

  it('pages the weakest references of a reference audit, each with its image’s best', async () => {
    const { p, ids } = setup();
    const monkey = ids['monkey.png']!;
    const refs = p.references.forImage(monkey);
    const run = p.runs.create('reference-audit', {}, [monkey]);
    p.runs.completeItem(run.id, monkey, {
      candidates: refs.map((r, idx) => ({ idx, source: 'reference', referenceId: r.id, text: r.text, similarity: [0.8, 0.3, 0.6][idx]!, rank: [1, 3, 2][idx]! })),
    });
    const audit = new AuditService();
    const page = audit.weakReferences(p, { offset: 0, limit: 2 });
    expect(page).toMatchObject({ runId: run.id, total: 3, note: null });
    expect(page.items.map((w) => [w.text, w.fileName])).toEqual([
      [refs[1]!.text, 'monkey.png'],
      [refs[2]!.text, 'monkey.png'],
    ]);
    expect(page.items[0]!.gap).toBeCloseTo(0.5, 9);
    expect(page.items[0]!.best).toMatchObject({ text: refs[0]!.text, similarity: 0.8 });
    expect(audit.weakReferences(p, { offset: 2, limit: 2 }).items.map((w) => w.gap)).toEqual([0]);
  });

  it('says when there is no run, refuses a run of the wrong kind, and follows a run as it finishes images', async () => {
    const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-audit-')), 'p')));
    const audit = new AuditService();
    expect(await audit.disagreements(p, { offset: 0, limit: 5 })).toMatchObject({ runId: null, total: 0, note: expect.stringContaining('No suggest run') });
    expect(audit.weakReferences(p, { offset: 0, limit: 5 })).toMatchObject({ runId: null, note: expect.stringContaining('No reference audit') });
    project.dispose();

    const { p: q, ids, suggest } = setup();
    expect(() => audit.weakReferences(q, { runId: suggest, offset: 0, limit: 5 })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const extra = q.images.insert({ datasetId: 1, externalId: 9, relPath: 'owl.png', sha256: 'h9', bytes: 1, width: 8, height: 8 });
    q.references.add(extra, 'an owl on a branch', null);
    const running = q.runs.create('suggest', {}, [ids['monkey.png']!, ids['cat.png']!, extra]);
    q.runs.completeItem(running.id, ids['monkey.png']!, { candidates: sampled([['a lemur', 0.9], ['a monkey on a branch', 0.8]]) });
    q.runs.completeItem(running.id, ids['cat.png']!, { candidates: sampled([['a cat on a sofa', 0.9]]) });
    const partial = await audit.disagreements(q, { runId: running.id, offset: 0, limit: 5 });
    expect(partial).toMatchObject({ images: 2, total: 1, note: expect.stringContaining('2 of 3 image(s) done') });
    q.runs.completeItem(running.id, extra, { candidates: sampled([['a bird', 0.9], ['an owl on a branch', 0.5]]) });
    expect((await audit.disagreements(q, { runId: running.id, offset: 0, limit: 5 })).total).toBe(2);
  });
});

describe('the grid filter over the latest suggest run', () => {
  const list = async (p: Project, audit: AuditService, filter: GridFilter) =>
    p.images.list({ ...(await resolveImageFilter(p, audit, filter)), offset: 0, limit: 50 });

  it('keeps the images whose suggestion scored within the similarity range, and those that disagree', async () => {
    const { p, ids } = setup();
    const audit = new AuditService();
    const names = async (filter: GridFilter) => (await list(p, audit, filter)).items.map((i) => i.fileName);
    // Suggestions: monkey 0.9, cat 0.8, dog 0.8.
    expect(await names({ similarityMin: 0.85 })).toEqual(['monkey.png']);
    expect(await names({ similarityMax: 0.8 })).toEqual(['cat.png', 'dog.png']);
    expect(await names({ similarityMin: 0.8, similarityMax: 0.8 })).toEqual(['cat.png', 'dog.png']);
    expect(await names({ similarityMin: 0.95 })).toEqual([]);
    // The same images the audit view lists, in grid order.
    expect(await names({ disagreement: true })).toEqual(['monkey.png', 'dog.png']);
    expect(await list(p, audit, { disagreement: true, similarityMax: 0.85 })).toMatchObject({ total: 1, items: [{ fileName: 'dog.png' }] });
    expect(await names({ disagreement: false })).toHaveLength(3);
    // Stepping through images stays within the filter.
    expect(p.images.neighbours(ids['monkey.png']!, await resolveImageFilter(p, audit, { disagreement: true }))).toEqual({ previous: null, next: ids['dog.png'] });
  });

  it('keeps the images where one side alone uses a word, as the vocabulary lists them', async () => {
    const { p, suggest } = setup();
    const audit = new AuditService();
    const names = async (filter: GridFilter) => (await list(p, audit, filter)).items.map((i) => i.fileName);
    expect(await names({ word: { side: 'model', word: 'lemur' } })).toEqual(['monkey.png', 'cat.png']);
    expect(await names({ word: { side: 'model', word: 'Lemur', runId: suggest } })).toEqual(['monkey.png', 'cat.png']);
    expect(await names({ word: { side: 'reference', word: 'branch' } })).toEqual(['monkey.png']);
    // A word both sides use for an image is no difference there; an unknown word matches nothing.
    expect(await names({ word: { side: 'reference', word: 'tree' } })).toEqual([]);
    expect(await names({ word: { side: 'model', word: 'zebra' } })).toEqual([]);
    // With the other filters: the lemur images whose suggestion disagrees with the references.
    expect(await names({ word: { side: 'model', word: 'lemur' }, disagreement: true })).toEqual(['monkey.png']);
    await expect(list(p, audit, { word: { side: 'model', word: 'lemur', runId: 999 } })).rejects.toThrow('There is no suggest run 999');
  });

  it('matches nothing while no suggest run has results', async () => {
    const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-filter-')), 'p')));
    const ds = p.datasets.ensure('/data', 'd', 'folder');
    p.images.insert({ datasetId: ds.id, externalId: null, relPath: 'a.png', sha256: 'h', bytes: 1, width: 1, height: 1 });
    const audit = new AuditService();
    expect(await list(p, audit, {})).toMatchObject({ total: 1 });
    expect(await list(p, audit, { similarityMin: 0 })).toMatchObject({ total: 0, items: [] });
    expect(await list(p, audit, { disagreement: true })).toMatchObject({ total: 0, items: [] });
    expect(await list(p, audit, { word: { side: 'model', word: 'lemur' } })).toMatchObject({ total: 0, items: [] });
  });
});
