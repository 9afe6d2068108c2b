/**
 * Test helper: a local Hugging Face hub on 127.0.0.1 with a second "CDN" server on another port,
 * as the real hub serves LFS files (`resolve` answers 302 to a signed URL on another host with
 * X-Linked-Etag / X-Linked-Size). It lists repos as the hub's `?blobs=true` API does (`blobId`
 * for every file, `lfs: {sha256, size}` for LFS ones), gates repos behind a token (401/403 with
 * `X-Error-Code: GatedRepo`), lists PyTorch weights it will never serve (`declared`: asking for one
 * is recorded in `forbidden`), honours Range, and misbehaves on demand (drop a connection, trickle
 * bytes, lie about a hash). Every request is recorded with the server it reached and whether it
 * carried an Authorization header.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface FakeRepo {
  sha: string;
  files: Record<string, Buffer>;
  /** Paths stored in LFS: listed with `lfs.sha256`, served through a redirect to the CDN. */
  lfs?: string[];
  /** Files listed (as LFS, with this size) but never served: PyTorch weights a pull must not fetch. */
  declared?: Record<string, number>;
  /** Files answer 401 (no token) or 403 (another token) with X-Error-Code GatedRepo unless this token is sent. */
  gated?: { token: string };
  /** A sha256 to advertise instead of the real one (listing and X-Linked-Etag). */
  lieAbout?: Record<string, string>;
  /** Leave `lfs` out of the listing, so the client must take the hash from X-Linked-Etag. */
  bareListing?: boolean;
  license?: string;
}

export interface FakeHubBehaviour {
  /** Close the socket after this many body bytes, on the first request for the path only. */
  dropOnceAfter?: Record<string, number>;
  /** Send the path in chunks of `chunk` bytes, `delayMs` apart. */
  trickle?: Record<string, { chunk: number; delayMs: number }>;
}

export interface FakeHubRequest {
  server: 'hub' | 'cdn';
  url: string;
  range: string | undefined;
  authorization: string | undefined;
}

export interface FakeHub {
  url: string;
  cdnUrl: string;
  requests: FakeHubRequest[];
  /** Requests for `declared` files (PyTorch weights): a correct pull leaves this empty. */
  forbidden: string[];
  close(): Promise<void>;
}

export const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const gitSha1Of = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
const decodePath = (raw: string) => raw.split('/').map(decodeURIComponent).join('/');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startFakeHub(repos: Record<string, FakeRepo>, behaviour: FakeHubBehaviour = {}): Promise<FakeHub> {
  const requests: FakeHubRequest[] = [];
  const forbidden: string[] = [];
  const dropped = new Set<string>();
  const record = (server: FakeHubRequest['server'], req: IncomingMessage, url: URL) =>
    requests.push({ server, url: url.pathname, range: req.headers.range, authorization: req.headers.authorization });

  const sendBytes = async (req: IncomingMessage, res: ServerResponse, path: string, bytes: Buffer, headers: Record<string, string>) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= bytes.length && range) {
      res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      return;
    }
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Length': String(body.length),
      'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    const dropAt = behaviour.dropOnceAfter?.[path];
    if (dropAt !== undefined && !dropped.has(path)) {
      dropped.add(path);
      res.write(body.subarray(0, dropAt), () => res.socket?.destroy());
      return;
    }
    const trickle = behaviour.trickle?.[path];
    if (!trickle) return void res.end(body);
    for (let at = 0; at < body.length && !res.destroyed; at += trickle.chunk) {
      res.write(body.subarray(at, at + trickle.chunk));
      await new Promise((r) => setTimeout(r, trickle.delayMs));
    }
    res.end();
  };

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    record('cdn', req, url);
    const match = /^\/cdn\/([^/]+\/[^/]+)\/(.+)$/.exec(url.pathname);
    const path = match ? decodePath(match[2]!) : '';
    const bytes = match && repos[match[1]!]?.files[path];
    if (!bytes) return void res.writeHead(404).end();
    // The real CDN URL is signed; the hub's token has no business here (and must not arrive).
    void sendBytes(req, res, path, bytes, {});
  });
  const cdnUrl = await listen(cdn);

  const hub = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    record('hub', req, url);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));

    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (listing) {
      const repo = repos[listing[1]!];
      const rev = decodeURIComponent(listing[2]!);
      if (!repo) return json(401, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
      if (rev !== 'main' && rev !== repo.sha) return json(404, { error: `Invalid rev id: ${rev}` }, { 'X-Error-Code': 'RevisionNotFound' });
      const siblings = Object.entries(repo.files).map(([rfilename, b]) => {
        const lfs = repo.lfs?.includes(rfilename) && !repo.bareListing;
        // An LFS file's git blob is its pointer, so its blobId is the pointer's sha1, not the content's.
        const sha = repo.lieAbout?.[rfilename] ?? sha256Of(b);
        return lfs ? lfsSibling(rfilename, sha, b.length) : { rfilename, size: b.length, blobId: gitSha1Of(b) };
      });
      for (const [rfilename, size] of Object.entries(repo.declared ?? {})) siblings.push(lfsSibling(rfilename, sha256Of(Buffer.from(rfilename)), size));
      return json(200, { id: listing[1], sha: repo.sha, siblings, ...(repo.gated ? { gated: 'manual' } : {}), ...(repo.license ? { cardData: { license: repo.license } } : {}) });
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const repo = repos[resolve[1]!];
      const path = decodePath(resolve[3]!);
      if (repo?.gated && req.headers.authorization !== `Bearer ${repo.gated.token}`) {
        const status = req.headers.authorization ? 403 : 401;
        return void res.writeHead(status, { 'X-Error-Code': 'GatedRepo', 'X-Error-Message': 'Access to this model is restricted.' }).end('gated');
      }
      if (repo?.declared?.[path] !== undefined) {
        forbidden.push(`${resolve[1]}/${path}`);
        return void res.writeHead(410).end('this fake hub never serves PyTorch weights');
      }
      const bytes = repo?.files[path];
      if (!repo || !bytes) return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' }).end('Entry not found');
      const common = { 'X-Repo-Commit': repo.sha };
      if (repo.lfs?.includes(path)) {
        const etag = repo.lieAbout?.[path] ?? sha256Of(bytes);
        return void res
          .writeHead(302, { ...common, Location: `${cdnUrl}/cdn/${resolve[1]}/${resolve[3]}?X-Amz-Signature=fake`, 'X-Linked-Etag': `"${etag}"`, 'X-Linked-Size': String(bytes.length) })
          .end();
      }
      return void sendBytes(req, res, path, bytes, { ...common, ETag: `"${gitSha1Of(bytes)}"` });
    }
    res.writeHead(404).end();
  });
  const hubUrl = await listen(hub);

  const close = (server: Server) =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return { url: hubUrl, cdnUrl, requests, forbidden, close: async () => void (await Promise.all([close(hub), close(cdn)])) };
}

function lfsSibling(rfilename: string, sha256: string, size: number) {
  const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
  return { rfilename, size, blobId: gitSha1Of(pointer), lfs: { sha256, size, pointerSize: pointer.length } };
}

/** Files git-lfs holds in published model repos (their `.gitattributes`); everything else is a plain git blob. */
const LFS_FILE = /\.(onnx|onnx_data(_\d+)?|onnx\.data|pb|bin|safetensors|msgpack|h5|ckpt|pt)$/;

/** A fake repo serving a folder exactly as it lies on disk (a committed published-layout fixture). */
export async function repoFromFolder(dir: string, options: Omit<FakeRepo, 'files' | 'lfs'>): Promise<FakeRepo> {
  const files: Record<string, Buffer> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files[path] = await readFile(join(dir, path));
    }
  };
  await walk('');
  return { ...options, files, lfs: Object.keys(files).filter((p) => LFS_FILE.test(p)) };
}
