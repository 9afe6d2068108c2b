/**
 * Browser mode: the renderer build and the API on 127.0.0.1 only, guarded by a per-run token.
 * Routes: `/` and static files of the renderer build, `/media/{thumb,image}/<id>?p=<media key>`
 * for images of the open project (`/media/reconstruction/<candidate id>` for what a suggest run
 * drew), `/api/ws` (WebSocket) and `POST /api/invoke/<method>` (scripting). The app itself runs
 * under a random session path (`/s/…/` + the same routes), where its cookie is valid.
 */
import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from '../backend/backend.js';
import type { Logger } from '../backend/dispatcher.js';
import { mediaKeyOf, parseMediaPath } from '../backend/media/media-service.js';
import { firstInvalidUtf8 } from '../files/decode-text.js';
import { createSessionPath, createToken, RequestAuth } from './auth.js';
import { setSecurityHeaders } from './security-headers.js';
import { resolveStaticFile, sendFile } from './static-files.js';
import { WsBridge } from './ws-bridge.js';

export interface BrowserServerOptions {
  backend: Backend;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Where failures of single connections are reported (default: the console). */
  log?: Logger;
}

export interface BrowserServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** The largest API request body; larger ones are answered 413 (docs/limits.md). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How much of an oversized body is read and dropped so the 413 reaches the client; past this the connection is cut. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? createToken();
  const server = createServer();
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const auth = new RequestAuth(token, port, createSessionPath());
  const log = options.log ?? console;
  const bridge = new WsBridge(options.backend, log);

  // Whatever fails on one connection fails that connection only: an 'error' event without a
  // listener would throw and end the process (issue 16).
  server.on('error', (error) => log.error(`Browser server: ${error.message}`));
  server.on('request', (req, res) => {
    const dropped = (error: NodeJS.ErrnoException) => log.warn(`Browser server: ${req.method} ${req.url?.split('?')[0]}: ${error.code ?? error.message}`);
    req.on('error', dropped);
    res.on('error', dropped);
    handleRequest(req, res, { ...options, auth, log }).catch((error: Error) => {
      log.error(`Browser server: ${req.method} ${req.url?.split('?')[0]} failed: ${error.message}`);
      if (!res.headersSent) reply(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    // Node takes its own error listener off a socket it hands over for an upgrade.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      log.warn(`WebSocket connection failed: ${error.code ?? error.message}`);
      socket.destroy();
    });
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (routeOf(url.pathname, auth.sessionPath) !== '/api/ws' || !auth.hostAllowed(req) || !auth.originAllowed(req) || !auth.hasValidToken(req, url)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    bridge.accept(req, socket, head);
  });

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        bridge.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface RequestDeps extends BrowserServerOptions {
  auth: RequestAuth;
  log: Logger;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: RequestDeps): Promise<void> {
  setSecurityHeaders(res);
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  const { auth } = deps;
  if (!auth.hostAllowed(req) || !auth.originAllowed(req)) return reply(res, 403, 'Forbidden host or origin');
  if (url.pathname === auth.sessionPath.slice(0, -1)) {
    // The session path without its slash: the cookie's Path does not cover it, and relative URLs would miss it.
    res.writeHead(308, { Location: auth.sessionPath + url.search });
    res.end();
    return;
  }
  if (!auth.hasValidToken(req, url)) {
    return reply(res, 401, 'Roundtrip: this address needs the token printed by `roundtrip serve`.');
  }
  // The same routes answer at the root (scripts with a Bearer header) and under the session path
  // (the app, with its cookie).
  const route = routeOf(url.pathname, auth.sessionPath);
  if (auth.tokenFromQuery(url) !== null && req.method === 'GET' && !route.startsWith('/api/')) {
    // Trade the token in the address bar for an HttpOnly cookie, drop it from the URL, and move
    // to the session path the cookie is scoped to.
    res.setHeader('Set-Cookie', auth.sessionCookie());
    url.searchParams.delete('token');
    res.writeHead(303, { Location: auth.sessionPath + route.slice(1) + url.search });
    res.end();
    return;
  }
  if (route.startsWith('/api/invoke/') && req.method === 'POST') return invoke(req, res, route, deps);
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method not allowed');
  if (route.startsWith('/media/')) {
    const target = parseMediaPath(route);
    const file = target && (await deps.backend.media.resolve(target.kind, target.imageId, mediaKeyOf(url)));
    if (!file) return reply(res, 404, 'No such image in the open project');
    if ('refused' in file) return reply(res, 409, file.refused);
    return sendFile(res, file.path, { contentType: file.contentType, cache: 'private, max-age=3600', expect: file.identity, log: deps.log });
  }
  const file = resolveStaticFile(deps.rendererDir, route);
  if (!file) return reply(res, 404, 'Not found');
  // Vite names everything under assets/ by content hash, so a cached copy is never stale;
  // index.html (not hashed) is revalidated on every load.
  return sendFile(res, file, { cache: route.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache', log: deps.log });
}

/** A request path with the session path taken off (`/s/Qx…/media/thumb/1` → `/media/thumb/1`); others as they are. */
function routeOf(pathname: string, sessionPath: string): string {
  return pathname.startsWith(sessionPath) ? `/${pathname.slice(sessionPath.length)}` : pathname;
}

async function invoke(req: IncomingMessage, res: ServerResponse, route: string, deps: RequestDeps): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req)) || '{}');
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      return reply(res, 413, `Request body too large: the limit is ${MAX_BODY_BYTES / (1024 * 1024)} MB.`);
    }
    if (error instanceof BodyNotUtf8) return reply(res, 400, `Request body is not valid UTF-8 (byte ${error.byteOffset}); send JSON as UTF-8.`);
    return reply(res, 400, `Request body is not JSON: ${(error as Error).message}`);
  }
  let method: string;
  try {
    method = decodeURIComponent(route.slice('/api/invoke/'.length));
  } catch {
    return reply(res, 400, 'The method name in the URL is not valid percent-encoding');
  }
  const outcome = await deps.backend.dispatcher.dispatch(method, body, { actor: deps.backend.actor });
  res.writeHead(outcome.ok ? 200 : 400, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(outcome));
}

class BodyTooLarge extends Error {}

class BodyNotUtf8 extends Error {
  constructor(readonly byteOffset: number) {
    super(`not valid UTF-8 at byte ${byteOffset}`);
  }
}

/**
 * The request body as text, BodyNotUtf8 if it is not valid UTF-8, or BodyTooLarge once it passes MAX_BODY_BYTES. An oversized body is
 * read to its end and dropped before the caller answers 413: destroying the request mid-upload
 * reset the connection, and the client never saw why (issue 16). A body that goes on past
 * MAX_DRAINED_BYTES is cut off all the same.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const announced = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(announced) && announced > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (size > MAX_BODY_BYTES + MAX_DRAINED_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (tooLarge) return reject(new BodyTooLarge());
      const body = Buffer.concat(chunks);
      // Strictly: toString('utf8') would put U+FFFD in place of bad bytes and run the call with
      // text the client never sent (issue 16 fault suite); the WebSocket refuses such frames too.
      if (!isUtf8(body)) return reject(new BodyNotUtf8(firstInvalidUtf8(body)));
      resolve(body.toString('utf8'));
    });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
