import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../backend/import/test-images.js';
import { writeFileAtomically } from './atomic-file.js';

describe('writeFileAtomically', () => {
  it('streams chunks into the target, replacing an old file, and leaves no temporary file', async () => {
    const dir = tempDir('atomic');
    const target = join(dir, 'out.json');
    writeFileSync(target, 'old');
    const line = `${'x'.repeat(1000)}\n`;
    await writeFileAtomically(target, async (write) => {
      for (let i = 0; i < 2000; i++) await write(line);
    });
    expect(readFileSync(target, 'utf8')).toBe(line.repeat(2000));
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('keeps the old file byte-identical and removes the temporary file when writing fails midway', async () => {
    const dir = tempDir('atomic');
    const target = join(dir, 'out.json');
    const old = Buffer.from([0, 1, 2, 255, 10]);
    writeFileSync(target, old);
    const failure = new Error('producer failed');
    await expect(
      writeFileAtomically(target, async (write) => {
        for (let i = 0; i < 500; i++) await write('y'.repeat(1000));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readFileSync(target).equals(old)).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('reports file system problems as IO errors naming the target', async () => {
    const dir = tempDir('atomic');
    await expect(writeFileAtomically(join(dir, 'no', 'such', 'out.json'), async () => {})).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining('does not exist'),
    });
    mkdirSync(join(dir, 'a-folder'));
    await expect(writeFileAtomically(join(dir, 'a-folder'), async (write) => write('x'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readdirSync(dir)).toEqual(['a-folder']);
  });
});
