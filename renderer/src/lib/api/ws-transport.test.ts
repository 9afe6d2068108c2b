import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { LOST_CONNECTION, WsTransport, wsUrlFor, type WebSocketCtor } from './ws-transport.js';

interface Harness {
  server: WebSocketServer;
  url: string;
  connections: ServerSocket[];
  received: unknown[];
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A WebSocket server that echoes `{method, input}` back as the result unless told otherwise. */
async function startServer(reply?: (socket: ServerSocket, msg: { id: number; method: string; input: unknown }) => void): Promise<Harness> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected address');
  const h: Harness = { server, url: `ws://127.0.0.1:${address.port}/api/ws`, connections: [], received: [] };
  server.on('connection', (socket) => {
    h.connections.push(socket);
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id: number; method: string; input: unknown };
      h.received.push(msg);
      if (reply) reply(socket, msg);
      else socket.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, result: { method: msg.method, input: msg.input } }));
    });
  });
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const c of server.clients) c.terminate();
    server.close(() => resolve());
  }));
  return h;
}

function makeTransport(url: string): WsTransport {
  const t = new WsTransport({ url, WebSocketImpl: WebSocket as unknown as WebSocketCtor, initialBackoffMs: 20, maxBackoffMs: 50 });
  cleanups.push(() => t.dispose());
  return t;
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WsTransport', () => {
  it('queues calls made before the socket opens and correlates replies by id', async () => {
    const h = await startServer();
    const t = makeTransport(h.url);
    // Both calls are made synchronously, before 'open'.
    const [a, b] = await Promise.all([t.invoke('images:get', { id: 1 }), t.invoke('app:info', {})]);
    expect(a).toEqual({ ok: true, result: { method: 'images:get', input: { id: 1 } } });
    expect(b).toEqual({ ok: true, result: { method: 'app:info', input: {} } });
    expect(h.received).toEqual([
      { id: 1, method: 'images:get', input: { id: 1 } },
      { id: 2, method: 'app:info', input: {} },
    ]);
  });

  it('matches out-of-order replies to the right calls and passes errors through', async () => {
    const pending: { socket: ServerSocket; id: number; method: string }[] = [];
    const h = await startServer((socket, msg) => pending.push({ socket, ...msg }));
    const t = makeTransport(h.url);
    const first = t.invoke('images:get', { id: 1 });
    const second = t.invoke('project:open', { path: '/x' });
    await until(() => pending.length === 2);
    const [p1, p2] = pending;
    p2!.socket.send(JSON.stringify({ kind: 'reply', id: p2!.id, ok: false, error: { code: 'NOT_FOUND', message: 'no such project' } }));
    p1!.socket.send(JSON.stringify({ kind: 'reply', id: p1!.id, ok: true, result: 'first' }));
    expect(await second).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such project' } });
    expect(await first).toEqual({ ok: true, result: 'first' });
    void h;
  });

  it('delivers events to subscribers until they unsubscribe, ignoring malformed frames', async () => {
    const h = await startServer();
    const t = makeTransport(h.url);
    const seen: [string, unknown][] = [];
    const off = t.subscribe((event, payload) => seen.push([event, payload]));
    await t.invoke('app:info', {}); // ensures the connection is up
    const socket = h.connections[0]!;
    socket.send('not json');
    socket.send(JSON.stringify({ kind: 'nonsense' }));
    socket.send(JSON.stringify({ kind: 'event', event: 'job:progress', payload: { done: 1 } }));
    await until(() => seen.length === 1);
    off();
    socket.send(JSON.stringify({ kind: 'event', event: 'job:progress', payload: { done: 2 } }));
    await t.invoke('app:info', {}); // a round trip after the second event proves it was dropped
    expect(seen).toEqual([['job:progress', { done: 1 }]]);
  });

  it('fails in-flight calls when the connection drops, then reconnects for later calls', async () => {
    const h = await startServer((socket, msg) => {
      if (msg.method === 'hang') socket.terminate();
      else socket.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, result: 'pong' }));
    });
    const t = makeTransport(h.url);
    expect(await t.invoke('ping', {})).toEqual({ ok: true, result: 'pong' });
    expect(await t.invoke('hang', {})).toEqual(LOST_CONNECTION);
    expect(await t.invoke('ping', {})).toEqual({ ok: true, result: 'pong' });
    expect(h.connections.length).toBe(2);
  });

  it('holds unsent calls while the backend is down and sends them once it is back', async () => {
    const first = await startServer();
    const port = new URL(first.url).port;
    await t0(first);
    const t = makeTransport(first.url);
    const call = t.invoke('app:info', {});
    // Nothing listens yet; the transport retries with backoff until a server appears.
    await new Promise((r) => setTimeout(r, 60));
    const second = new WebSocketServer({ host: '127.0.0.1', port: Number(port) });
    cleanups.push(() => new Promise<void>((resolve) => {
      for (const c of second.clients) c.terminate();
      second.close(() => resolve());
    }));
    second.on('connection', (socket) =>
      socket.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { id: number };
        socket.send(JSON.stringify({ kind: 'reply', id: msg.id, ok: true, result: 'late' }));
      }),
    );
    expect(await call).toEqual({ ok: true, result: 'late' });
  });

  it('builds same-origin media and socket URLs', () => {
    expect(wsUrlFor('http://127.0.0.1:4000/')).toBe('ws://127.0.0.1:4000/api/ws');
    expect(wsUrlFor('https://host/app/index.html')).toBe('wss://host/app/api/ws');
  });
});

/** Stops a harness server so its port is free but unanswered. */
async function t0(h: Harness): Promise<void> {
  await new Promise<void>((resolve) => h.server.close(() => resolve()));
}
