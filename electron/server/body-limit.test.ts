/**
 * Issue 16, defect 6: a request body over the limit reset the connection (the server destroyed
 * the request mid-upload), so the client saw ECONNRESET instead of an answer. It now gets 413,
 * whether the body announces its length or is sent in chunks, and the server goes on answering.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, type BrowserServer } from './browser-server.js';
import { type InProcessServer, startInProcessServer } from './testing/in-process-server.js';

let fixture: InProcessServer;
let server: BrowserServer;

beforeAll(async () => {
  fixture = await startInProcessServer('rt-body-');
  server = fixture.server;
});

afterAll(() => fixture.dispose());

/** POSTs `size` bytes to an API method, in 64 KB chunks, with or without a Content-Length. */
function post(size: number, announce: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    if (announce) headers['content-length'] = size;
    const req = request({ host: '127.0.0.1', port: server.port, path: '/api/invoke/app:info', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // Spaces: a body of any size that is JSON whitespace; '{}' for the small request that must succeed.
    const chunk = size === 2 ? Buffer.from('{}') : Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('request bodies over the limit', () => {
  it('are answered 413 with the limit, announced or chunked, and the server keeps answering', async () => {
    for (const announce of [true, false]) {
      const res = await post(MAX_BODY_BYTES + 1024 * 1024, announce);
      expect(res.status, `Content-Length ${announce ? 'sent' : 'not sent'}`).toBe(413);
      expect(res.body).toBe('Request body too large: the limit is 4 MB.\n');
    }
    const ok = await post(2, true);
    expect(ok.status).toBe(200);
  });
});
