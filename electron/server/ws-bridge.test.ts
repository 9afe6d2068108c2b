/**
 * Issue 16, defect 1: one malformed WebSocket frame used to end browser mode (an 'error' event
 * on the socket with no listener). The server runs as its own process here, so a death shows as
 * an exit rather than as an error inside the test runner.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame, httpGet, makeServedProject, rawWebSocket, wsCall } from './testing/probes.js';
import { CORPUS, text } from './testing/ws-corpus.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';
import { connect } from 'node:net';


let server: ServerProcess;

beforeAll(async () => {
  const served = await makeServedProject('rt-ws-faults-');
  server = await startServerProcess(served.projectDir, served.rendererDir);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Fails with the server's own log when the process has ended. */
async function expectAlive(after: string): Promise<void> {
  await sleep(50);
  expect(server.exit(), `the server process died after ${after}:\n${server.log()}`).toBeNull();
}

/** Sends `bytes` on an upgraded connection; resolves with the close code the server sent, if any, once it hangs up. */
async function sendAndWaitForClose(bytes: Buffer): Promise<number | null> {
  const socket = await rawWebSocket(server.port, server.token);
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server neither answered nor closed the connection'));
    }, 10_000);
    // A server frame is unmasked: byte 0 is 0x88 for a close, its code in bytes 2–3.
    const closeCode = () => (received.length >= 4 && received[0] === 0x88 ? received.readUInt16BE(2) : null);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // A close the app starts waits for the client's answering close: no need to wait for the hang-up.
      if (closeCode() !== null) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(closeCode());
    });
    socket.write(bytes);
  });
}

describe('browser mode survives malformed WebSocket traffic', () => {
  it.each(CORPUS)('closes only the socket that sent %s', async (what, bytes) => {
    const code = await sendAndWaitForClose(bytes);
    await expectAlive(what);
    // The protocol's own codes: 1002 protocol error, 1003 unsupported data, 1007 bad payload, 1009 too big.
    expect([1002, 1003, 1007, 1009], what).toContain(code);
  });

  it('survives connections reset during and right after the upgrade', async () => {
    for (let i = 0; i < 20; i++) {
      const refused = connect(server.port, '127.0.0.1');
      refused.on('error', () => {});
      await new Promise<void>((resolve) => refused.once('connect', () => resolve()));
      refused.write(`GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${'a'.repeat(22)}==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      refused.resetAndDestroy();
      const upgraded = await rawWebSocket(server.port, server.token);
      upgraded.on('error', () => {});
      upgraded.write(frame(0x81, text('{"id":1,"method":"app:info","input":{}}')).subarray(0, 5));
      upgraded.resetAndDestroy();
    }
    await expectAlive('connections reset mid-upgrade');
  });

  it('still answers HTTP and API calls over a WebSocket afterwards', async () => {
    await expectAlive('the whole corpus');
    const page = await httpGet(server.port, '/', server.token);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Roundtrip</title>');
    expect(await wsCall(server.port, server.token, 'app:info')).toMatchObject({ kind: 'reply', id: 1, ok: true, result: { mode: 'browser' } });
    expect(server.log()).toMatch(/WebSocket closed after a protocol or connection error/);
  });
});
