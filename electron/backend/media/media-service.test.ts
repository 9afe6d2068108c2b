import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

    expect(await media.resolve('image', 1)).toEqual({ path: join(root, 'images', 'a.png'), contentType: 'image/png' });
    const thumb = thumbnailPath(project.assetsDir, 1);
    rmSync(thumb);
    expect(await media.resolve('thumb', 1)).toEqual({ path: thumb, contentType: 'image/webp' });
    expect(existsSync(thumb)).toBe(true);
    expect(await media.resolve('image', 2)).toBeNull();
    expect(await media.resolve('image', -1)).toBeNull();
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
    expect(await media.resolve('reconstruction', drawn)).toEqual({ path: join(project.assetsDir, 'reconstructions', '1', '1', '0.png'), contentType: 'image/png' });
    expect(await media.resolve('reconstruction', escapes)).toBeNull();
    expect(await media.resolve('reconstruction', notDrawn)).toBeNull();
    expect(await media.resolve('reconstruction', 999)).toBeNull();
    expect(parseMediaPath('/media/reconstruction/7')).toEqual({ kind: 'reconstruction', imageId: 7 });
  });

  it('parses only well-formed media paths', () => {
    expect(parseMediaPath('/media/thumb/12')).toEqual({ kind: 'thumb', imageId: 12 });
    for (const bad of ['/media/thumb/0', '/media/thumb/012', '/media/other/1', '/media/image/1/..', '/media/image/1.png']) {
      expect(parseMediaPath(bad)).toBeNull();
    }
  });
});
