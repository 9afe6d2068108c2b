import { existsSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolderSync } from './make-folder.js';

describe('makeFolderSync', () => {
  const root = () => mkdtempSync(join(tmpdir(), 'rt-make-folder-'));

  it('makes a folder and its missing parents, and accepts one that exists', () => {
    const target = join(root(), 'a', 'b', 'c');
    makeFolderSync(target);
    makeFolderSync(target);
    expect(statSync(target).isDirectory()).toBe(true);
  });

  it('fails, without looping, under a file, a dangling link or a folder that refuses children', () => {
    const dir = root();
    writeFileSync(join(dir, 'file'), '');
    expect(() => makeFolderSync(join(dir, 'file', 'x'))).toThrow(/ENOTDIR/);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(() => makeFolderSync(join(dir, 'dangling', 'x'))).toThrow(/ENOENT/);
    if (existsSync('/proc/self')) expect(() => makeFolderSync('/proc/roundtrip-test/x')).toThrow(/ENOENT/);
  });
});
