/**
 * Exports never land on what they are made from: the project (its database, assets), a
 * dataset's folder (through symbolic links too), a file that is not an earlier export, or,
 * through a path stored in the project, anywhere outside the export folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../import/import-folder.js';
import { tempDir } from '../import/test-images.js';
import { captionedFolder, exportAs, projectTracker } from './export-test-support.js';

const projects = projectTracker();
afterEach(() => projects.disposeAll());

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function importedProject() {
  const project = projects.create();
  const source = await captionedFolder();
  const { datasetId } = await importFolder(project, source);
  return { project, source, datasetId };
}

describe('export targets', () => {
  it('refuses the project and dataset folders, also through a symbolic link, and leaves them as they were', async () => {
    const { project, source } = await importedProject();
    const db = join(project.dir, 'roundtrip.db');
    const before = { db: sha(db), image: sha(join(source, 'a.png')) };
    const link = join(tempDir('export-link'), 'link-to-project');
    symlinkSync(project.dir, link);
    mkdirSync(project.assetsDir, { recursive: true });
    writeFileSync(join(project.assetsDir, 'x.png'), 'asset');

    await expect(exportAs(project, { format: 'scores', out: join(link, 'roundtrip.db') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is inside the project folder'),
    });
    await expect(exportAs(project, { format: 'coco-captions', out: join(project.assetsDir, 'x.png') })).rejects.toMatchObject({ message: expect.stringContaining('is inside the project folder') });
    await expect(exportAs(project, { format: 'coco-captions', out: join(source, 'a.png') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is inside the folder of dataset "photos"'),
    });
    await expect(exportAs(project, { format: 'sidecar-txt', out: dirname(source) })).rejects.toMatchObject({ message: expect.stringContaining('holds the folder of dataset "photos"') });

    expect(sha(db)).toBe(before.db);
    expect(sha(join(source, 'a.png'))).toBe(before.image);
    expect(readFileSync(join(project.assetsDir, 'x.png'), 'utf8')).toBe('asset');
    expect(project.datasets.list()).toHaveLength(1);
  });

  it('replaces a file only when it is an earlier export of the project (or empty), and names a folder given for a file', async () => {
    const { project } = await importedProject();
    const dir = tempDir('export-out');
    const notes = join(dir, 'notes.json');
    writeFileSync(notes, 'my notes');
    await expect(exportAs(project, { format: 'coco-captions', out: notes })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/notes\.json already exists and is not an earlier export of this project; choose another path, or delete the file/),
    });
    expect(readFileSync(notes, 'utf8')).toBe('my notes');

    const out = join(dir, 'captions.json');
    await exportAs(project, { format: 'coco-captions', out });
    await expect(exportAs(project, { format: 'coco-captions', out, captions: 'references' })).resolves.toMatchObject({ path: out });
    writeFileSync(join(dir, 'empty.json'), '');
    await expect(exportAs(project, { format: 'coco-captions', out: join(dir, 'empty.json') })).resolves.toMatchObject({ images: 3 });

    await expect(exportAs(project, { format: 'coco-captions', out: dir })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is a folder; this format writes a file') });
    await expect(exportAs(project, { format: 'coco-captions', out: join(notes, 'x.json') })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('is a file, not a folder') });
  });

  it('refuses a FIFO, a socket or a device where its file would go, naming it, and leaves it there (issue 16 fault suite)', async () => {
    const { project } = await importedProject();
    const dir = tempDir('export-special');
    const fifo = join(dir, 'captions.json');
    execFileSync('mkfifo', [fifo]);
    const socketPath = join(dir, 'scores.csv');
    const listener = createServer().listen(socketPath);
    await once(listener, 'listening');
    try {
      // Each is empty (size 0), which used to count as "nothing there to lose": the rename replaced it.
      await expect(exportAs(project, { format: 'coco-captions', out: fifo })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/captions\.json is a FIFO \(named pipe\), not a regular file/),
      });
      await expect(exportAs(project, { format: 'scores', out: socketPath })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('scores.csv is a socket') });
      const device = join(dir, 'null-link.json');
      symlinkSync('/dev/null', device);
      await expect(exportAs(project, { format: 'coco-captions', out: device })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is a character device') });
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(lstatSync(socketPath).isSocket()).toBe(true);
      expect(readlinkSync(device)).toBe('/dev/null');
      expect(project.exports.list()).toEqual([]);
    } finally {
      listener.close();
    }
  });

  it('replaces a folder only when it is an earlier export of this project: a stray roundtrip-export.json, even {}, protects nothing beside it', async () => {
    const { project } = await importedProject();
    const parent = tempDir('export-out');
    const stray = join(parent, 'stray');
    mkdirSync(stray);
    writeFileSync(join(stray, 'roundtrip-export.json'), '{}');
    writeFileSync(join(stray, 'precious.txt'), 'do not delete');
    for (const format of ['hf-imagefolder', 'karpathy', 'sidecar-txt'] as const) {
      await expect(exportAs(project, { format, out: stray, captions: 'references' })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(new RegExp(`^${stray} is not an earlier export of this project: .*would delete precious\\.txt`)),
      });
    }
    expect(readFileSync(join(stray, 'precious.txt'), 'utf8')).toBe('do not delete');
    expect(readdirSync(parent)).toEqual(['stray']);

    // An empty folder is fine; an earlier export of this project there is replaced as before, also by another folder format.
    const out = join(parent, 'hf');
    mkdirSync(out);
    await exportAs(project, { format: 'hf-imagefolder', out, captions: 'references' });
    await expect(exportAs(project, { format: 'hf-imagefolder', out, captions: 'references', statuses: ['undecided'] })).resolves.toMatchObject({ path: out });
    await expect(exportAs(project, { format: 'karpathy', out, captions: 'references' })).resolves.toMatchObject({ path: out });
    expect(readdirSync(out)).toContain('coco_karpathy_train.json');

    // The marker must be the one the log records there: another project's export, a copy of this
    // project's export elsewhere, or the marker emptied, are not.
    const other = projects.create();
    await importFolder(other, await captionedFolder('others'));
    const theirs = join(parent, 'theirs');
    await exportAs(other, { format: 'hf-imagefolder', out: theirs, captions: 'references' });
    const copy = join(parent, 'copy');
    cpSync(out, copy, { recursive: true });
    for (const folder of [theirs, copy]) {
      writeFileSync(join(folder, 'precious.txt'), 'do not delete');
      await expect(exportAs(project, { format: 'karpathy', out: folder, captions: 'references' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('precious.txt') });
      expect(readFileSync(join(folder, 'precious.txt'), 'utf8')).toBe('do not delete');
    }
    writeFileSync(join(out, 'roundtrip-export.json'), '{}');
    await expect(exportAs(project, { format: 'karpathy', out, captions: 'references' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('never exports a dataset over its own folder: symlinked exports re-imported and exported back are refused', async () => {
    const { project, source } = await importedProject();
    const hfs = join(tempDir('export-out'), 'hfs');
    await exportAs(project, { format: 'hf-imagefolder', out: hfs, linkImages: 'symlink', captions: 'references' });
    expect(readlinkSync(join(hfs, 'a.png'))).toBe(realpathSync(join(source, 'a.png')));

    const q = projects.create();
    await importFolder(q, hfs);
    await expect(exportAs(q, { format: 'hf-imagefolder', out: hfs, linkImages: 'symlink' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is inside the folder of dataset "hfs"'),
    });
    expect(sha(join(hfs, 'a.png'))).toBe(sha(join(source, 'a.png')));
    expect(q.datasets.list()).toHaveLength(1);

    // A second generation of links points at the real files, not at the links in between.
    const again = join(tempDir('export-out'), 'again');
    await exportAs(q, { format: 'hf-imagefolder', out: again, linkImages: 'symlink' });
    expect(readlinkSync(join(again, 'a.png'))).toBe(realpathSync(join(source, 'a.png')));
  });

  it('refuses an image whose stored path would leave the export folder, naming it, and writes nothing', async () => {
    const { project, source, datasetId } = await importedProject();
    // A path that escapes: a tampered or hand-edited database.
    writeFileSync(join(source, '..', 'escape.png'), readFileSync(join(source, 'a.png')));
    project.db.prepare(`UPDATE images SET rel_path = '../escape.png' WHERE dataset_id = ? AND rel_path = 'a.png'`).run(datasetId);
    const parent = tempDir('export-out');
    const out = join(parent, 'kohya');
    await expect(exportAs(project, { format: 'sidecar-txt', out })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/image paths would leave the export folder \(\.\.\/escape\.png \(\.\.\/escape\.png in .*photos\)\)/),
    });
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(join(parent, 'escape.png'))).toBe(false);
  });
});
