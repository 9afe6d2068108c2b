import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

function projectWithImage(): { project: Project; imageId: number; refId: number } {
  project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-dec-')), 'p'));
  const ds = project.datasets.ensure('/data', 'data', 'folder');
  const imageId = project.images.insert({ datasetId: ds.id, externalId: 1, relPath: 'a.png', sha256: 'h', bytes: 3, width: 2, height: 2 });
  project.references.add(imageId, 'a small monkey', 10);
  return { project, imageId, refId: project.references.forImage(imageId)[0]!.id };
}

describe('DecisionsRepo', () => {
  it('records decisions and shows the latest as the image’s caption and status', () => {
    const { project: p, imageId, refId } = projectWithImage();
    expect(p.images.get(imageId)).toMatchObject({ status: 'undecided', caption: 'a small monkey' });
    p.decisions.record({ imageId, actor: 'ann', action: 'accept', finalText: 'a small monkey', referenceId: refId, candidateId: null });
    p.decisions.record({ imageId, actor: 'ann', action: 'edit', finalText: 'a lemur on a branch', referenceId: null, candidateId: null });
    expect(p.images.get(imageId)).toMatchObject({ status: 'edited', caption: 'a lemur on a branch' });
    expect(p.images.list({ offset: 0, limit: 10, status: 'edited' }).total).toBe(1);
    expect(p.images.list({ offset: 0, limit: 10, status: 'accepted' }).total).toBe(0);
  });

  it('undo appends a row and steps back through history, never deleting', () => {
    const { project: p, imageId } = projectWithImage();
    p.decisions.record({ imageId, actor: 'ann', action: 'edit', finalText: 'one', referenceId: null, candidateId: null });
    p.decisions.record({ imageId, actor: 'ann', action: 'reject', finalText: null, referenceId: null, candidateId: null });
    const undo = p.decisions.undo(imageId, 'bob');
    expect(undo).toMatchObject({ action: 'undo', actor: 'bob' });
    expect(p.images.get(imageId)).toMatchObject({ status: 'edited', caption: 'one' });
    p.decisions.undo(imageId, 'bob');
    expect(p.images.get(imageId)).toMatchObject({ status: 'undecided', caption: 'a small monkey' });
    expect(p.decisions.undo(imageId, 'bob')).toBeNull();
    expect(p.decisions.history(imageId).map((d) => d.action)).toEqual(['edit', 'reject', 'undo', 'undo']);
  });

  it('undo survives reopening the project', () => {
    const { project: p, imageId } = projectWithImage();
    p.decisions.record({ imageId, actor: 'ann', action: 'edit', finalText: 'one', referenceId: null, candidateId: null });
    p.decisions.record({ imageId, actor: 'ann', action: 'edit', finalText: 'two', referenceId: null, candidateId: null });
    const dir = p.dir;
    p.dispose();
    project = Project.open(dir);
    project.decisions.undo(imageId, 'ann');
    expect(project.images.get(imageId)).toMatchObject({ status: 'edited', caption: 'one' });
  });

  it('records the candidate of a decision and reads its run through it', () => {
    const { project: p, imageId } = projectWithImage();
    const run = p.runs.create('suggest', {}, [imageId]);
    p.runs.completeItem(run.id, imageId, { candidates: [{ idx: 0, source: 'sampled', text: 'a lemur', similarity: 0.8, rank: 1 }] });
    const candidateId = p.runs.candidates(run.id, imageId)[0]!.id;
    const accepted = p.decisions.record({ imageId, actor: 'ann', action: 'accept', finalText: 'a lemur', referenceId: null, candidateId });
    expect(accepted).toMatchObject({ candidateId, runId: run.id });
    p.decisions.undo(imageId, 'ann');
    expect(p.decisions.history(imageId).map((d) => [d.action, d.candidateId, d.runId])).toEqual([
      ['accept', candidateId, run.id],
      ['undo', null, null],
    ]);
  });

  it('undoes an annotator’s latest decision in force across images, stepping back, after a restart too', () => {
    const { project: p, imageId: first } = projectWithImage();
    const ds = p.datasets.ensure('/data', 'data', 'folder');
    const [second, third] = ['b.png', 'c.png'].map((relPath, i) =>
      p.images.insert({ datasetId: ds.id, externalId: 2 + i, relPath, sha256: relPath, bytes: 3, width: 2, height: 2 }),
    ) as [number, number];
    const decide = (imageId: number, actor: string, finalText: string) =>
      p.decisions.record({ imageId, actor, action: 'edit', finalText, referenceId: null, candidateId: null });
    decide(first, 'ann', 'one');
    decide(second, 'ann', 'two');
    decide(third, 'ann', 'three');
    decide(second, 'bob', 'bob two'); // supersedes ann's decision on the second image

    expect(p.decisions.undoLatest('ann')).toMatchObject({ imageId: third, action: 'undo' });
    const dir = p.dir;
    p.dispose();
    const reopened = (project = Project.open(dir));
    // Ann's decision on the second image is no longer in force, so her next undo is the first image's.
    expect(reopened.decisions.latestInForce('ann')).toMatchObject({ imageId: first, finalText: 'one' });
    expect(reopened.decisions.undoLatest('ann')).toMatchObject({ imageId: first, actor: 'ann' });
    expect(reopened.decisions.undoLatest('ann')).toBeNull();
    expect(reopened.images.get(second)).toMatchObject({ status: 'edited', caption: 'bob two' });
    expect(reopened.decisions.undoLatest('bob')).toMatchObject({ imageId: second });
    // With bob's decision undone, ann's is in force again, and hers to undo.
    expect(reopened.decisions.latestInForce('ann')).toMatchObject({ imageId: second, finalText: 'two' });
  });

  it('searches captions, references and file names, treating % and _ literally', () => {
    const { project: p, imageId } = projectWithImage();
    expect(p.images.list({ offset: 0, limit: 10, search: 'MONKEY' }).items.map((i) => i.id)).toEqual([imageId]);
    expect(p.images.list({ offset: 0, limit: 10, search: 'a.png' }).total).toBe(1);
    expect(p.images.list({ offset: 0, limit: 10, search: '%' }).total).toBe(0);
  });
});
