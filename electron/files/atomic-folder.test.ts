import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../backend/import/test-images.js';
import { ioError, sweepStaleTemps, tempPathFor } from './atomic-file.js';
import { EXPORT_MARKER, writeFolderAtomically, type FolderKind } from './atomic-folder.js';

/** A kind whose marker alone marks its folders (as reports are); exports also ask their project's log. */
const KIND: FolderKind = { marker: 'made-here.json', what: 'test folder' };
const fill = (folder: string, text: string) => {
  writeFileSync(join(folder, KIND.marker), '{}');
  writeFileSync(join(folder, 'data.txt'), text);
};
const write = (target: string, produce: (folder: string) => Promise<void>) => writeFolderAtomically(target, produce, { kind: KIND });

describe('writeFolderAtomically', () => {
  it('replaces a previous export as a whole and leaves nothing else behind', async () => {
    const dir = tempDir('atomic-folder');
    const target = join(dir, 'out');
    await write(target, async (folder) => fill(folder, 'first'));
    await write(target, async (folder) => {
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
    await write(target, async (folder) => fill(folder, 'kept'));
    const failure = new Error('disk full');
    await expect(
      write(target, async (folder) => {
        fill(folder, 'half');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(readFileSync(join(target, 'data.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['out']);
  });

  // A full disk during a Karpathy export named `.karpathy.7885.9ae16c4253b6.tmp/coco_karpathy_train.json`,
  // a temporary already deleted by the time the user reads it (found by the issue 16 fault suite).
  it('names the file in the target folder, not in the temporary one, when writing it fails', async () => {
    const dir = tempDir('atomic-folder');
    const target = join(dir, 'karpathy');
    const failed = write(target, async (folder) => {
      throw ioError(join(folder, 'coco_karpathy_train.json'), Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    });
    await expect(failed).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: `Cannot write ${join(target, 'coco_karpathy_train.json')}: ENOSPC: no space left on device, write.`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to replace a file or a folder that is not an export', async () => {
    const dir = tempDir('atomic-folder');
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
    await expect(write(join(dir, 'file'), async () => {})).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(write(join(dir, 'mine'), async () => {})).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('in the way: notes.txt') });
    await expect(write(join(dir, 'no', 'such', 'out'), async () => {})).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('does not exist') });
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir).sort()).toEqual(['file', 'mine']);
  });

  it('replaces a folder with an export marker only when the kind owns it (by default, an export folder owns nothing)', async () => {
    const dir = tempDir('atomic-folder');
    const target = join(dir, 'out');
    mkdirSync(target);
    writeFileSync(join(target, EXPORT_MARKER), '{}');
    writeFileSync(join(target, 'precious.txt'), 'keep me');
    await expect(writeFolderAtomically(target, async (folder) => fill(folder, 'x'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(new RegExp(`${target}.*roundtrip-export\\.json.*would delete precious\\.txt, roundtrip-export\\.json`)),
    });
    const asked: string[] = [];
    const refusing: FolderKind = { marker: EXPORT_MARKER, what: 'export', owns: (at, marker) => (asked.push(`${at}: ${marker.toString()}`), false) };
    await expect(writeFolderAtomically(target, async (folder) => fill(folder, 'x'), { kind: refusing })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(asked).toEqual([`${target}: {}`]);
    expect(readdirSync(target).sort()).toEqual(['precious.txt', EXPORT_MARKER]);
    expect(readdirSync(dir)).toEqual(['out']);

    const owning: FolderKind = { ...refusing, owns: () => true };
    await writeFolderAtomically(target, async (folder) => fill(folder, 'new'), { kind: owning });
    expect(readdirSync(target).sort()).toEqual(['data.txt', 'made-here.json']);
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
