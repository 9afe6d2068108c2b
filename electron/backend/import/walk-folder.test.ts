import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from './test-images.js';
import { walkFolder } from './walk-folder.js';

describe('walkFolder', () => {
  it('lists files recursively as sorted POSIX paths, skipping hidden entries and excluded folders', async () => {
    const root = tempDir('walk');
    writeFiles(root, {
      'b.jpg': 'x',
      'a/c.png': 'x',
      'a/deep/d.webp': 'x',
      '.hidden.jpg': 'x',
      '.git/e.jpg': 'x',
      'project/assets/thumbs/0/1.webp': 'x',
    });
    const { files, unreadable } = await walkFolder(root, { exclude: [join(root, 'project')] });
    expect(files).toEqual(['a/c.png', 'a/deep/d.webp', 'b.jpg']);
    expect(unreadable).toEqual([]);
  });

  it('follows symlinks but never loops', async () => {
    const root = tempDir('walk');
    writeFiles(root, { 'sub/a.jpg': 'x' });
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'sub', 'a.jpg'), join(root, 'link.jpg'));
    symlinkSync(join(root, 'nowhere.jpg'), join(root, 'broken.jpg'));
    mkdirSync(join(root, 'empty'));
    const { files } = await walkFolder(root);
    expect(files).toEqual(['broken.jpg', 'link.jpg', 'sub/a.jpg']);
  });
});
