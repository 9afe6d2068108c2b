import { describe, expect, it } from 'vitest';
import { RpcClient, serveRpc, type MessageChannelLike } from './rpc.js';

/** Two ends of an in-memory channel with structured cloning, like a real IPC hop. */
function channelPair(): [MessageChannelLike, MessageChannelLike] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const end = (self: 0 | 1): MessageChannelLike => ({
    postMessage: (m) => {
      const copy = structuredClone(m);
      queueMicrotask(() => listeners[self === 0 ? 1 : 0].forEach((l) => l(copy)));
    },
    onMessage: (l) => {
      listeners[self].add(l);
      return () => listeners[self].delete(l);
    },
  });
  return [end(0), end(1)];
}

const methods = {
  add: async ({ a, b }: { a: number; b: number }) => a + b,
  embed: async ({ n }: { n: number }) => new Float32Array(n).fill(0.5),
  fail: async () => {
    throw Object.assign(new Error('model.onnx: missing file'), { code: 'NOT_FOUND' });
  },
  slow: async ({ ms, tag }: { ms: number; tag: string }) => {
    await new Promise((r) => setTimeout(r, ms));
    return tag;
  },
};

describe('worker RPC', () => {
  it('correlates replies with calls, carries typed arrays and error codes', async () => {
    const [a, b] = channelPair();
    serveRpc(b, methods);
    const client = new RpcClient<typeof methods>(a);
    expect(await client.call('add', { a: 2, b: 3 })).toBe(5);
    const vector = await client.call('embed', { n: 4 });
    expect(vector).toBeInstanceOf(Float32Array);
    expect(Array.from(vector)).toEqual([0.5, 0.5, 0.5, 0.5]);
    await expect(client.call('fail', {} as never)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'model.onnx: missing file' });
    await expect(client.call('nope' as 'add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
  });

  it('serves one request at a time, in order', async () => {
    const [a, b] = channelPair();
    serveRpc(b, methods);
    const client = new RpcClient<typeof methods>(a);
    const order: string[] = [];
    await Promise.all([
      client.call('slow', { ms: 30, tag: 'first' }).then((t) => order.push(t)),
      client.call('slow', { ms: 1, tag: 'second' }).then((t) => order.push(t)),
    ]);
    expect(order).toEqual(['first', 'second']);
  });

  it('fails calls in flight when the worker goes away', async () => {
    const [a] = channelPair(); // nobody serves the other end
    const client = new RpcClient<typeof methods>(a);
    const pending = client.call('add', { a: 1, b: 2 });
    expect(client.inFlight).toBe(1);
    client.failAll(Object.assign(new Error('The inference worker stopped (SIGKILL)'), { code: 'WORKER_EXITED' }));
    await expect(pending).rejects.toMatchObject({ code: 'WORKER_EXITED' });
  });
});
