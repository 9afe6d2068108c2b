/**
 * A request body that is not valid UTF-8 was decoded with U+FFFD in place of the bad bytes, and
 * the call went ahead with text the client never sent (a caption, a project path), while the
 * WebSocket refuses such a frame (1007). Found by the issue 16 fault suite.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { testBackend } from '../backend/testing/test-backend.js';
import { startBrowserServer, type BrowserServer } from './browser-server.js';

let root: string;
let backend: Backend;
let server: BrowserServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rt-body-utf8-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  backend = testBackend(root);
  server = await startBrowserServer({ backend, rendererDir: join(root, 'renderer'), log: { error() {}, warn() {}, info() {} } });
});

afterAll(async () => {
  await server.close();
  await backend.dispose();
});

describe('API request bodies', () => {
  it('that are not valid UTF-8 are refused with 400 naming the byte, and the call is not made', async () => {
    const prefix = Buffer.from(`{"path":${JSON.stringify(join(root, 'new-'))}`.slice(0, -1));
    const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await fetch(`http://127.0.0.1:${server.port}/api/invoke/project:create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(new RegExp(`not valid UTF-8 \\(byte ${prefix.length}\\)`));
    expect(readdirSync(root).filter((name) => name.startsWith('new-'))).toEqual([]);
    expect(existsSync(join(root, 'renderer'))).toBe(true);
  });
});
