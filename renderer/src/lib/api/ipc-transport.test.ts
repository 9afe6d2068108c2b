import { describe, expect, it } from 'vitest';
import { IpcTransport, isRoundtripBridge, type RoundtripBridge } from './ipc-transport.js';

function bridge(reply: (method: string, input: unknown) => Promise<unknown>): RoundtripBridge {
  return { invoke: reply, subscribe: () => () => {} };
}

describe('IpcTransport', () => {
  it('passes well-formed outcomes through', async () => {
    const t = new IpcTransport(bridge(async (method, input) => ({ ok: true, result: { method, input } })));
    expect(await t.invoke('images:get', { id: 3 })).toEqual({ ok: true, result: { method: 'images:get', input: { id: 3 } } });
    const e = new IpcTransport(bridge(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } })));
    expect(await e.invoke('images:get', { id: 3 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } });
  });

  it('turns malformed replies and rejections into INTERNAL errors', async () => {
    const malformed = new IpcTransport(bridge(async () => ({ result: 1 })));
    const outcome = await malformed.invoke('app:info', {});
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('INTERNAL');
    const rejecting = new IpcTransport(bridge(async () => Promise.reject(new Error('boom'))));
    expect(await rejecting.invoke('app:info', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'app:info: boom' } });
  });

  it('serves media from the custom scheme and recognises only a complete bridge', () => {
    expect(new IpcTransport(bridge(async () => null)).mediaUrl('thumb', 7)).toBe('roundtrip-media://media/thumb/7');
    expect(isRoundtripBridge({ invoke: () => null })).toBe(false);
    expect(isRoundtripBridge(undefined)).toBe(false);
  });
});
