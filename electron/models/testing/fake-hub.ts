/**
 * Test helper: a local HTTP server on 127.0.0.1 that answers like the Hugging Face hub — the
 * revision listing, `resolve` URLs (LFS files redirect to a "CDN" path with X-Linked-Etag),
 * Range requests — and can misbehave on demand (drop a connection, trickle bytes, lie about a hash).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  sha: string;
  files: Record<string, Buffer>;
  /** Paths stored in LFS: listed with `lfs.sha256`, served through a redirect. */
  lfs?: string[];
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

export interface FakeHub {
  url: string;
  requests: { url: string; range: string | undefined }[];
  close(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

export async function startFakeHub(repos: Record<string, FakeRepo>, behaviour: FakeHubBehaviour = {}): Promise<FakeHub> {
  const requests: FakeHub['requests'] = [];
  const dropped = new Set<string>();

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

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ url: url.pathname, range: req.headers.range });
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (listing) {
      const repo = repos[listing[1]!];
      const rev = decodeURIComponent(listing[2]!);
      if (!repo) return json(401, { error: 'Repository not found' });
      if (rev !== 'main' && rev !== repo.sha) return json(404, { error: `Invalid rev id: ${rev}` });
      const siblings = Object.entries(repo.files).map(([rfilename, b]) => {
        const lfs = repo.lfs?.includes(rfilename) && !repo.bareListing;
        return { rfilename, size: b.length, blobId: gitSha1(b), ...(lfs ? { lfs: { sha256: repo.lieAbout?.[rfilename] ?? sha256(b), size: b.length, pointerSize: 134 } } : {}) };
      });
      return json(200, { id: listing[1], sha: repo.sha, siblings, ...(repo.license ? { cardData: { license: repo.license } } : {}) });
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const repo = repos[resolve[1]!];
      const path = resolve[3]!.split('/').map(decodeURIComponent).join('/');
      const bytes = repo?.files[path];
      if (!repo || !bytes) return res.writeHead(404, { 'X-Error-Code': 'EntryNotFound' }).end('Entry not found');
      const common = { 'X-Repo-Commit': repo.sha };
      if (repo.lfs?.includes(path)) {
        const etag = repo.lieAbout?.[path] ?? sha256(bytes);
        return res
          .writeHead(302, { ...common, Location: `/cdn/${resolve[1]}/${resolve[3]}`, 'X-Linked-Etag': `"${etag}"`, 'X-Linked-Size': String(bytes.length) })
          .end();
      }
      return void sendBytes(req, res, path, bytes, { ...common, ETag: `"${gitSha1(bytes)}"` });
    }

    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/(.+)$/.exec(url.pathname);
    const bytes = cdn && repos[cdn[1]!]?.files[cdn[2]!.split('/').map(decodeURIComponent).join('/')];
    if (cdn && bytes) return void sendBytes(req, res, cdn[2]!, bytes, {});
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
