import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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

    expect(await media.resolve('image', 1, project.mediaKey)).toMatchObject({ path: join(root, 'images', 'a.png'), contentType: 'image/png' });
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
    expect(await media.resolve('image', b, project.mediaKey)).toMatchObject({ path: join(root, 'elsewhere', 'b.png') });

    // A thumbnail replaced by a link to a file outside the project.
    const thumb = thumbnailPath(project.assetsDir, a);
    rmSync(thumb);
    symlinkSync(join(root, 'secret.txt'), thumb);
    expect(await media.resolve('thumb', a, project.mediaKey)).toBeNull();
    // The source swapped for another file, or its link retargeted, after the import.
    renameSync(join(root, 'images', 'a.png'), join(root, 'a.orig'));
    symlinkSync(join(root, 'secret.txt'), join(root, 'images', 'a.png'));
    expect(await media.resolve('image', a, project.mediaKey)).toEqual({ refused: expect.stringContaining(`${join(root, 'images', 'a.png')} has changed since it was imported`) });
    rmSync(join(root, 'images', 'a.png'));
    copyFileSync(join(root, 'elsewhere', 'b.png'), join(root, 'images', 'a.png'));
    expect(await media.resolve('image', a, project.mediaKey)).toMatchObject({ refused: expect.stringContaining(join(root, 'images', 'a.png')) });
  });

  it('serves no file of the same size put in the imported one’s place (issue 16), but the same bytes touched, copied or moved', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-media-'));
    mkdirSync(join(root, 'images'));
    mkdirSync(join(root, 'elsewhere'));
    const a = join(root, 'images', 'a.png');
    await writeSquareImage(a, 'red');
    await writeSquareImage(join(root, 'elsewhere', 'b.png'), 'blue');
    symlinkSync(join(root, 'elsewhere', 'b.png'), join(root, 'images', 'b.png'));
    // Other files of exactly the imported sizes: one byte differs.
    const sameSize = (file: string, to: string) => {
      const bytes = readFileSync(file);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
      writeFileSync(to, bytes);
    };
    sameSize(a, join(root, 'impostor.png'));
    sameSize(join(root, 'elsewhere', 'b.png'), join(root, 'elsewhere', 'b-impostor.png'));
    session = new ProjectSession(new EventBus());
    const project = session.create(join(root, 'project'));
    await importFolder(project, join(root, 'images'));
    const media = new MediaService(session);
    const [idA, idB] = project.images.list({ offset: 0, limit: 2 }).items.map((i) => i.id) as [number, number];
    const original = readFileSync(a);
    expect(project.images.get(idA)?.identity).toMatchObject({ size: original.length, ino: String(statSync(a, { bigint: true }).ino) });

    // Swapped for a same-size file, then a link retargeted to one: refused, naming the file.
    renameSync(a, join(root, 'a.orig'));
    copyFileSync(join(root, 'impostor.png'), a);
    expect(await media.resolve('image', idA, project.mediaKey)).toEqual({ refused: expect.stringMatching(new RegExp(`^${a} is not the file that was imported: same size, different content`)) });
    rmSync(join(root, 'images', 'b.png'));
    symlinkSync(join(root, 'elsewhere', 'b-impostor.png'), join(root, 'images', 'b.png'));
    expect(await media.resolve('image', idB, project.mediaKey)).toEqual({ refused: expect.stringContaining(`its link now points to ${join(root, 'elsewhere', 'b-impostor.png')}`) });
    // A refused source is not remade into a thumbnail either.
    rmSync(thumbnailPath(project.assetsDir, idA));
    expect(await media.resolve('thumb', idA, project.mediaKey)).toBeNull();

    // The same bytes back under a new inode (a copied dataset), then only touched: served, and
    // the new identity recorded so the next request needs no hash.
    rmSync(a);
    copyFileSync(join(root, 'a.orig'), a);
    expect(await media.resolve('image', idA, project.mediaKey)).toMatchObject({ path: a, contentType: 'image/png' });
    expect(project.images.get(idA)?.identity?.ino).toBe(String(statSync(a, { bigint: true }).ino));
    utimesSync(a, new Date(), new Date(Date.now() + 60_000));
    expect(await media.resolve('image', idA, project.mediaKey)).toMatchObject({ path: a });
    expect(project.images.get(idA)?.identity?.mtimeMs).toBe(Math.floor(statSync(a).mtimeMs));
    rmSync(join(root, 'images', 'b.png'));
    symlinkSync(join(root, 'elsewhere', 'b.png'), join(root, 'images', 'b.png'));
    expect(await media.resolve('image', idB, project.mediaKey)).toMatchObject({ path: join(root, 'elsewhere', 'b.png') });

    // An image imported before identities were recorded is checked by its hash.
    project.db.prepare(`UPDATE images SET file_dev = NULL, file_ino = NULL, file_mtime_ms = NULL`).run();
    expect(await media.resolve('image', idA, project.mediaKey)).toMatchObject({ path: a });
    expect(project.images.get(idA)?.identity).not.toBeNull();
    project.db.prepare(`UPDATE images SET file_dev = NULL, file_ino = NULL, file_mtime_ms = NULL`).run();
    copyFileSync(join(root, 'impostor.png'), a);
    expect(await media.resolve('image', idA, project.mediaKey)).toMatchObject({ refused: expect.stringContaining(a) });
    expect(project.images.get(idA)?.identity).toBeNull();
  });

  it('parses only well-formed media paths', () => {
    expect(parseMediaPath('/media/thumb/12')).toEqual({ kind: 'thumb', imageId: 12 });
    for (const bad of ['/media/thumb/0', '/media/thumb/012', '/media/other/1', '/media/image/1/..', '/media/image/1.png']) {
      expect(parseMediaPath(bad)).toBeNull();
    }
  });
});
