import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../backend/dispatcher.js';
import { isWithin } from '../files/within.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The Content-Type the renderer's build files are served with, by extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolves a URL path to a file inside `root`, or null if it would leave it or does not exist. */
export function resolveStaticFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(join(root, decoded === '/' ? 'index.html' : decoded));
  if (!isWithin(file, root)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export interface SendFileOptions {
  contentType?: string | undefined;
  cache?: string;
  /** Serve only if the opened file is still this one (checked on the handle, so a swap after the check is caught). */
  expect?: { dev: bigint; ino: bigint } | undefined;
  log?: Logger;
}

/**
 * Sends a file as the whole response. The file is opened once and everything (type check, size,
 * bytes) comes from that handle, so a file renamed, deleted or swapped meanwhile fails this one
 * response (404 before the headers, a cut connection after) and never the process: a read stream
 * piped without an error listener throws its 'error' out of the event loop (issue 16).
 * Resolves when the response is done, whatever happened; never rejects.
 */
export async function sendFile(res: ServerResponse, file: string, options: SendFileOptions = {}): Promise<void> {
  const { log = console } = options;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return fail(res, 404, `${file} cannot be opened (${codeOf(error)})`);
  }
  let size: number;
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) return await closeAndFail(handle, res, 404, `${file} is not a file`);
    if (options.expect && (stats.dev !== options.expect.dev || stats.ino !== options.expect.ino)) {
      return await closeAndFail(handle, res, 409, `${file} was replaced while it was being opened; try again`);
    }
    size = Number(stats.size);
  } catch (error) {
    return closeAndFail(handle, res, 500, `${file} cannot be read (${codeOf(error)})`);
  }
  res.writeHead(200, {
    'Content-Type': options.contentType ?? contentTypeOf(file),
    'Content-Length': size,
    'Cache-Control': options.cache ?? 'no-cache',
  });
  if (size === 0) {
    await handle.close().catch(() => {});
    res.end();
    return;
  }
  // Never more than the length announced, should the file grow while it is read.
  const stream = handle.createReadStream({ start: 0, end: size - 1, autoClose: true });
  try {
    await pipeline(stream, res);
  } catch (error) {
    // pipeline has destroyed both ends; a client that went away is not worth a warning.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.warn(`Serving ${file} failed: ${codeOf(error)}`);
  }
}

async function closeAndFail(handle: FileHandle, res: ServerResponse, status: number, message: string): Promise<void> {
  await handle.close().catch(() => {});
  fail(res, status, message);
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
