import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.js';

/** A fake backend over `total` numbered items whose replies the test releases by hand. */
function fakeBackend(total: number) {
  const calls: { offset: number; limit: number; release: () => void; fail: () => void }[] = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<{ total: number; items: number[] }>((resolve, reject) => {
      const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
      calls.push({ offset, limit, release: () => resolve({ total, items }), fail: () => reject(new Error('nope')) });
    });
  return { calls, fetch };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PageCache', () => {
  it('fetches only the pages that intersect the window, once each', async () => {
    const b = fakeBackend(100_000);
    const cache = new PageCache({ fetch: b.fetch, pageSize: 200 });
    cache.ensure(150, 450); // pages 0, 1, 2
    cache.ensure(150, 450); // already loading: no new calls
    expect(b.calls.map((c) => c.offset)).toEqual([0, 200, 400]);
    expect(cache.get(150)).toBeUndefined();
    b.calls.forEach((c) => c.release());
    await tick();
    expect(cache.get(150)).toBe(150);
    expect(cache.get(401)).toBe(401);
    expect(cache.total).toBe(100_000);
  });

  it('evicts pages far from the window', async () => {
    const b = fakeBackend(100_000);
    const cache = new PageCache({ fetch: b.fetch, pageSize: 100, keepPages: 1 });
    cache.ensure(0, 100);
    b.calls[0]!.release();
    await tick();
    cache.ensure(50_000, 50_100);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.loadedPageCount).toBe(0);
  });

  it('ignores replies that arrive after a reset', async () => {
    const b = fakeBackend(1000);
    const cache = new PageCache({ fetch: b.fetch, pageSize: 100 });
    cache.ensure(0, 10);
    cache.reset();
    b.calls[0]!.release();
    await tick();
    expect(cache.get(0)).toBeUndefined();
    expect(cache.total).toBeNull();
    cache.ensure(0, 10); // the reset also forgot the pending load, so it is requested again
    expect(b.calls).toHaveLength(2);
  });

  it('does not request pages past the known total', async () => {
    const b = fakeBackend(150);
    const cache = new PageCache({ fetch: b.fetch, pageSize: 100 });
    cache.ensure(0, 10);
    b.calls[0]!.release();
    await tick();
    cache.ensure(0, 1000);
    expect(b.calls.map((c) => c.offset)).toEqual([0, 100]);
  });

  it('keeps showing pages during refresh and replaces them when the refetch lands', async () => {
    const b = fakeBackend(1000);
    const cache = new PageCache({ fetch: b.fetch, pageSize: 100 });
    cache.ensure(0, 10);
    b.calls[0]!.release();
    await tick();
    cache.update((n) => n === 5, () => -5);
    expect(cache.get(5)).toBe(-5);
    cache.refresh();
    cache.ensure(0, 10);
    expect(b.calls).toHaveLength(2);
    expect(cache.get(5)).toBe(-5); // still the old value until the reply
    b.calls[1]!.release();
    await tick();
    expect(cache.get(5)).toBe(5);
  });

  it('reports failures and retries the page later', async () => {
    const b = fakeBackend(1000);
    const errors: unknown[] = [];
    const cache = new PageCache({ fetch: b.fetch, pageSize: 100, onError: (e) => errors.push(e) });
    cache.ensure(0, 10);
    b.calls[0]!.fail();
    await tick();
    expect(errors).toHaveLength(1);
    cache.ensure(0, 10);
    expect(b.calls).toHaveLength(2);
  });
});
