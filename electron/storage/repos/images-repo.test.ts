import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

describe('ImagesRepo.page', () => {
  it('reads images in id order after a given id, optionally within one dataset', () => {
    project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-img-')), 'p'));
    const a = project.datasets.ensure('/a', 'a', 'folder');
    const b = project.datasets.ensure('/b', 'b', 'folder');
    const add = (datasetId: number, relPath: string) =>
      project!.images.insert({ datasetId, externalId: null, relPath, sha256: 'h', bytes: 1, width: 1, height: 1 });
    const ids = [add(a.id, '1.png'), add(b.id, '2.png'), add(a.id, '3.png'), add(a.id, '4.png')];

    expect(project.images.page(0, 2).map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(project.images.page(ids[1]!, 10).map((i) => i.fileName)).toEqual(['3.png', '4.png']);
    expect(project.images.page(0, 2, a.id).map((i) => i.fileName)).toEqual(['1.png', '3.png']);
    expect(project.images.page(ids[2]!, 2, a.id).map((i) => i.fileName)).toEqual(['4.png']);
    expect(project.images.page(ids[3]!, 2)).toEqual([]);
  });
});

describe('ImagesRepo.neighbours', () => {
  it('steps through images in grid order within the grid’s filter', () => {
    project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-nb-')), 'p'));
    const ds = project.datasets.ensure('/a', 'a', 'folder');
    const ids = ['1.png', '2.png', '3.png', '4.png'].map((relPath) =>
      project!.images.insert({ datasetId: ds.id, externalId: null, relPath, sha256: 'h', bytes: 1, width: 1, height: 1 }),
    );
    for (const id of [ids[0]!, ids[2]!]) {
      project.decisions.record({ imageId: id, actor: 'a', action: 'reject', finalText: null, referenceId: null, candidateId: null });
    }
    expect(project.images.neighbours(ids[1]!)).toEqual({ previous: ids[0], next: ids[2] });
    expect(project.images.neighbours(ids[2]!, { status: 'rejected' })).toEqual({ previous: ids[0], next: null });
    expect(project.images.neighbours(ids[1]!, { status: 'undecided' })).toEqual({ previous: null, next: ids[3] });
    expect(project.images.neighbours(ids[3]!, { search: '2.png' })).toEqual({ previous: ids[1], next: null });
  });
});

describe('ImagesRepo with a list of ids', () => {
  it('pages and steps within the ids, alone (paged in memory) or with other filters (in SQL)', () => {
    project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-ids-')), 'p'));
    const ds = project.datasets.ensure('/a', 'a', 'folder');
    const ids = ['1.png', '2.png', '3.png', '4.png', '5.png'].map((relPath) =>
      project!.images.insert({ datasetId: ds.id, externalId: null, relPath, sha256: 'h', bytes: 1, width: 1, height: 1 }),
    );
    project.decisions.record({ imageId: ids[3]!, actor: 'a', action: 'reject', finalText: null, referenceId: null, candidateId: null });
    const only = [ids[0]!, ids[2]!, ids[3]!];
    expect(project.images.list({ ids: only, offset: 1, limit: 5 })).toMatchObject({ total: 3, items: [{ fileName: '3.png' }, { fileName: '4.png' }] });
    expect(project.images.list({ ids: only, status: 'rejected', offset: 0, limit: 5 })).toMatchObject({ total: 1, items: [{ fileName: '4.png' }] });
    expect(project.images.list({ ids: [], offset: 0, limit: 5 })).toEqual({ total: 0, items: [] });
    expect(project.images.neighbours(ids[2]!, { ids: only })).toEqual({ previous: ids[0], next: ids[3] });
    expect(project.images.neighbours(ids[1]!, { ids: only })).toEqual({ previous: ids[0], next: ids[2] });
    expect(project.images.neighbours(ids[3]!, { ids: only, status: 'undecided' })).toEqual({ previous: ids[2], next: null });
  });
});
