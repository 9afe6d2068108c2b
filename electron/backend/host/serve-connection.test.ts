/**
 * The host's side of a window port, over a real Node MessageChannel (structured clone, as
 * Electron's MessagePortMain): requests answered by id, events forwarded, a malformed frame
 * failing only itself, and the window's allowlist applied.
 */
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { isBridgeMethod, refuseBridgeMethod } from '../../../shared/contract/bridge-methods.js';
import type { Backend } from '../backend.js';
import { tempDir } from '../import/test-images.js';
import { testBackend } from '../testing/test-backend.js';
import { PortClient } from './port-client.js';
import { serveConnection } from './serve-connection.js';
import { channelOf } from './testing/port-channel.js';

const silent = { error() {}, warn() {}, info() {} };
const open: { backend: Backend; ports: MessagePort[] }[] = [];
afterEach(async () => {
  for (const { backend, ports } of open.splice(0)) {
    ports.forEach((p) => p.close());
    await backend.dispose();
  }
});

function connected(options: { window?: boolean } = {}) {
  const root = tempDir('serve-connection');
  const backend = testBackend(root);
  const { port1, port2 } = new MessageChannel();
  open.push({ backend, ports: [port1, port2] });
  const refuse = options.window ? (m: string) => (isBridgeMethod(m) ? null : refuseBridgeMethod(m)) : undefined;
  serveConnection(backend, channelOf(port1), { log: silent, refuse });
  const client = new PortClient();
  client.attach(channelOf(port2));
  /** The raw other end, for frames PortClient would never send. */
  const raw = (frame: unknown) =>
    new Promise<unknown>((resolve) => {
      port2.once('message', resolve);
      port2.postMessage(frame);
    });
  const send = (frame: unknown) => port2.postMessage(frame);
  return { root, backend, client, raw, send };
}

describe('serveConnection', () => {
  it('answers API calls by id and forwards the bus', async () => {
    const { root, client } = connected();
    const events: string[] = [];
    client.subscribe((event) => events.push(event));
    const [a, b] = await Promise.all([client.invoke('project:create', { path: join(root, 'p') }), client.invoke('app:info', {})]);
    expect(a).toMatchObject({ ok: true, result: { name: 'p' } });
    expect(b).toMatchObject({ ok: true, result: { mode: 'browser' } });
    expect(events).toContain('project:changed');
  });

  it('fails a malformed frame on its own id and goes on serving', async () => {
    const { client, raw, send } = connected();
    expect(await raw({ id: 7, method: 42 })).toMatchObject({ kind: 'reply', id: 7, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await raw({ id: 8, method: 'images:list', input: { offset: -1, limit: 10 } })).toMatchObject({ kind: 'reply', id: 8, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await raw({ id: 9, method: 'no:such', input: {} })).toMatchObject({ kind: 'reply', id: 9, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // No id to answer: dropped, and the connection still serves.
    for (const junk of [null, 'text', 3, { id: -1 }, { id: 'x', method: 'app:info' }]) send(junk);
    expect(await client.invoke('app:info', {})).toMatchObject({ ok: true });
  });

  it("refuses on a window's port what the window may not call", async () => {
    const { client } = connected({ window: true });
    expect(await client.invoke('settings:get', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await client.invoke('host:shutdown', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await client.invoke('app:info', {})).toMatchObject({ ok: true });
  });
});
