import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../backend/import/test-images.js';
import { sweepStaleTemps, tempPathFor } from './atomic-file.js';
import { EXPORT_MARKER, writeFolderAtomically } from './atomic-folder.js';

const fill = (folder: string, text: string) => {
  writeFileSync(join(folder, EXPORT_MARKER), '{}');
  writeFileSync(join(folder, 'data.txt'), text);
};

describe('writeFolderAtomically', () => {
  it('replaces a previous export as a whole and leaves nothing else behind', async () => {
    const dir = tempDir('atomic-folder');
    const target = join(dir, 'out');
    await writeFolderAtomically(target, async (folder) => fill(folder, 'first'));
    await writeFolderAtomically(target, async (folder) => {
      // Mid-write, the previous export is still complete where it was.
      expect(readFileSync(join(target, 'data.txt'), 'utf8')).toBe('first');
      fill(folder, 'second');
    });
    expect(readFileSync(join(target, 'data.txt'), 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('keeps the previous export and removes the temporary folder when writing fails', async () => {
    const dir = tempDir('atomic-folder');
    const target = join(dir, 'out');
    await writeFolderAtomically(target, async (folder) => fill(folder, 'kept'));
    const failure = new Error('disk full');
    await expect(
      writeFolderAtomically(target, async (folder) => {
        fill(folder, 'half');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readFileSync(join(target, 'data.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('refuses to replace a file or a folder that is not an export', async () => {
    const dir = tempDir('atomic-folder');
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
    await expect(writeFolderAtomically(join(dir, 'file'), async () => {})).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(writeFolderAtomically(join(dir, 'mine'), async () => {})).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(writeFolderAtomically(join(dir, 'no', 'such', 'out'), async () => {})).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('does not exist') });
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir).sort()).toEqual(['file', 'mine']);
  });
});

describe('leftovers of killed exports', () => {
  it('are swept by the next export: a dead process’s temporaries removed, a folder it moved aside put back', async () => {
    const dir = tempDir('sweep');
    const target = join(dir, 'out');
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: no such process
    const temp = join(dir, `.out.${dead}.0123456789ab.tmp`);
    const old = join(dir, `.out.${dead}.ba9876543210.old`);
    const alive = tempPathFor(target);
    for (const folder of [temp, old, alive]) mkdirSync(folder);
    writeFileSync(join(old, 'data.txt'), 'previous');
    await sweepStaleTemps(target);
    expect(readFileSync(join(target, 'data.txt'), 'utf8')).toBe('previous');
    expect(existsSync(temp)).toBe(false);
    expect(existsSync(alive)).toBe(true); // this process is alive: its temporaries are its own business
  });

  it('are removed by the temp janitor when the exporting process is SIGKILLed', async () => {
    const dir = tempDir('janitor');
    const target = join(dir, 'out.json');
    // A child that registers a temporary, creates it, says so, then waits to be killed (bundled: Node 20 runs no TypeScript).
    const entry = join(tempDir('janitor-child'), 'child.ts');
    writeFileSync(
      entry,
      `import { trackTemp } from ${JSON.stringify(join(import.meta.dirname, 'temp-janitor.ts'))};
       import { writeFileSync } from 'node:fs';
       const path = process.argv[2]!;
       trackTemp(path);
       writeFileSync(path, 'partial');
       process.stdout.write('ready\\n');
       setInterval(() => {}, 1000);`,
    );
    const bundle = entry.replace(/\.ts$/, '.mjs');
    await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
    const temp = join(dir, `.out.json.${process.pid}.aaaaaaaaaaaa.tmp`);
    const child = spawn(process.execPath, [bundle, temp], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    expect(existsSync(temp)).toBe(true);
    child.kill('SIGKILL');
    await expect.poll(() => existsSync(temp), { timeout: 10_000 }).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });
});
