import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { importCoco } from './import-coco.js';
import { noiseImage, tempDir, writeFiles } from './test-images.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

async function cocoFixture(): Promise<{ dir: string; images: string; file: string }> {
  const dir = tempDir('coco');
  const images = join(dir, 'images');
  writeFiles(images, {
    '1.jpg': await noiseImage('jpeg', 40, 30, 1),
    'sub/2.png': await noiseImage('png', 20, 10, 2),
    'bad.jpg': 'not a jpeg',
  });
  const file = join(dir, 'captions.json');
  writeFileSync(
    file,
    JSON.stringify({
      info: { description: 'test' },
      images: [
        { id: 1, file_name: '1.jpg', width: 40, height: 30 },
        { id: 2, file_name: 'sub/2.png' },
        { id: 1, file_name: 'other.jpg' },
        { id: 4, file_name: 'missing.jpg' },
        { id: 'x', file_name: 'y.jpg' },
        { id: 5, file_name: 'bad.jpg' },
        { id: 6, file_name: '../escape.jpg' },
      ],
      annotations: [
        { id: 10, image_id: 1, caption: 'one' },
        { id: 11, image_id: 1, caption: 'uno ' },
        { id: 10, image_id: 2, caption: 'reused id' },
        { id: 12, image_id: 99, caption: 'orphan' },
        { id: 13, image_id: 2, caption: 5 },
        { id: 14, image_id: 2, caption: 'two' },
        { id: 15, image_id: 4, caption: 'for the missing file' },
        { image_id: 2, caption: 'no id' },
      ],
    }),
  );
  return { dir, images, file };
}

describe('importCoco', () => {
  it('imports valid entries with their COCO ids and reports every bad entry', async () => {
    const { images, file } = await cocoFixture();
    project = Project.create(join(tempDir('proj'), 'p'));
    const report = await importCoco(project, file, images);

    expect(report).toMatchObject({ imported: 2, alreadyPresent: 0, references: 4 });
    expect(report.problems.map((p) => [p.item, p.code])).toEqual([
      ['images[2]', 'duplicate-id'],
      ['images[4]', 'invalid-entry'],
      ['images[6]', 'invalid-entry'],
      ['annotation 10', 'duplicate-id'],
      ['annotation 12', 'missing-image'],
      ['annotation 13', 'invalid-entry'],
      ['missing.jpg', 'missing-file'],
      ['bad.jpg', 'not-an-image'],
    ]);
    expect(report.problems.find((p) => p.item === 'annotation 12')?.message).toContain('image id 99');

    expect(project.datasets.get(report.datasetId)).toMatchObject({ rootPath: images, kind: 'coco', imageCount: 2 });
    const one = project.images.findByExternalId(report.datasetId, 1)!;
    const two = project.images.findByExternalId(report.datasetId, 2)!;
    expect(project.images.get(two)).toMatchObject({ fileName: 'sub/2.png', width: 20, height: 10 });
    expect(project.references.forImage(one).map((r) => [r.externalId, r.text])).toEqual([
      [10, 'one'],
      [11, 'uno '],
    ]);
    expect(project.references.forImage(two).map((r) => [r.externalId, r.text])).toEqual([
      [14, 'two'],
      [null, 'no id'],
    ]);
  });

  it('re-importing the same file adds nothing twice', async () => {
    const { images, file } = await cocoFixture();
    project = Project.create(join(tempDir('proj'), 'p'));
    const first = await importCoco(project, file, images);
    const again = await importCoco(project, file, images);
    expect(again).toMatchObject({ datasetId: first.datasetId, imported: 0, alreadyPresent: 2, references: 0 });
    expect(project.images.count()).toBe(2);
    const one = project.images.findByExternalId(first.datasetId, 1)!;
    expect(project.references.forImage(one)).toHaveLength(2);
  });

  it('refuses malformed JSON or a file without the arrays, naming the file, and leaves the project intact', async () => {
    const { dir, images, file } = await cocoFixture();
    project = Project.create(join(tempDir('proj'), 'p'));
    const first = await importCoco(project, file, images);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"images": [ {"id": 1, ');
    const error = await importCoco(project, broken, images).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_FORMAT', message: expect.stringMatching(/broken\.json: not valid JSON: /) });

    const noArrays = join(dir, 'no-arrays.json');
    writeFileSync(noArrays, JSON.stringify({ images: [] }));
    await expect(importCoco(project, noArrays, images)).rejects.toMatchObject({
      code: 'BAD_FORMAT',
      message: expect.stringContaining('no-arrays.json: no "annotations" array'),
    });
    await expect(importCoco(project, join(dir, 'nope.json'), images)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect(project.datasets.list()).toMatchObject([{ id: first.datasetId, imageCount: 2 }]);
    expect(project.images.list({ offset: 0, limit: 10 }).items.map((i) => i.fileName)).toEqual(['1.jpg', 'sub/2.png']);
  });
});
