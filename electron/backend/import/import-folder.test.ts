import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../../storage/project.js';
import { thumbnailPath } from '../media/asset-paths.js';
import { importFolder } from './import-folder.js';
import type { ProgressUpdate } from './progress.js';
import { firstHalf, noiseImage, pngClaimingSize, tempDir, writeFiles } from './test-images.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

async function messyFolder(): Promise<string> {
  const root = tempDir('folder');
  writeFiles(root, {
    'a.jpg': await noiseImage('jpeg', 80, 60, 1),
    'UPPER.JPG': await noiseImage('jpeg', 20, 20, 2),
    'nested/deep/b.png': await noiseImage('png', 30, 40, 3),
    'nested/c.webp': await noiseImage('webp', 50, 50, 4),
    'nested/c.txt': 'a webp of noise\n\n second caption \n',
    'metadata.jsonl': [
      '{"file_name": "nested/deep/b.png", "text": "a png in a deep folder"}',
      '{"file_name": "a.jpg", "text": "noise as a jpeg"}',
      '{not json',
      '{"file_name": 7, "text": "wrong type"}',
      '{"file_name": "gone.jpg", "text": "no such image"}',
      '',
    ].join('\n'),
    'truncated.jpg': firstHalf(await noiseImage('jpeg', 300, 300, 5)),
    'fake.jpg': 'I am a text file wearing a .jpg',
    'empty.png': Buffer.alloc(0),
    'nested/huge.png': await pngClaimingSize(20000, 20000),
    'notes.md': '# not an image',
    '.hidden/secret.jpg': await noiseImage('jpeg', 10, 10, 6),
  });
  return root;
}

describe('importFolder', () => {
  it('imports the good images with thumbnails and captions, and reports each bad file by name', async () => {
    const root = await messyFolder();
    project = Project.create(join(tempDir('proj'), 'p'));
    const progress: ProgressUpdate[] = [];
    const report = await importFolder(project, root, { onProgress: (p) => progress.push(p) });

    expect(report).toMatchObject({ imported: 4, alreadyPresent: 0, references: 4 });
    const byItem = Object.fromEntries(report.problems.map((p) => [p.item, p]));
    expect(byItem['truncated.jpg']).toMatchObject({ code: 'truncated', message: expect.stringContaining('truncated.jpg') });
    expect(byItem['fake.jpg']).toMatchObject({ code: 'not-an-image', message: expect.stringContaining('fake.jpg') });
    expect(byItem['empty.png']).toMatchObject({ code: 'empty-file', message: expect.stringContaining('empty.png') });
    expect(byItem['nested/huge.png']).toMatchObject({ code: 'too-large', message: expect.stringContaining('20000×20000') });
    expect(byItem['metadata.jsonl line 3']).toMatchObject({ code: 'invalid-entry' });
    expect(byItem['metadata.jsonl line 4']).toMatchObject({ code: 'invalid-entry', message: expect.stringContaining('file_name') });
    expect(report.problems.find((p) => p.code === 'missing-file')?.message).toContain('gone.jpg');
    expect(report.problems).toHaveLength(7);

    const dataset = project.datasets.get(report.datasetId)!;
    expect(dataset).toMatchObject({ rootPath: root, kind: 'folder', imageCount: 4 });
    const { items } = project.images.list({ offset: 0, limit: 100 });
    expect(items.map((i) => i.fileName)).toEqual(['UPPER.JPG', 'a.jpg', 'nested/c.webp', 'nested/deep/b.png']);
    for (const image of items) {
      const thumb = thumbnailPath(project.assetsDir, image.id);
      expect(existsSync(thumb)).toBe(true);
      expect((await sharp(thumb).metadata()).format).toBe('webp');
    }
    const byName = Object.fromEntries(items.map((i) => [i.fileName, i]));
    expect(byName['nested/deep/b.png']).toMatchObject({ width: 30, height: 40, caption: 'a png in a deep folder' });
    expect(project.references.forImage(byName['nested/c.webp']!.id).map((r) => r.text)).toEqual(['a webp of noise', 'second caption']);
    expect(byName['UPPER.JPG']!.caption).toBeNull();

    // The project stays usable after the bad files.
    project.decisions.record({ imageId: byName['a.jpg']!.id, actor: 'ann', action: 'edit', finalText: 'static', referenceId: null, candidateId: null });
    expect(project.images.list({ offset: 0, limit: 10, status: 'edited' }).items.map((i) => i.fileName)).toEqual(['a.jpg']);

    expect(progress[0]).toMatchObject({ phase: 'scanning' });
    expect(progress.at(-1)).toEqual({ phase: 'importing', done: 8, total: 8 });
  });

  it('re-importing adds nothing twice and leaves decisions alone', async () => {
    const root = await messyFolder();
    project = Project.create(join(tempDir('proj'), 'p'));
    const first = await importFolder(project, root);
    const imageId = project.images.findByRelPath(first.datasetId, 'a.jpg')!.id;
    project.decisions.record({ imageId, actor: 'ann', action: 'reject', finalText: null, referenceId: null, candidateId: null });

    const again = await importFolder(project, `${root}/`);
    expect(again).toMatchObject({ datasetId: first.datasetId, imported: 0, alreadyPresent: 4, references: 0 });
    expect(project.images.count()).toBe(4);
    expect(project.datasets.list()).toHaveLength(1);
    expect(project.references.forImage(imageId)).toHaveLength(1);
    expect(project.images.get(imageId)).toMatchObject({ status: 'rejected' });
  });

  it('does not import the thumbnails of a project kept inside the folder', async () => {
    const root = tempDir('folder');
    writeFiles(root, { 'a.png': await noiseImage('png', 10, 10) });
    project = Project.create(join(root, 'project'));
    expect(await importFolder(project, root)).toMatchObject({ imported: 1 });
    expect(await importFolder(project, root)).toMatchObject({ imported: 0, alreadyPresent: 1, problems: [] });
  });

  it('refuses a folder that does not exist or is a file', async () => {
    const root = tempDir('folder');
    writeFiles(root, { 'a.png': 'x' });
    project = Project.create(join(tempDir('proj'), 'p'));
    await expect(importFolder(project, join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(importFolder(project, join(root, 'a.png'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
