import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, openSync, closeSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gated, blockingOpsInFlight, MAX_BLOCKING_OPS } from './fs-gate.js';
import { FileReadError, readRegularFile } from './read-regular-file.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-read-'));
const failure = (promise: Promise<unknown>): Promise<FileReadError> =>
  promise.then(
    () => {
      throw new Error('the read succeeded');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(FileReadError);
      return error as FileReadError;
    },
  );

describe('readRegularFile', () => {
  it('reads a regular file with the identity of the handle it read', async () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    const { data, identity } = await readRegularFile(file);
    const info = statSync(file, { bigint: true });
    expect(data.toString()).toBe('hello');
    expect(identity).toMatchObject({ dev: String(info.dev), ino: String(info.ino), size: 5 });
  });

  it('refuses a FIFO at once, without waiting for a writer, naming it', async () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const error = await failure(readRegularFile(fifo, { name: 'captions/pipe.json' }));
    expect(error.reason).toBe('not-regular');
    expect(error.message).toBe('captions/pipe.json is a FIFO (named pipe), not a regular file; Roundtrip reads only regular files.');
  });

  it('refuses folders and devices, and reports missing files and link loops', async () => {
    expect((await failure(readRegularFile(dir))).message).toMatch(/is a folder, not a regular file/);
    expect((await failure(readRegularFile('/dev/zero'))).message).toMatch(/is a character device, not a regular file/);
    expect((await failure(readRegularFile(join(dir, 'nope')))).reason).toBe('missing');
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    expect((await failure(readRegularFile(join(dir, 'loop-a')))).message).toMatch(/loop-a cannot be opened: its symbolic links loop/);
  });

  it('refuses a file over maxBytes before reading it', async () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024));
    const error = await failure(readRegularFile(file, { maxBytes: 1024 * 1024 }));
    expect(error.reason).toBe('too-large');
    expect(error.message).toBe(`${file} is 3.0 MB; the limit is 1.0 MB.`);
  });

  it('stops between chunks when cancelled, and reports progress', async () => {
    const file = join(dir, 'sparse.bin');
    writeFileSync(file, '');
    truncateSync(file, 8 * 1024 * 1024);
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await failure(
      readRegularFile(file, {
        signal: controller.signal,
        onProgress: (done) => {
          seen.push(done);
          controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ reason: 'cancelled', message: `Reading ${file} was cancelled.` });
    expect(seen).toEqual([1024 * 1024]);
  });

  it('gives up after its time limit while the file system does not answer, and the pool stays usable', async () => {
    // Two opens of FIFOs without O_NONBLOCK: real threads stuck in the kernel, as on a dead mount.
    const fifos = [join(dir, 'stuck-1'), join(dir, 'stuck-2')];
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const never = new AbortController().signal;
    const stuck = fifos.map((fifo) => gated(() => open(fifo, 'r'), never));
    expect(blockingOpsInFlight()).toBe(MAX_BLOCKING_OPS);

    const file = join(dir, 'slow.txt');
    writeFileSync(file, 'eventually');
    const started = Date.now();
    const error = await failure(readRegularFile(file, { timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe(`${file} could not be read within 300 ms and was given up (is it on a network drive that stopped answering?).`);
    expect(Date.now() - started).toBeLessThan(2_000);
    // libuv's other two threads are free: other file operations still complete.
    await expect(stat(file)).resolves.toBeTruthy();

    // The file system answers again: the stuck opens return and the next read goes through.
    for (const fifo of fifos) closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    for (const handle of await Promise.all(stuck)) await handle.close();
    expect((await readRegularFile(file)).data.toString()).toBe('eventually');
    expect(blockingOpsInFlight()).toBe(0);
  });
});
