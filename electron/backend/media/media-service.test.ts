import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSquareImage } from '../../../tests/fixtures/make-images.js';
import { EventBus } from '../event-bus.js';
import { importFolder } from '../import/import-folder.js';
import { ProjectSession } from '../project-session.js';
import { thumbnailPath } from './asset-paths.js';
import { MediaService, parseMediaPath } from './media-service.js';

let session: ProjectSession | undefined;
afterEach(() => session?.dispose());

describe('MediaService', () => {
  it('serves images and thumbnails of the open project by id, and remakes a lost thumbnail', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-media-'));
    mkdirSync(join(root, 'images'));
    await writeSquareImage(join(root, 'images', 'a.png'), 'red');
    session = new ProjectSession(new EventBus());
    const project = session.create(join(root, 'project'));
    await importFolder(project, join(root, 'images'));
    const media = new MediaService(session);

    expect(await media.resolve('image', 1, project.mediaKey)).toEqual({ path: join(root, 'images', 'a.png'), contentType: 'image/png' });
    const thumb = thumbnailPath(project.assetsDir, 1);
    rmSync(thumb);
    expect(await media.resolve('thumb', 1, project.mediaKey)).toEqual({ path: thumb, contentType: 'image/webp' });
    expect(existsSync(thumb)).toBe(true);
    // Asked for many times at once (a grid scrolling back), a lost thumbnail is remade (once) and every asker gets it.
    rmSync(thumb);
    const asked = Array.from({ length: 8 }, () => media.resolve('thumb', 1, project.mediaKey));
    const answers = await Promise.all(asked);
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ path: thumb, contentType: 'image/webp' })]));
    expect(await media.resolve('image', 2, project.mediaKey)).toBeNull();
    expect(await media.resolve('image', -1, project.mediaKey)).toBeNull();
  });

  it('serves a suggest run’s reconstruction by candidate id, only from inside the assets folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-media-'));
    mkdirSync(join(root, 'images'));
    await writeSquareImage(join(root, 'images', 'a.png'), 'red');
    session = new ProjectSession(new EventBus());
    const project = session.create(join(root, 'project'));
    await importFolder(project, join(root, 'images'));
    mkdirSync(join(project.assetsDir, 'reconstructions', '1', '1'), { recursive: true });
    await writeSquareImage(join(project.assetsDir, 'reconstructions', '1', '1', '0.png'), 'blue');
    const run = project.runs.create('suggest', {}, [1]);
    project.runs.completeItem(run.id, 1, {
      candidates: [
        { idx: 0, source: 'sampled', text: 'drawn', reconstruction: 'assets/reconstructions/1/1/0.png' },
        { idx: 1, source: 'sampled', text: 'escapes', reconstruction: 'images/a.png' },
        { idx: 2, source: 'sampled', text: 'not drawn' },
      ],
    });
    const [drawn, escapes, notDrawn] = project.runs.candidates(run.id, 1).map((c) => c.id) as [number, number, number];
    const media = new MediaService(session);
    expect(await media.resolve('reconstruction', drawn, project.mediaKey)).toEqual({ path: join(project.assetsDir, 'reconstructions', '1', '1', '0.png'), contentType: 'image/png' });
    expect(await media.resolve('reconstruction', escapes, project.mediaKey)).toBeNull();
    expect(await media.resolve('reconstruction', notDrawn, project.mediaKey)).toBeNull();
    expect(await media.resolve('reconstruction', 999, project.mediaKey)).toBeNull();
    expect(parseMediaPath('/media/reconstruction/7')).toEqual({ kind: 'reconstruction', imageId: 7 });
  });

  it('serves nothing for a URL made for another project (image ids repeat across projects)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-media-'));
    mkdirSync(join(root, 'images'));
    await writeSquareImage(join(root, 'images', 'a.png'), 'red');
    session = new ProjectSession(new EventBus());
    const first = session.create(join(root, 'first'));
    await importFolder(first, join(root, 'images'));
    const firstKey = first.mediaKey;
    const second = session.create(join(root, 'second'));
    await importFolder(second, join(root, 'images'));
    const media = new MediaService(session);
    expect(second.mediaKey).not.toBe(firstKey);
    expect(second.mediaKey).toMatch(/^[0-9a-f]{16}$/);
    expect(await media.resolve('image', 1, second.mediaKey)).not.toBeNull();
    expect(await media.resolve('image', 1, firstKey)).toBeNull();
    expect(await media.resolve('thumb', 1, null)).toBeNull();
    // Stable for the project: the same key when it is opened again.
    expect(session.open(join(root, 'first')).mediaKey).toBe(firstKey);
  });

  it('follows no link out of the assets folder, and serves no source file that is not the imported one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-media-'));
    mkdirSync(join(root, 'images'));
    mkdirSync(join(root, 'elsewhere'));
    await writeSquareImage(join(root, 'elsewhere', 'b.png'), 'blue');
    // A dataset assembled from links is served through them while they point at the imported file.
    symlinkSync(join(root, 'elsewhere', 'b.png'), join(root, 'images', 'b.png'));
    await writeSquareImage(join(root, 'images', 'a.png'), 'red');
    writeFileSync(join(root, 'secret.txt'), 'not an image of the project');
    session = new ProjectSession(new EventBus());
    const project = session.create(join(root, 'project'));
    await importFolder(project, join(root, 'images'));
    const media = new MediaService(session);
    const [a, b] = project.images.list({ offset: 0, limit: 2 }).items.map((i) => i.id) as [number, number];
    expect((await media.resolve('image', b, project.mediaKey))?.path).toBe(join(root, 'elsewhere', 'b.png'));

    // A thumbnail replaced by a link to a file outside the project.
    const thumb = thumbnailPath(project.assetsDir, a);
    rmSync(thumb);
    symlinkSync(join(root, 'secret.txt'), thumb);
    expect(await media.resolve('thumb', a, project.mediaKey)).toBeNull();
    // The source swapped for another file, or its link retargeted, after the import.
    renameSync(join(root, 'images', 'a.png'), join(root, 'a.orig'));
    symlinkSync(join(root, 'secret.txt'), join(root, 'images', 'a.png'));
    expect(await media.resolve('image', a, project.mediaKey)).toBeNull();
    rmSync(join(root, 'images', 'a.png'));
    copyFileSync(join(root, 'elsewhere', 'b.png'), join(root, 'images', 'a.png'));
    expect(await media.resolve('image', a, project.mediaKey)).toBeNull();
  });

  it('parses only well-formed media paths', () => {
    expect(parseMediaPath('/media/thumb/12')).toEqual({ kind: 'thumb', imageId: 12 });
    for (const bad of ['/media/thumb/0', '/media/thumb/012', '/media/other/1', '/media/image/1/..', '/media/image/1.png']) {
      expect(parseMediaPath(bad)).toBeNull();
    }
  });
});
