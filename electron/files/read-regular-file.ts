/**
 * The one way Roundtrip reads a file a user pointed it at (COCO files, caption sidecars, images,
 * metrics inputs). Issue 16: a FIFO given as the COCO file hung the import forever, holding a
 * thread, blocking project switches and process exit. So every such file is:
 * - opened once, with O_NONBLOCK, so opening a FIFO returns at once instead of waiting for a writer;
 * - checked through that handle (fstat) to be a regular file: FIFOs, devices, sockets and folders
 *   are refused with a message naming the file and what it is;
 * - read through that same handle, in chunks, each open and read going through the fs gate (so a
 *   stuck file system cannot take libuv's whole thread pool), with a time limit for the whole read
 *   and an AbortSignal to cancel it.
 */
import { constants, type BigIntStats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { identityOf, type FileIdentity } from './imported-file.js';
import { gated } from './fs-gate.js';

/** Long enough for a 512 MB image from a slow disk; a file that takes longer is stuck, not slow. */
export const DEFAULT_READ_TIMEOUT_MS = 120_000;
/** Caption and COCO files: the 2017 COCO captions files are under 100 MB. */
export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export interface ReadOptions {
  /** Cancels the read; it then fails with reason 'cancelled'. */
  signal?: AbortSignal;
  /** The whole read (open, checks and every chunk) must finish within this. */
  timeoutMs?: number;
  /** Larger files are refused before any byte is read. */
  maxBytes?: number;
  /** How messages name the file (e.g. its path inside a dataset); defaults to the path. */
  name?: string;
  /** Called after each chunk with the bytes read so far and the file's size. */
  onProgress?: (done: number, total: number) => void;
}

export type ReadFailure = 'missing' | 'denied' | 'not-regular' | 'too-large' | 'changed' | 'timeout' | 'cancelled' | 'io';

/** Why a file could not be read; `message` names the file and the problem in words a user can act on. */
export class FileReadError extends Error {
  constructor(
    readonly reason: ReadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

export interface RegularFile {
  data: Buffer;
  /** The identity of the handle the bytes came from (see imported-file.ts). */
  identity: FileIdentity;
}

export async function readRegularFile(path: string, options: ReadOptions = {}): Promise<RegularFile> {
  const name = options.name ?? path;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  // The last operation started on the handle: the handle is closed only after it has returned,
  // since closing a descriptor another thread is still reading could hand its number to a new file.
  let inFlight: Promise<unknown> = Promise.resolve();
  const track = (running: Promise<unknown>) => (inFlight = running.catch(() => {}));
  let handle: FileHandle | undefined;
  try {
    const opening = gated(() => open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY), stop, (running) => {
      // An open abandoned by a timeout may still succeed later: close what it opens.
      running.then((late) => handle === undefined && stop.aborted && void (late as FileHandle).close().catch(() => {}), () => {});
    });
    handle = await opening;
    const opened = handle;
    const stats = await gated(() => opened.stat({ bigint: true }), stop, track);
    if (!stats.isFile()) throw new FileReadError('not-regular', `${name} is ${kindOf(stats)}, not a regular file; Roundtrip reads only regular files.`);
    const size = Number(stats.size);
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    if (size > maxBytes) throw new FileReadError('too-large', `${name} is ${megabytes(size)} MB; the limit is ${megabytes(maxBytes)} MB.`);
    const data = await readAll(opened, size, stop, track, options.onProgress);
    if (data === null) throw new FileReadError('changed', `${name} changed while it was being read (it no longer has the ${size} bytes it had when opened); try again once nothing writes to it.`);
    return { data, identity: identityOf(stats) };
  } catch (error) {
    throw describeFailure(error, name, options.signal, timeout, timeoutMs);
  } finally {
    if (handle) {
      const closing = handle;
      void inFlight.then(() => closing.close()).catch(() => {});
    }
  }
}

/** Exactly `size` bytes, or null when the file turned out shorter or longer (written to meanwhile). */
async function readAll(
  handle: FileHandle,
  size: number,
  stop: AbortSignal,
  track: (running: Promise<unknown>) => void,
  onProgress: ReadOptions['onProgress'],
): Promise<Buffer | null> {
  // One spare byte: reading it proves the file ended where fstat said.
  const data = Buffer.allocUnsafe(size + 1);
  let done = 0;
  for (;;) {
    const length = Math.min(CHUNK_BYTES, data.length - done);
    const { bytesRead } = await gated(() => handle.read(data, done, length, done), stop, track);
    if (bytesRead === 0) break;
    done += bytesRead;
    if (done > size) return null;
    onProgress?.(done, size);
  }
  return done === size ? data.subarray(0, size) : null;
}

function describeFailure(error: unknown, name: string, signal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): FileReadError {
  if (error instanceof FileReadError) return error;
  if (signal?.aborted) return new FileReadError('cancelled', `Reading ${name} was cancelled.`);
  if (timeout.aborted) {
    return new FileReadError(
      'timeout',
      `${name} could not be read within ${duration(timeoutMs)} and was given up (is it on a network drive that stopped answering?).`,
    );
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileReadError('missing', `${name} does not exist.`);
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError('denied', `${name} cannot be read: permission denied.`);
  if (code === 'ELOOP') return new FileReadError('io', `${name} cannot be opened: its symbolic links loop (ELOOP).`);
  if (code === 'EISDIR') return new FileReadError('not-regular', `${name} is a folder, not a regular file; Roundtrip reads only regular files.`);
  if (code === 'ENXIO') return new FileReadError('not-regular', `${name} is a socket or device, not a regular file; Roundtrip reads only regular files.`);
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return new FileReadError('io', `${name} cannot be read: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}.`);
}

function kindOf(stats: BigIntStats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
const megabytes = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
