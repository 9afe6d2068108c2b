/**
 * Atomic, streamed file writing for exports. The content goes to a temporary file beside the
 * target (same folder, so the final rename cannot cross file systems), is flushed to disk, and
 * only then renamed over the target. On any failure the temporary file is removed and a
 * previous file at the target is left exactly as it was. A process killed midway cannot remove
 * it, so the temporary is registered with the temp janitor (temp-janitor.ts), and the next export
 * to the same place sweeps temporaries of processes that no longer exist.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { trackTemp } from './temp-janitor.js';

/** Writes one chunk, waiting when the stream's buffer is full so memory stays bounded. */
export type WriteChunk = (chunk: string) => Promise<void>;

/** `.<name>.<pid>.<random>.tmp` beside `target`; hidden so folder imports skip it. */
export function tempPathFor(target: string, suffix: 'tmp' | 'old' = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/**
 * Removes temporaries of earlier exports to `target` whose process is gone (killed where no temp
 * janitor could run). A folder moved aside by a killed swap is put back if nothing replaced it.
 */
export async function sweepStaleTemps(target: string): Promise<void> {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{12}\.(tmp|old)$/.exec(name.slice(prefix.length));
    if (!match || processAlive(Number(match[1]))) continue;
    const path = join(folder, name);
    if (match[2] === 'old' && !(await exists(target))) await rename(path, target).catch(() => {});
    else await rm(path, { recursive: true, force: true }).catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  return open(path, 'r').then(
    (h) => h.close().then(() => true),
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
}

/** Temp names carry only a pid: on a shared drive another machine's pid means nothing here, so unknown counts as alive. */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Calls `produce` with a writer for a temporary file, then moves the result to `target`.
 * Errors thrown by `produce` propagate unchanged; file system errors become ApiError(Io).
 */
export async function writeFileAtomically(target: string, produce: (write: WriteChunk) => Promise<void>): Promise<void> {
  await sweepStaleTemps(target);
  const temp = tempPathFor(target);
  const registration = trackTemp(temp);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx');
  } catch (error) {
    registration.release();
    throw ioError(target, error);
  }
  // autoClose off: the handle must stay open after the last write so it can be fsynced.
  const stream = handle.createWriteStream({ autoClose: false, encoding: 'utf8' });
  let streamError: Error | undefined;
  stream.on('error', (error) => (streamError ??= error));
  const write: WriteChunk = async (chunk) => {
    if (streamError) throw ioError(target, streamError);
    if (!stream.write(chunk)) await drained(stream, target);
  };
  try {
    await produce(write);
    await endStream(stream, target);
    await handle.sync().catch((error: unknown) => Promise.reject(ioError(target, error)));
    // The stream holds a reference on the handle; close() waits for it until it is destroyed.
    stream.destroy();
    await handle.close();
    await rename(temp, target).catch((error: unknown) => Promise.reject(ioError(target, error)));
  } catch (error) {
    stream.destroy();
    await handle.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  } finally {
    registration.release();
  }
  await syncFolder(dirname(target));
}

async function drained(stream: Writable, target: string): Promise<void> {
  try {
    await once(stream, 'drain');
  } catch (error) {
    throw ioError(target, error);
  }
}

function endStream(stream: Writable, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', (error) => reject(ioError(target, error)));
    stream.once('finish', resolve);
    stream.end();
  });
}

/** Makes the rename itself durable. Not possible on every platform (Windows), hence best effort. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Best effort only.
  } finally {
    await handle?.close().catch(() => {});
  }
}

export function ioError(target: string, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const err = error as NodeJS.ErrnoException;
  const reason = err.code === 'ENOENT' ? `the folder ${dirname(target)} does not exist` : err.message;
  return new ApiError(ErrorCode.Io, `Cannot write ${target}: ${reason}.`);
}
