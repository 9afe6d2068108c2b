import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { ReviewService } from './review-service.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

/** Two images; the first has a reference and a suggest run's two candidates, the second a reference audit's scored reference. */
function reviewWorld() {
  const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-review-service-')), 'p')));
  const ds = p.datasets.ensure('/data', 'data', 'coco');
  const [one, two] = [1, 2].map((n) => p.images.insert({ datasetId: ds.id, externalId: n, relPath: `${n}.png`, sha256: `h${n}`, bytes: 1, width: 8, height: 8 })) as [number, number];
  p.references.add(one, 'a small monkey', 11);
  p.references.add(two, 'a blue square', 12);
  const [refOne, refTwo] = [p.references.forImage(one)[0]!.id, p.references.forImage(two)[0]!.id];
  const suggest = p.runs.create('suggest', {}, [one]);
  p.runs.completeItem(suggest.id, one, {
    candidates: [
      { idx: 0, source: 'sampled', text: 'a lemur on a branch', similarity: 0.9, rank: 1 },
      { idx: 1, source: 'sampled', text: 'a monkey', similarity: 0.5, rank: 2 },
    ],
  });
  const audit = p.runs.create('reference-audit', {}, [two]);
  p.runs.completeItem(audit.id, two, { candidates: [{ idx: 0, source: 'reference', referenceId: refTwo, text: 'a blue square', similarity: 0.4, rank: 1 }] });
  const candidates = p.review.candidates(suggest.id, one);
  const scoredReference = p.db.prepare(`SELECT id FROM candidates WHERE run_id = ?`).pluck().get(audit.id) as number;
  return { p, one, two, refOne, refTwo, suggestRun: suggest.id, best: candidates[0]!, scoredReference, review: new ReviewService(() => p) };
}

describe('ReviewService decisions', () => {
  it('accepting a reference or a candidate stores its text; the detail shows it as the decision in force', () => {
    const { one, refOne, best, suggestRun, review } = reviewWorld();
    const byReference = review.record({ imageId: one, action: 'accept', referenceId: refOne }, 'ann');
    expect(byReference.decision).toMatchObject({ action: 'accept', finalText: 'a small monkey', referenceId: refOne, candidateId: null, runId: null, actor: 'ann' });
    const byCandidate = review.record({ imageId: one, action: 'accept', candidateId: best.id }, 'ann');
    expect(byCandidate).toMatchObject({ status: 'accepted', caption: 'a lemur on a branch' });
    expect(byCandidate.decision).toMatchObject({ finalText: 'a lemur on a branch', candidateId: best.id, runId: suggestRun });
    expect(byCandidate.history.map((d) => d.finalText)).toEqual(['a small monkey', 'a lemur on a branch']);
  });

  it('an accept that carries its own text stores that text; an edit is trimmed; a reject or skip stores none', () => {
    const { one, refOne, review } = reviewWorld();
    expect(review.record({ imageId: one, action: 'accept', referenceId: refOne, finalText: 'a small grey monkey' }, 'ann').decision?.finalText).toBe('a small grey monkey');
    expect(review.record({ imageId: one, action: 'edit', finalText: '  a lemur  ' }, 'ann')).toMatchObject({ status: 'edited', caption: 'a lemur' });
    expect(review.record({ imageId: one, action: 'reject', finalText: 'ignored' }, 'ann').decision).toMatchObject({ action: 'reject', finalText: null });
    expect(review.record({ imageId: one, action: 'skip' }, 'ann').decision).toMatchObject({ action: 'skip', finalText: null });
  });

  it('refuses an empty caption, a foreign reference, a scored reference as a candidate, both at once, and an unknown image, recording nothing', () => {
    const { p, one, two, refOne, refTwo, best, scoredReference, review } = reviewWorld();
    const refused = (choice: Parameters<ReviewService['record']>[0]) => {
      try {
        review.record(choice, 'ann');
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
      throw new Error('recorded');
    };
    expect(refused({ imageId: one, action: 'edit', finalText: '   ' })).toMatchObject({ code: 'INVALID_INPUT', message: 'A caption cannot be empty; reject the image instead.' });
    expect(refused({ imageId: one, action: 'accept' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(refused({ imageId: one, action: 'accept', referenceId: refTwo })).toMatchObject({ code: 'NOT_FOUND', message: `Reference ${refTwo} does not belong to image ${one}.` });
    expect(refused({ imageId: two, action: 'accept', candidateId: scoredReference })).toMatchObject({ code: 'NOT_FOUND', message: `Candidate ${scoredReference} is not a suggestion for image ${two}.` });
    expect(refused({ imageId: two, action: 'accept', candidateId: best.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused({ imageId: one, action: 'accept', referenceId: refOne, candidateId: best.id })).toMatchObject({ code: 'INVALID_INPUT', message: 'A decision takes a reference or a candidate, not both.' });
    // The image is checked first: an unknown image is NOT_FOUND whatever else is wrong.
    expect(refused({ imageId: 999, action: 'accept', referenceId: refOne, candidateId: best.id })).toMatchObject({ code: 'NOT_FOUND', message: 'Image 999 is not in this project.' });
    expect(p.decisions.history(one)).toEqual([]);
    expect(p.decisions.history(two)).toEqual([]);
  });

  it('undo steps back on one image, or through the actor’s own latest decisions on any image', () => {
    const { one, two, review } = reviewWorld();
    review.record({ imageId: one, action: 'edit', finalText: 'first' }, 'ann');
    review.record({ imageId: two, action: 'reject' }, 'ann');
    review.record({ imageId: one, action: 'skip' }, 'bob');
    expect(review.undo(one, 'ann')).toMatchObject({ id: one, status: 'edited', caption: 'first' });
    // ann's latest decision in force is the reject on image two; then the edit on image one.
    expect(review.undo(undefined, 'ann')).toMatchObject({ id: two, status: 'undecided', decision: null });
    expect(review.undo(undefined, 'ann')).toMatchObject({ id: one, status: 'undecided' });
    expect(() => review.undo(undefined, 'ann')).toThrow('ann has no decision left to undo.');
    expect(() => review.undo(999, 'ann')).toThrow('Image 999 is not in this project.');
  });
});

describe('ReviewService queue and item', () => {
  it('answers the latest suggest run by default and refuses runs that are not suggest runs', () => {
    const { p, one, two, suggestRun, review } = reviewWorld();
    expect(review.queue({ order: 'dataset', offset: 0, limit: 10 })).toMatchObject({ runId: suggestRun, total: 2 });
    const item = review.item({ imageId: one });
    expect(item.runId).toBe(suggestRun);
    expect(item.candidates.map((c) => c.text)).toEqual(['a lemur on a branch', 'a monkey']);
    expect(review.item({ imageId: two })).toMatchObject({ runId: null, candidates: [] });
    const auditRun = p.db.prepare(`SELECT id FROM runs WHERE kind = 'reference-audit'`).pluck().get() as number;
    expect(() => review.item({ imageId: one, runId: auditRun })).toThrow(`There is no suggest run ${auditRun} in this project.`);
    expect(() => review.queue({ order: 'dataset', offset: 0, limit: 10, datasetId: 99 })).toThrow('There is no dataset 99 in this project.');
    expect(() => review.queue({ order: 'dataset', offset: 0, limit: 10, after: 999 })).toThrow('Image 999 is not in this project.');
  });

  it('reads the store at each call, so a switched project is the one answered', () => {
    const first = reviewWorld();
    const firstProject = first.p;
    const second = reviewWorld();
    let current = firstProject;
    const review = new ReviewService(() => current);
    review.record({ imageId: first.one, action: 'reject' }, 'ann');
    current = second.p;
    expect(review.detail(second.one).decision).toBeNull();
    firstProject.dispose();
  });
});
