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

  it('searches captions, references and file names, treating % and _ literally', () => {
    const { project: p, imageId } = projectWithImage();
    expect(p.images.list({ offset: 0, limit: 10, search: 'MONKEY' }).items.map((i) => i.id)).toEqual([imageId]);
    expect(p.images.list({ offset: 0, limit: 10, search: 'a.png' }).total).toBe(1);
    expect(p.images.list({ offset: 0, limit: 10, search: '%' }).total).toBe(0);
  });
});
