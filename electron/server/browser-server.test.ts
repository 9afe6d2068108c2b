import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBackend, type Backend } from '../backend/backend.js';
import { startBrowserServer, type BrowserServer } from './browser-server.js';

let backend: Backend;
let server: BrowserServer;
let imageId: number;
let imageFile: string;
const PNG_1x1 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082'.replace(/ /g, ''),
  'hex',
);

/** A raw HTTP request, so that paths reach the server exactly as written (no URL normalisation). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const withToken = () => ({ authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'rt-server-'));
  const renderer = join(root, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Roundtrip</title>');
  mkdirSync(join(renderer, 'assets'));
  writeFileSync(join(renderer, 'assets', 'index-abc123.js'), 'export {};');
  const images = join(root, 'images');
  mkdirSync(images);
  imageFile = join(images, 'dot.png');
  writeFileSync(imageFile, PNG_1x1);
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');

  backend = createBackend({ mode: 'browser', version: 'test', actor: 'tester', log: { error() {}, warn() {}, info() {} } });
  const project = backend.session.create(join(root, 'project'));
  const ds = project.datasets.ensure(images, 'images', 'folder');
  imageId = project.images.insert({ datasetId: ds.id, externalId: null, relPath: 'dot.png', sha256: createHash('sha256').update(PNG_1x1).digest('hex'), bytes: PNG_1x1.length, width: 1, height: 1 });
  server = await startBrowserServer({ backend, rendererDir: renderer });
});

afterAll(async () => {
  await server.close();
  backend.dispose();
});

describe('browser mode security', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(`/media/image/${imageId}`)).status).toBe(401);
    expect((await get('/', { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('trades the token for an HttpOnly cookie and then serves the app with a strict CSP', async () => {
    const first = await get(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    // The app moves to a random session path, and the cookie is valid there only: browsers do not
    // keep cookies apart by port, so a cookie for "/" would go to every other 127.0.0.1 service.
    const location = String(first.headers.location);
    expect(location).toMatch(/^\/s\/[A-Za-z0-9_-]{16}\/$/);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toContain(`Path=${location}`);
    expect(cookie).not.toContain('token=');
    const page = await get(location, { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    // Under the session path, the app's relative URLs reach the same routes.
    const key = backend.session.require().mediaKey;
    expect((await get(`${location}media/image/${imageId}?p=${key}`, { cookie: cookie.split(';')[0]! })).status).toBe(200);
    expect((await get(`${location}../../etc/passwd`, { cookie: cookie.split(';')[0]! })).status).toBe(404);
    // The hashed bundles stay cacheable under the session path; the path without its slash is sent to it.
    expect((await get(`${location}assets/index-abc123.js`, { cookie: cookie.split(';')[0]! })).headers['cache-control']).toMatch(/immutable/);
    const bare = await get(location.slice(0, -1));
    expect([bare.status, bare.headers.location]).toEqual([308, location]);
    expect(page.body).toContain('<title>Roundtrip</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('lets the browser keep the hashed build assets', async () => {
    const script = await get('/assets/index-abc123.js', withToken());
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toMatch(/immutable/);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    expect((await get('/', { ...withToken(), host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('serves project images by id only, and nothing by path', async () => {
    const key = backend.session.require().mediaKey;
    const ok = await get(`/media/image/${imageId}?p=${key}`, withToken());
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    // Without the project's media key, or with another project's, nothing is served.
    expect((await get(`/media/image/${imageId}`, withToken())).status).toBe(404);
    expect((await get(`/media/image/${imageId}?p=0123456789abcdef`, withToken())).status).toBe(404);
    for (const path of [
      '/media/image/../../secret.txt',
      '/media/image/..%2F..%2Fsecret.txt',
      `/media/image/${imageId + 1000}`,
      '/media/image/-1',
      '/media/file/1',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    ]) {
      const res = await get(path, withToken());
      expect([403, 404], path).toContain(res.status);
      expect(res.body).not.toContain('not for the browser');
    }
  });

  it('refuses an image whose file was swapped for another of the same size, naming the file', async () => {
    const key = backend.session.require().mediaKey;
    const swapped = Buffer.from(PNG_1x1);
    swapped.writeUInt8(swapped.readUInt8(swapped.length - 1) ^ 0xff, swapped.length - 1);
    writeFileSync(imageFile, swapped);
    const res = await get(`/media/image/${imageId}?p=${key}`, withToken());
    expect([res.status, res.body]).toEqual([409, expect.stringContaining(`${imageFile} is not the file that was imported`)]);
    writeFileSync(imageFile, PNG_1x1);
    expect((await get(`/media/image/${imageId}?p=${key}`, withToken())).status).toBe(200);
  });

  it('answers a malformed method name in the URL with 400, not an internal error', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/invoke/%E0`, { method: 'POST', headers: { ...withToken(), 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not valid percent-encoding');
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const attempt = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, { headers });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => resolve('refused'));
      });
    expect(await attempt({})).toBe('refused');
    expect(await attempt({ ...withToken(), origin: 'http://evil.example' })).toBe('refused');
    expect(await attempt({ ...withToken(), origin: `http://127.0.0.1:${server.port}` })).toBe('open');
  });
});
