/**
 * The preload's port bridge against a real backend served by the host's serveConnection over
 * Node MessageChannels (the ports Electron hands a renderer behave as these): the main process's
 * IPC is a fake that delivers ports and state messages.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { IpcChannel } from '../../shared/contract/channels.js';
import { serveConnection } from '../backend/host/serve-connection.js';
import { channelOf } from '../backend/host/testing/port-channel.js';
import type { Backend } from '../backend/backend.js';
import { tempDir } from '../backend/import/test-images.js';
import { testBackend } from '../backend/testing/test-backend.js';
import { BACKEND_STATE_EVENT, createPortBridge, type PortIpcLike, type PortLike } from './port-bridge.js';

type Listener = (event: { ports?: readonly PortLike[] }, ...args: unknown[]) => void;
const silent = { error() {}, warn() {}, info() {} };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function setup() {
  const listeners = new Map<string, Listener[]>();
  const ipc: PortIpcLike = { on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l as Listener]) };
  const emit = (channel: string, event: { ports?: readonly PortLike[] }, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l(event, ...args));
  const backend: Backend = testBackend(tempDir('port-bridge'));
  cleanup.push(() => backend.dispose());
  /** What main does once a host is ready: a new channel, one end to the host, the other to the page. */
  const handOverPort = () => {
    const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
    const stop = serveConnection(backend, channelOf(port1), { log: silent });
    cleanup.push(() => (stop(), port1.close()));
    emit(IpcChannel.port, { ports: [port2 as unknown as PortLike] });
  };
  return { bridge: createPortBridge(ipc), emit, handOverPort };
}

describe('preload port bridge', () => {
  it('holds calls until the host is ready, then answers them over the port', async () => {
    const { bridge, handOverPort } = setup();
    const early = bridge.invoke('app:info', {});
    handOverPort();
    expect(await early).toMatchObject({ ok: true, result: { mode: 'browser' } });
  });

  it('refuses methods the window may not call without sending them', async () => {
    const { bridge } = setup();
    // No port at all: an allowed call would wait; a refused one answers at once.
    expect(await bridge.invoke('settings:get', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('fails the call in flight when the backend restarts, tells the page, and goes on over the new port', async () => {
    const { bridge, emit, handOverPort } = setup();
    const seen: unknown[] = [];
    bridge.subscribe((event, payload) => seen.push([event, payload]));
    handOverPort();
    const inFlight = bridge.invoke('app:info', {});
    const state = { state: 'restarting', message: 'the backend stopped (signal SIGKILL).' };
    emit(IpcChannel.backendState, {}, state);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'BACKEND_RESTARTED' } });
    expect(seen).toEqual([[BACKEND_STATE_EVENT, state]]);
    const later = bridge.invoke('app:info', {});
    handOverPort();
    expect(await later).toMatchObject({ ok: true });
  });
});
