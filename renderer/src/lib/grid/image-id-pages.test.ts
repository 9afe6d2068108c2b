import { describe, expect, it } from 'vitest';
import { imageIdPages, type ListImages } from './image-id-pages.js';

/** A list of `n` images with ids 1..n, answering as images:list does, and counting its calls. */
function listOf(n: number) {
  const calls: [number, number][] = [];
  const list: ListImages = async (offset, limit) => {
    calls.push([offset, limit]);
    const items = Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => ({ id: offset + i + 1 }));
    return { total: n, items } as unknown as Awaited<ReturnType<ListImages>>;
  };
  return { list, calls };
}

const collect = async (pages: AsyncGenerator<{ ids: number[] }>) => {
  const ids: number[] = [];
  for await (const page of pages) ids.push(...page.ids);
  return ids;
};

describe('imageIdPages', () => {
  it('reads to the end of the list a page of 1000 at a time, stopping at its total', async () => {
    const { list, calls } = listOf(2500);
    expect(await collect(imageIdPages(list, 0))).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(calls).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
  });

  it('reads a range, taking the pages it already knows without a request', async () => {
    const { list, calls } = listOf(5000);
    const known = (offset: number, limit: number) => (offset === 1500 ? Array.from({ length: limit }, (_, i) => offset + i + 1) : null);
    expect(await collect(imageIdPages(list, 500, 2600, known))).toEqual(Array.from({ length: 2101 }, (_, i) => i + 501));
    expect(calls).toEqual([[500, 1000], [2500, 101]]);
  });
});
