import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, ELECTRON_CONTENT_SECURITY_POLICY } from '../server/security-headers.js';
import { APP_URL } from './app-origin.js';
import { appResponse } from './app-protocol-response.js';

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rt-app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Roundtrip</title>');
  writeFileSync(join(rendererDir, 'assets', 'start-1.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'not for the page');
});

const get = (url: string, method = 'GET') => appResponse(rendererDir, { url, method });

describe('app:// protocol', () => {
  it('serves the renderer with the security headers browser mode sends, plus the media scheme for images', async () => {
    const page = await get(APP_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Roundtrip</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(ELECTRON_CONTENT_SECURITY_POLICY);
    expect(ELECTRON_CONTENT_SECURITY_POLICY).toMatch(/img-src 'self' data: blob: roundtrip-media:;/);
    expect(ELECTRON_CONTENT_SECURITY_POLICY.replace(' roundtrip-media:', '')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const script = await get('app://roundtrip/assets/start-1.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('export {};');
    expect((await get('app://roundtrip/')).status).toBe(200);
  });

  it('serves nothing outside the renderer folder, however the path is spelled', async () => {
    for (const url of [
      'app://roundtrip/../secret.txt',
      'app://roundtrip/%2e%2e/secret.txt',
      'app://roundtrip/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://roundtrip/..%5csecret.txt',
      'app://roundtrip/%2fetc%2fpasswd',
      'app://roundtrip/index.html%00.png',
      'app://roundtrip/%E0%A4%A',
      'app://roundtrip/assets',
      'app://roundtrip/missing.js',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for the page');
    }
  });

  it('answers only its own host and only reads', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get(APP_URL, 'POST')).status).toBe(405);
    const head = await get(APP_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('fails the one request when the file cannot be read after the check', async () => {
    const response = await appResponse(rendererDir, { url: APP_URL, method: 'GET' }, () => Promise.reject(new Error('ENOENT')));
    expect(response.status).toBe(404);
  });
});
