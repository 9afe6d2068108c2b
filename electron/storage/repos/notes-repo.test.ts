import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../project.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

function setup() {
  const p = (project = Project.create(join(mkdtempSync(join(tmpdir(), 'rt-notes-')), 'p')));
  const ds = p.datasets.ensure('/data', 'zoo', 'coco');
  const ids = ['monkey.png', 'cat.png', 'lemur_50%.png'].map((relPath, i) => p.images.insert({ datasetId: ds.id, externalId: i + 1, relPath, sha256: `h${i}`, bytes: 1, width: 8, height: 8 }));
  return { p, ids };
}

describe('NotesRepo', () => {
  it('keeps one note and ordered, de-duplicated tags per image, and clears them when both are emptied', () => {
    const { p, ids } = setup();
    const [monkey] = ids;
    expect(p.notes.get(monkey!)).toEqual({ imageId: monkey, note: '', tags: [], actor: null, updatedAt: null });
    const saved = p.notes.set(monkey!, 'references say monkey; it is a lemur', ['vocabulary', 'Lemur', 'VOCABULARY'], 'ann');
    expect(saved).toMatchObject({ note: 'references say monkey; it is a lemur', tags: ['vocabulary', 'Lemur'], actor: 'ann' });
    expect(p.notes.set(monkey!, 'checked', ['lemur'], 'bob')).toMatchObject({ note: 'checked', tags: ['lemur'], actor: 'bob' });
    expect(p.notes.set(monkey!, '  ', [], 'bob')).toMatchObject({ note: '', tags: [], actor: null });
    expect(p.notes.search({ offset: 0, limit: 10 }).total).toBe(0);
  });

  it('searches words in notes, tags and file names, filters by tag regardless of case, counts tags, and pages', () => {
    const { p, ids } = setup();
    const [monkey, cat, lemur] = ids;
    p.notes.set(monkey!, 'the references call it a monkey', ['vocabulary', 'check'], 'ann');
    p.notes.set(cat!, 'blurry', ['check'], 'ann');
    p.notes.set(lemur!, '', ['Vocabulary'], 'ann');
    const files = (q: Parameters<typeof p.notes.search>[0]) => p.notes.search(q).items.map((i) => i.fileName);

    expect(files({ query: 'MONKEY references', offset: 0, limit: 10 })).toEqual(['monkey.png']);
    expect(files({ query: 'vocab', offset: 0, limit: 10 }).sort()).toEqual(['lemur_50%.png', 'monkey.png']);
    expect(files({ query: '50%', offset: 0, limit: 10 })).toEqual(['lemur_50%.png']);
    expect(files({ query: '%', offset: 0, limit: 10 })).toEqual(['lemur_50%.png']);
    expect(files({ tag: 'CHECK', offset: 0, limit: 10 }).sort()).toEqual(['cat.png', 'monkey.png']);
    expect(files({ tag: 'check', query: 'blurry', offset: 0, limit: 10 })).toEqual(['cat.png']);
    expect(p.notes.tags()).toEqual([
      { tag: 'check', images: 2 },
      { tag: 'Vocabulary', images: 2 },
    ]);
    const page = p.notes.search({ offset: 1, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.tags.length).toBeGreaterThan(0);
  });
});
