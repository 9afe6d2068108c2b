import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { etagSha256, HubClient, HubError, isSafeRepoPath } from './hub-client.js';
import { gitBlobSha1 } from './hub/expected-hash.js';
import { HubToken } from './hub/hub-token.js';
import { gitSha1Of, startFakeHub, type FakeHub } from './testing/fake-hub.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BIG = randomBytes(256 * 1024);
const SMALL = Buffer.from('{"model_type":"clip"}');

let dir: string;
let hub: FakeHub | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-hub-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

const repo = (extra: object = {}) => ({ 'org/m': { sha: 'a'.repeat(40), files: { 'onnx/model.onnx': BIG, 'config.json': SMALL }, lfs: ['onnx/model.onnx'], license: 'mit', ...extra } });
const client = (h: FakeHub) => new HubClient({ baseUrl: h.url, retryDelayMs: 1 });

describe('HubClient.listing', () => {
  it('reads the revision listing: pinned sha, sizes, LFS sha256 and licence', async () => {
    hub = await startFakeHub(repo());
    const listing = await client(hub).listing('org/m', 'main');
    expect(listing).toEqual({
      repo: 'org/m',
      revision: 'main',
      sha: 'a'.repeat(40),
      licence: 'mit',
      files: [
        // An LFS file's blobId is its pointer's git sha1, not its content's.
        { path: 'onnx/model.onnx', size: BIG.length, sha256: sha256(BIG), blobId: gitSha1Of(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(BIG)}\nsize ${BIG.length}\n`)) },
        { path: 'config.json', size: SMALL.length, blobId: gitSha1Of(SMALL) },
      ],
    });
    expect(hub.requests[0]!.url).toBe('/api/models/org/m/revision/main');
  });

  it('gives a clear error for a repo or revision that does not exist', async () => {
    hub = await startFakeHub(repo());
    await expect(client(hub).listing('org/nope', 'main')).rejects.toThrow(`org/nope@main: repository not found (or private) on ${hub.url} (HTTP 401)`);
    await expect(client(hub).listing('org/m', 'v9')).rejects.toThrow('org/m@v9: repository not found (or private)');
  });
});

describe('HubClient.download', () => {
  const file = { path: 'onnx/model.onnx', size: BIG.length, sha256: sha256(BIG) };

  it('downloads through the LFS redirect, checks the hash and renames into place', async () => {
    hub = await startFakeHub(repo());
    const progress: number[] = [];
    const result = await client(hub).download('org/m', 'main', file, join(dir, 'onnx/model.onnx'), { onProgress: (done) => progress.push(done) });
    expect(result).toEqual({ sha256: sha256(BIG), bytes: BIG.length });
    expect(sha256(await readFile(join(dir, 'onnx/model.onnx')))).toBe(sha256(BIG));
    expect(await readdir(join(dir, 'onnx'))).toEqual(['model.onnx']);
    expect(progress.at(-1)).toBe(BIG.length);
    expect(hub.requests.map((r) => r.url)).toEqual(['/org/m/resolve/main/onnx/model.onnx', '/cdn/org/m/onnx/model.onnx']);
  });

  it('resumes with a Range request after the server drops the connection midway', async () => {
    hub = await startFakeHub(repo(), { dropOnceAfter: { 'onnx/model.onnx': 100_000 } });
    const result = await client(hub).download('org/m', 'main', file, join(dir, 'model.onnx'));
    expect(result.sha256).toBe(sha256(BIG));
    expect(sha256(await readFile(join(dir, 'model.onnx')))).toBe(sha256(BIG));
    const cdn = hub.requests.filter((r) => r.url.startsWith('/cdn/'));
    expect(cdn).toHaveLength(2);
    expect(cdn[0]!.range).toBeUndefined();
    expect(cdn[1]!.range).toMatch(/^bytes=(\d+)-$/);
    expect(Number(/\d+/.exec(cdn[1]!.range!)![0])).toBeGreaterThan(0);
  });

  it('takes the sha256 from X-Linked-Etag when the listing has none, and refuses a mismatch leaving nothing behind', async () => {
    hub = await startFakeHub(repo({ bareListing: true, lieAbout: { 'onnx/model.onnx': 'f'.repeat(64) } }));
    const dest = join(dir, 'model.onnx');
    const error = await client(hub)
      .download('org/m', 'main', { path: 'onnx/model.onnx', size: BIG.length }, dest)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as Error).message).toBe(`onnx/model.onnx: sha256 mismatch (expected ${'f'.repeat(64)}, got ${sha256(BIG)}); the download was discarded`);
    expect(await readdir(dir)).toEqual([]);
    // Refused at once: a bad hash is not retried.
    expect(hub.requests.filter((r) => r.url.startsWith('/cdn/'))).toHaveLength(1);
  });

  it('gives a clear error for a file that is not there', async () => {
    hub = await startFakeHub(repo());
    await expect(client(hub).download('org/m', 'main', { path: 'onnx/missing.onnx' }, join(dir, 'x'))).rejects.toThrow(
      `onnx/missing.onnx: not found on the hub (HTTP 404 for ${hub.url}/org/m/resolve/main/onnx/missing.onnx)`,
    );
    expect(hub.requests).toHaveLength(1);
  });

  it('leaves a resumable .part when cancelled, and the next download continues from it', async () => {
    hub = await startFakeHub(repo(), { trickle: { 'onnx/model.onnx': { chunk: 16 * 1024, delayMs: 20 } } });
    const dest = join(dir, 'model.onnx');
    const controller = new AbortController();
    const cancelled = client(hub).download('org/m', 'main', file, dest, {
      signal: controller.signal,
      onProgress: (done) => done >= 64 * 1024 && controller.abort(),
    });
    await expect(cancelled).rejects.toThrow();
    const partSize = (await stat(`${dest}.part`)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(BIG.length);
    await expect(stat(dest)).rejects.toThrow();

    await client(hub).download('org/m', 'main', file, dest);
    expect(sha256(await readFile(dest))).toBe(sha256(BIG));
    expect(hub.requests.filter((r) => r.url.startsWith('/cdn/')).at(-1)!.range).toBe(`bytes=${partSize}-`);
  });

  it('starts over when the server ignores Range and answers 200', async () => {
    hub = await startFakeHub({ 'org/m': { sha: 'b'.repeat(40), files: { 'config.json': SMALL } } });
    const dest = join(dir, 'config.json');
    await writeFile(`${dest}.part`, 'garbage');
    // Non-LFS files are served directly; the fake hub honours Range, so emulate an old proxy.
    const ignoringRange = new HubClient({ baseUrl: hub.url, fetch: (url, init) => fetch(url, { ...init, headers: {} }) });
    await ignoringRange.download('org/m', 'main', { path: 'config.json', size: SMALL.length }, dest);
    expect(await readFile(dest)).toEqual(SMALL);
  });

  it('finishes a part that is already whole (416 on resume)', async () => {
    hub = await startFakeHub(repo());
    const dest = join(dir, 'model.onnx');
    await writeFile(`${dest}.part`, BIG);
    expect(await client(hub).download('org/m', 'main', file, dest)).toEqual({ sha256: sha256(BIG), bytes: BIG.length });
    expect(sha256(await readFile(dest))).toBe(sha256(BIG));
  });
});

describe('HubClient with a token', () => {
  const TOKEN = 'hf_TokenThatMustStayOnTheHub';
  const file = { path: 'onnx/model.onnx', size: BIG.length, sha256: sha256(BIG) };
  const withToken = (h: FakeHub, token = TOKEN) => new HubClient({ baseUrl: h.url, retryDelayMs: 1, token: new HubToken(token, 'HF_TOKEN') });

  it('sends it to the hub and never to the CDN host an LFS file redirects to', async () => {
    hub = await startFakeHub(repo({ gated: { token: TOKEN } }));
    await withToken(hub).listing('org/m', 'main');
    await withToken(hub).download('org/m', 'main', file, join(dir, 'model.onnx'));
    expect(sha256(await readFile(join(dir, 'model.onnx')))).toBe(sha256(BIG));
    expect(hub.requests.map((r) => [r.server, r.authorization])).toEqual([
      ['hub', `Bearer ${TOKEN}`],
      ['hub', `Bearer ${TOKEN}`],
      ['cdn', undefined],
    ]);
  });

  it('says how to give a token when a gated repo refuses the request, and names only where a refused token came from', async () => {
    hub = await startFakeHub(repo({ gated: { token: TOKEN } }));
    const anonymous = await client(hub).download('org/m', 'main', file, join(dir, 'x')).catch((e: unknown) => e);
    expect(anonymous).toBeInstanceOf(HubError);
    expect(anonymous).toMatchObject({ kind: 'gated', retryable: false });
    expect((anonymous as Error).message).toBe(
      `org/m is a gated repository; accept the licence on ${hub.url}/org/m while logged in, then give Roundtrip a token: set HF_TOKEN, or run \`huggingface-cli login\` (it writes ~/.cache/huggingface/token)`,
    );
    const wrong = await withToken(hub, 'hf_WrongTokenValue').readSmall('org/m', 'main', { path: 'config.json' }).catch((e: unknown) => e);
    expect((wrong as Error).message).toBe(`org/m is a gated repository; the token from HF_TOKEN was refused (HTTP 403): accept the licence on ${hub.url}/org/m with the account that token belongs to, or use another token`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('is sent only over https or to this machine: never in the clear to another host', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetch = async (url: string, init?: RequestInit) => {
      seen.push({ url, auth: new Headers(init?.headers).get('authorization') });
      return new Response('{"sha":"' + 'a'.repeat(40) + '","siblings":[]}', { status: 200 });
    };
    const token = new HubToken('hf_Secret', 'HF_TOKEN');
    for (const base of ['http://mirror.example', 'http://10.0.0.5:8080', 'https://mirror.example', 'http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9']) {
      await new HubClient({ baseUrl: base, fetch, token }).listing('org/m', 'main');
    }
    expect(seen.map((s) => [new URL(s.url).origin, s.auth])).toEqual([
      ['http://mirror.example', null],
      ['http://10.0.0.5:8080', null],
      ['https://mirror.example', 'Bearer hf_Secret'],
      ['http://127.0.0.1:9', 'Bearer hf_Secret'],
      ['http://localhost:9', 'Bearer hf_Secret'],
      ['http://[::1]:9', 'Bearer hf_Secret'],
    ]);
    const plain = new HubClient({ baseUrl: 'http://mirror.example', fetch, token });
    expect(plain.tokenWithheld).toBe('the token from HF_TOKEN is not sent to http://mirror.example: it is neither https nor this machine (127.0.0.1, ::1, localhost)');
    expect(new HubClient({ baseUrl: 'https://mirror.example', fetch, token }).tokenWithheld).toBeUndefined();
  });

  it('keeps the token out of a network error that would quote it', async () => {
    hub = await startFakeHub(repo());
    const bad = 'hf_with_nul\0x';
    const error = await withToken(hub, bad).listing('org/m', 'main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as Error).message).toContain('[token]');
    expect((error as Error).message).not.toContain(bad);
  });
});

describe('HubClient.readSmall', () => {
  it('reads a config into memory, checked against its git blob sha1, writing nothing', async () => {
    hub = await startFakeHub(repo());
    const bytes = await client(hub).readSmall('org/m', 'main', { path: 'config.json', size: SMALL.length, blobId: gitBlobSha1(SMALL) });
    expect(bytes).toEqual(SMALL);
    await expect(client(hub).readSmall('org/m', 'main', { path: 'config.json', blobId: 'a'.repeat(40) })).rejects.toThrow(
      `config.json: git blob sha1 mismatch (expected ${'a'.repeat(40)}, got ${gitBlobSha1(SMALL)})`,
    );
    await expect(client(hub).readSmall('org/m', 'main', { path: 'onnx/model.onnx', size: BIG.length }, 1024)).rejects.toThrow('onnx/model.onnx: 262144 bytes, too large to read as a config (limit 1024)');
    expect(await readdir(dir)).toEqual([]);
  });
});

/** A server whose every answer is a body that never ends (or one that announces more than it sends): what a config read must not wait for. */
async function endlessServer(contentLength?: number): Promise<{ url: string; sent: () => number; close: () => Promise<void> }> {
  let sent = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, contentLength === undefined ? {} : { 'Content-Length': String(contentLength) });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const timer = setInterval(() => {
      if (res.destroyed || sent > 64 * 1024 * 1024) return clearInterval(timer);
      sent += chunk.length;
      res.write(chunk);
    }, 2);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, sent: () => sent, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describe('HubClient.readSmall, bounded', () => {
  it('stops reading a body without a length once it passes the limit', { timeout: 10_000 }, async () => {
    const server = await endlessServer();
    try {
      const read = new HubClient({ baseUrl: server.url }).readSmall('org/m', 'main', { path: 'config.json' }, 256 * 1024);
      await expect(read).rejects.toThrow('config.json: more than 262144 bytes, too large to read as a config');
      expect(server.sent()).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('refuses a body whose Content-Length is over the limit before reading it', { timeout: 10_000 }, async () => {
    const server = await endlessServer(512 * 1024 * 1024);
    try {
      await expect(new HubClient({ baseUrl: server.url }).readSmall('org/m', 'main', { path: 'config.json' }, 1024)).rejects.toThrow(
        'config.json: 536870912 bytes, too large to read as a config (limit 1024)',
      );
    } finally {
      await server.close();
    }
  });
});

describe('etagSha256', () => {
  it('normalises quoted and weak ETags and ignores git sha1 ETags', () => {
    const h = (pairs: Record<string, string>) => new Headers(pairs);
    expect(etagSha256(h({ 'X-Linked-Etag': `"${'A'.repeat(64)}"` }))).toBe('a'.repeat(64));
    expect(etagSha256(h({ ETag: `W/"${'b'.repeat(64)}"` }))).toBe('b'.repeat(64));
    expect(etagSha256(h({ ETag: `"${'c'.repeat(40)}"` }))).toBeUndefined();
  });
});

describe('isSafeRepoPath', () => {
  it('accepts relative paths inside the repo and refuses any that could leave it', () => {
    for (const ok of ['config.json', 'onnx/model.onnx_data', 'tokenizer/vocab.json', 'a..b/c']) expect(isSafeRepoPath(ok), ok).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'tokenizer/../../x', 'a/./b', 'a//b', 'a/', 'a\\..\\b', 'C:/x', 'a\0b']) expect(isSafeRepoPath(bad), bad).toBe(false);
  });
});

