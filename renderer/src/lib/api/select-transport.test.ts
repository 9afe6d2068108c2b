import { describe, expect, it } from 'vitest';
import { IpcTransport } from './ipc-transport.js';
import { selectTransport } from './select-transport.js';
import { WsTransport } from './ws-transport.js';

describe('selectTransport', () => {
  it('uses the preload bridge when Electron provides one', () => {
    const bridge = { invoke: async () => ({ ok: true, result: null }), subscribe: () => () => {} };
    const t = selectTransport({ roundtrip: bridge, location: { href: 'file:///app/index.html' } });
    expect(t).toBeInstanceOf(IpcTransport);
    expect(t.mediaUrl('image', 1)).toBe('roundtrip-media://media/image/1');
  });

  it('falls back to the WebSocket transport in a browser', () => {
    const opened: string[] = [];
    class FakeSocket {
      readyState = 0;
      constructor(url: string) {
        opened.push(url);
      }
      send() {}
      close() {}
      addEventListener() {}
    }
    const saved = globalThis.WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
    try {
      const t = selectTransport({ roundtrip: { invoke: 'not a function' }, location: { href: 'http://127.0.0.1:5000/' } });
      expect(t).toBeInstanceOf(WsTransport);
      expect(opened).toEqual(['ws://127.0.0.1:5000/api/ws']);
      expect(t.mediaUrl('thumb', 9)).toBe('media/thumb/9');
      (t as WsTransport).dispose();
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    }
  });
});
