import { describe, expect, it } from 'vitest';
import { IpcChannel } from '../../shared/contract/channels.js';
import { createBridge, type IpcRendererLike } from './bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** An ipcRenderer that records what is sent and lets the test push events. */
function fakeIpc() {
  const sent: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      sent.push([channel, ...args]);
      return Promise.resolve({ ok: true, result: 'reply' });
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({}, ...args));
  return { ipc, sent, emit, listeners };
}

describe('preload bridge', () => {
  it('forwards the methods the renderer uses', async () => {
    const { ipc, sent } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(await bridge.invoke('images:list', { offset: 0, limit: 10 })).toEqual({ ok: true, result: 'reply' });
    expect(await bridge.invoke('export:write', { format: 'coco-captions', out: '/tmp/x.json' })).toEqual({ ok: true, result: 'reply' });
    expect(sent).toEqual([
      [IpcChannel.invoke, 'images:list', { offset: 0, limit: 10 }],
      [IpcChannel.invoke, 'export:write', { format: 'coco-captions', out: '/tmp/x.json' }],
    ]);
  });

  it('answers any other method itself, without sending it', async () => {
    const { ipc, sent } = fakeIpc();
    const bridge = createBridge(ipc);
    for (const method of ['settings:get', 'nope', '__proto__', 'toString']) {
      expect(await bridge.invoke(method, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(await bridge.invoke(42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(sent).toEqual([]);
  });

  it('passes events by name and stops when unsubscribed', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const seen: unknown[] = [];
    const off = createBridge(ipc).subscribe((name, payload) => seen.push([name, payload]));
    emit(IpcChannel.event, 'job:progress', { n: 1 });
    emit(IpcChannel.event, 7, 'not a name');
    off();
    emit(IpcChannel.event, 'job:progress', { n: 2 });
    expect(seen).toEqual([['job:progress', { n: 1 }]]);
    expect(listeners.get(IpcChannel.event)?.size).toBe(0);
  });
});
