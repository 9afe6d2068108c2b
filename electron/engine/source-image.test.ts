import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSquareImage } from '../../tests/fixtures/make-images.js';
import { importFolder } from '../backend/import/import-folder.js';
import { Project } from '../storage/project.js';
import { importedSourceFile } from './source-image.js';

let project: Project | undefined;
afterEach(() => project?.dispose());

describe('importedSourceFile', () => {
  it('gives the imported file while it is unchanged, and refuses one that is gone or replaced, naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-source-'));
    mkdirSync(join(root, 'images'));
    const file = join(root, 'images', 'a.png');
    await writeSquareImage(file, 'red');
    project = Project.create(join(root, 'project'));
    await importFolder(project, join(root, 'images'));
    const [id] = project.images.list({ offset: 0, limit: 1 }).items.map((i) => i.id) as [number];

    expect(await importedSourceFile(project, id)).toBe(file);
    const original = readFileSync(file);
    // The same bytes written again (new mtime): still the imported image.
    writeFileSync(file, original);
    expect(await importedSourceFile(project, id)).toBe(file);
    // Another picture of the same size under the same name (issue 16): refused, like one of another size.
    const sameSize = Buffer.from(original);
    sameSize.writeUInt8(sameSize.readUInt8(sameSize.length - 1) ^ 0xff, sameSize.length - 1);
    writeFileSync(file, sameSize);
    await expect(importedSourceFile(project, id)).rejects.toThrow(`${file} is not the file that was imported: same size, different content`);
    writeFileSync(file, 'a different file under the same name');
    await expect(importedSourceFile(project, id)).rejects.toThrow(`${file} has changed since it was imported`);
    rmSync(file);
    await expect(importedSourceFile(project, id)).rejects.toThrow(`${file}: the imported image cannot be read (ENOENT)`);
    await expect(importedSourceFile(project, id + 1)).rejects.toThrow(`image ${id + 1} is no longer in the project`);
  });
});
