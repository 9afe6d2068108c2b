import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../../../shared/contract/review-schemas.js';
import type { ImageDetail } from '../../../../shared/contract/schemas.js';
import { ItemCache } from './item-cache.js';

const detail = (id: number, status: ImageDetail['status'] = 'undecided'): ImageDetail => ({
  id,
  datasetId: 1,
  externalId: null,
  fileName: `${id}.png`,
  width: 8,
  height: 8,
  status,
  caption: null,
  sha256: 'h',
  bytes: 1,
  references: [],
  referenceCount: 0,
  decision: null,
  history: [],
});
const item = (id: number): ReviewItem => ({ image: detail(id), runId: 1, candidates: [] });

function setup(capacity = 48) {
  const fetched: number[] = [];
  const preloaded: number[] = [];
  const cache = new ItemCache(
    async (id) => {
      fetched.push(id);
      if (id === 13) throw new Error('unlucky');
      return item(id);
    },
    async (it) => preloaded.push(it.image.id),
    capacity,
  );
  return { cache, fetched, preloaded };
}

describe('ItemCache', () => {
  it('fetches an item once, preloads its images, and answers synchronously afterwards', async () => {
    const { cache, fetched, preloaded } = setup();
    expect(cache.get(1)).toBeUndefined();
    const [a, b] = await Promise.all([cache.load(1), cache.load(1)]);
    expect(a).toBe(b);
    expect(cache.get(1)).toBe(a);
    await Promise.resolve();
    expect([fetched, preloaded]).toEqual([[1], [1]]);
  });

  it('prefetches quietly, forgets failures so a visit retries, and evicts the least recently used', async () => {
    const { cache, fetched } = setup(2);
    cache.prefetch([13]);
    await expect(cache.load(13)).rejects.toThrow('unlucky');
    await cache.load(13).catch(() => {});
    expect(fetched).toEqual([13, 13]);
    await cache.load(1);
    await cache.load(2);
    cache.get(1); // 2 is now the least recently used
    await cache.load(3);
    expect([cache.get(1) !== undefined, cache.get(2) !== undefined, cache.get(3) !== undefined]).toEqual([true, false, true]);
  });

  it('patches a cached item after a decision and drops one still loading', async () => {
    const { cache, fetched } = setup();
    await cache.load(1);
    expect(cache.patchImage(detail(1, 'accepted'))?.image.status).toBe('accepted');
    expect(cache.get(1)?.image.status).toBe('accepted');
    const loading = cache.load(2);
    expect(cache.patchImage(detail(2, 'rejected'))).toBeUndefined();
    await loading;
    expect(cache.get(2)).toBeUndefined();
    await cache.load(2);
    expect(fetched.filter((id) => id === 2)).toHaveLength(2);
  });
});
