/**
 * A request body that is not valid UTF-8 was decoded with U+FFFD in place of the bad bytes, and
 * the call went ahead with text the client never sent (a caption, a project path), while the
 * WebSocket refuses such a frame (1007). Found by the issue 16 fault suite.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserServer } from './browser-server.js';
import { type InProcessServer, startInProcessServer } from './testing/in-process-server.js';

let fixture: InProcessServer;
let server: BrowserServer;
let root: string;

beforeAll(async () => {
  fixture = await startInProcessServer('rt-body-utf8-');
  server = fixture.server;
  root = fixture.root;
});

afterAll(() => fixture.dispose());

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
