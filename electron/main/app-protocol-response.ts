/**
 * What the `app://` protocol answers: the built renderer's files and nothing else, with the
 * security headers browser mode sends (plus the media scheme in img-src). Plain Node (global
 * Response), so the path rules are tested here; app-protocol.ts hands Electron's requests over.
 */
import { readFile } from 'node:fs/promises';
import { ELECTRON_SECURITY_HEADERS } from '../server/security-headers.js';
import { contentTypeOf, resolveStaticFile } from '../server/static-files.js';
import { APP_HOST } from './app-origin.js';

export interface AppRequest {
  readonly url: string;
  readonly method: string;
}

/** Reads a whole file; Electron's fs.promises.readFile also reads from inside the asar archive. */
export type ReadWholeFile = (path: string) => Promise<Uint8Array>;

export async function appResponse(rendererDir: string, request: AppRequest, read: ReadWholeFile = readFile): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const url = new URL(request.url);
  if (url.host.toLowerCase() !== APP_HOST) return plain(404, 'Not found');
  // resolveStaticFile decodes the path and refuses anything that leaves rendererDir or is not a file.
  const file = resolveStaticFile(rendererDir, url.pathname);
  if (!file) return plain(404, 'Not found');
  let body: Uint8Array;
  try {
    body = await read(file);
  } catch {
    return plain(404, 'Not found'); // gone or replaced by a folder since the check
  }
  const headers = { ...ELECTRON_SECURITY_HEADERS, 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' };
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...ELECTRON_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
