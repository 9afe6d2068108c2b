/**
 * The malformed WebSocket corpus against browser mode (issue 16, defect 1), sent whole, in small
 * pieces, and after a good request on the same socket, plus frames cut off, lengths past 2^53,
 * bad UTF-8 in every place and hostile JSON envelopes. Every case must close (or answer) that one
 * socket; the server must go on answering.
 */
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame, makeServedProject, rawWebSocket } from '../../electron/server/testing/probes.js';
import { CORPUS, text } from '../../electron/server/testing/ws-corpus.js';
import { MAX_MESSAGE_BYTES } from '../../electron/server/ws-bridge.js';
import { startServer, type FaultServer } from './support/server.js';
import { count, flushTally } from './support/tally.js';

const request = (body: string) => frame(0x81, text(body));
const GOOD = '{"id":7,"method":"app:info","input":{}}';

function hugeLength(first: number): Buffer {
  // A 64-bit length with its top bit set: more than 2^53 - 1, which ws refuses.
  const header = Buffer.from([first, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]);
  return header;
}

/** Further cases: what the frame breaks, its bytes, and what the server should do (close with one of these codes, or answer). */
const MORE: [string, Buffer, (number | null)[] | 'reply'][] = [
  ['a 64-bit length above 2^53', hugeLength(0x81), [1009, 1002]],
  ['a close frame of one byte', frame(0x88, Buffer.from([0x03])), [1002]],
  ['an overlong UTF-8 encoding of "/"', frame(0x81, Buffer.from([0x22, 0xc0, 0xaf, 0x22])), [1007]],
  ['a lone surrogate encoded as UTF-8', frame(0x81, Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])), [1007]],
  ['a code point above U+10FFFF', frame(0x81, Buffer.from([0xf4, 0x90, 0x80, 0x80])), [1007]],
  ['invalid UTF-8 split across two fragments', Buffer.concat([frame(0x01, Buffer.from([0x7b, 0xe2, 0x82])), frame(0x80, Buffer.from([0x28, 0x7d]))]), [1007]],
  ['a text frame inside a fragmented message', Buffer.concat([frame(0x01, text('{"id":')), frame(0x81, text('1}'))]), [1002]],
  ['JSON nested 100,000 deep', request(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), [1007]],
  ['an envelope with a negative id', request('{"id":-1,"method":"app:info","input":{}}'), [1007]],
  ['an envelope whose method is not a string', request('{"id":1,"method":["app:info"],"input":{}}'), [1007]],
  ['an envelope that is an array', request('[1,"app:info",{}]'), [1007]],
  ['an envelope of null', request('null'), [1007]],
  ['an envelope with an id past 2^53', request('{"id":1e400,"method":"app:info","input":{}}'), [1007]],
  ['a ping between the fragments of a good request', Buffer.concat([frame(0x01, text(GOOD.slice(0, 10))), frame(0x89, text('p')), frame(0x80, text(GOOD.slice(10)))]), 'reply'],
  ['a request for an unknown method', request('{"id":7,"method":"__proto__","input":{}}'), 'reply'],
  ['__proto__ and constructor keys in the envelope and the input', request('{"id":7,"method":"app:info","input":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}},"__proto__":{"id":8}}'), 'reply'],
  ['a good request padded with whitespace to just under the limit', request(GOOD + ' '.repeat(MAX_MESSAGE_BYTES - GOOD.length - 1)), 'reply'],
  // ws answers the first pongs, then drops a connection that floods it (1006, no close frame): either is fine.
  ['a thousand pings', Buffer.concat(Array.from({ length: 1000 }, () => frame(0x89, text('ping')))), [null, 1000, 1008]],
  ['a close frame with no body', frame(0x88, Buffer.alloc(0)), [1000, 1005]],
];

interface Seen {
  closeCode: number | null;
  replies: string[];
  hungUp: boolean;
}

/** Reads the server's (unmasked) frames from `socket` until it closes, a reply arrives (`untilReply`), or `ms` pass. */
function watch(socket: Socket, untilReply: boolean, ms = 10_000): Promise<Seen> {
  return new Promise((resolve) => {
    const seen: Seen = { closeCode: null, replies: [], hungUp: false };
    let buffer = Buffer.alloc(0);
    const done = () => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve(seen);
    };
    const timer = setTimeout(done, ms);
    socket.on('error', () => {});
    socket.on('close', () => {
      seen.hungUp = true;
      done();
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const opcode = buffer[0]! & 0x0f;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x8) {
          seen.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          socket.destroy();
          return done();
        }
        if (opcode === 0x1) {
          seen.replies.push(payload.toString());
          if (untilReply) {
            socket.destroy();
            return done();
          }
        }
      }
    });
  });
}

let server: FaultServer;
let root: string | undefined;

beforeAll(async () => {
  const served = await makeServedProject('rt-faults-ws-');
  root = served.root;
  server = await startServer(served.projectDir);
}, 60_000);

afterAll(async () => {
  flushTally();
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function expectAlive(after: string): Promise<void> {
  await sleep(20);
  if (server.exit() !== null) count('deaths');
  expect(server.exit(), `the server died after ${after}:\n${server.log()}`).toBeNull();
}

async function send(bytes: Buffer, how: 'whole' | 'in pieces' | 'after a good request'): Promise<Socket> {
  const socket = await rawWebSocket(server.port, server.token);
  if (how === 'after a good request') socket.write(request(GOOD));
  if (how !== 'in pieces') {
    socket.write(bytes);
    return socket;
  }
  // Pieces of 1 to 7 bytes (the first kilobytes only: a 4 MB frame is not sent byte by byte).
  const head = bytes.subarray(0, 4096);
  for (let at = 0, n = 1; at < head.length; at += n, n = (n % 7) + 1) {
    socket.write(head.subarray(at, at + n));
    if (at % 64 === 0) await sleep(1);
  }
  socket.write(bytes.subarray(4096));
  return socket;
}

describe('browser mode under the malformed WebSocket corpus', () => {
  for (const how of ['whole', 'in pieces', 'after a good request'] as const) {
    it.each(CORPUS)(`closes only the socket that sent %s (${how})`, async (what, bytes) => {
      const socket = await send(bytes, how);
      const seen = await watch(socket, false);
      count('cases');
      await expectAlive(`${what} (${how})`);
      expect([1002, 1003, 1007, 1009], `${what}: ${JSON.stringify(seen)}`).toContain(seen.closeCode);
    });
  }

  it.each(MORE)('copes with %s', async (what, bytes, expected) => {
    const socket = await send(bytes, 'whole');
    const seen = await watch(socket, expected === 'reply');
    count('cases');
    await expectAlive(what);
    if (expected === 'reply') expect(seen.replies, what).toHaveLength(1);
    else expect(expected, `${what}: ${JSON.stringify(seen)}`).toContain(seen.closeCode);
  });

  it('copes with frames cut off mid-header and mid-payload, half-closed or left hanging', async () => {
    const full = request(GOOD);
    for (const cut of [1, 2, 5, 6, 10, full.length - 1]) {
      for (const end of ['half-close', 'reset', 'leave open'] as const) {
        const socket = await rawWebSocket(server.port, server.token);
        socket.on('error', () => {});
        socket.write(full.subarray(0, cut));
        if (end === 'half-close') socket.end();
        if (end === 'reset') socket.resetAndDestroy();
        if (end === 'leave open') {
          await sleep(100);
          socket.destroy();
        } else if (end === 'half-close') await watch(socket, false, 5_000);
        count('cases');
        await expectAlive(`a frame cut after ${cut} bytes (${end})`);
      }
    }
  });

  it('still answers over HTTP and over a new WebSocket afterwards', async () => {
    await expectAlive('the whole corpus');
    const socket = await rawWebSocket(server.port, server.token);
    socket.write(request(GOOD));
    const seen = await watch(socket, true);
    expect(JSON.parse(seen.replies[0]!)).toMatchObject({ kind: 'reply', id: 7, ok: true, result: { mode: 'browser' } });
    expect(await server.answers()).toBe(true);
  });
});
