import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

    expect(importedSourceFile(project, id)).toBe(file);
    writeFileSync(file, 'a different file under the same name');
    expect(() => importedSourceFile(project!, id)).toThrow(`${file} has changed since it was imported`);
    rmSync(file);
    expect(() => importedSourceFile(project!, id)).toThrow(`${file}: the imported image cannot be read (ENOENT)`);
    expect(() => importedSourceFile(project!, id + 1)).toThrow(`image ${id + 1} is no longer in the project`);
  });
});
