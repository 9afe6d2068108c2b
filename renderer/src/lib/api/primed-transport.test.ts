import { describe, expect, it } from 'vitest';
import type { Transport } from '../../../../shared/contract/client.js';
import type { Outcome } from '../../../../shared/contract/wire.js';
import { PrimedTransport } from './primed-transport.js';

function fakeTransport() {
  const calls: [string, unknown][] = [];
  let listener: ((event: string, payload: unknown) => void) | null = null;
  const inner: Transport = {
    invoke: (method, input) => {
      calls.push([method, input]);
      return Promise.resolve({ ok: true, result: calls.length } as Outcome<unknown>);
    },
    subscribe: (l) => {
      listener = l;
      return () => {};
    },
    mediaUrl: (kind, id) => `media/${kind}/${id}`,
  };
  return { inner, calls, emit: (event: string) => listener?.(event, null) };
}

describe('PrimedTransport', () => {
  it('sends a primed call at once and gives its reply to the first equal call, once', async () => {
    const { inner, calls } = fakeTransport();
    const t = new PrimedTransport(inner);
    t.prime('images:list', { offset: 0, limit: 200 });
    expect(calls).toEqual([['images:list', { offset: 0, limit: 200 }]]);
    await expect(t.invoke('images:list', { limit: 200, offset: 0 })).resolves.toEqual({ ok: true, result: 1 });
    await expect(t.invoke('images:list', { offset: 0, limit: 200 })).resolves.toEqual({ ok: true, result: 2 });
    expect(calls).toHaveLength(2);
  });

  it('does not hand a primed reply to a call with another input', async () => {
    const { inner, calls } = fakeTransport();
    const t = new PrimedTransport(inner);
    t.prime('images:list', { offset: 0, limit: 200 });
    await t.invoke('images:list', { offset: 0, limit: 200, status: 'accepted' });
    expect(calls).toHaveLength(2);
  });

  it('drops early replies after any event, and when they are too old', async () => {
    const { inner, calls, emit } = fakeTransport();
    let now = 0;
    const t = new PrimedTransport(inner, () => now);
    t.prime('app:info', {});
    emit('project:changed');
    await t.invoke('app:info', {});
    expect(calls).toHaveLength(2);

    t.prime('app:info', {});
    now = 6_000;
    await expect(t.invoke('app:info', {})).resolves.toEqual({ ok: true, result: 4 });
    expect(calls).toHaveLength(4);
  });
});
