import { describe, expect, it } from 'vitest';
import { batchSizeOf, DEFAULT_EVAL_BATCH_SIZE, embedImageStream, embedTextsOnce, inBatches } from './batches.js';
import { FakeImageEmbedder, fakeImage, FakeTextEmbedder } from './test-support.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('inBatches', () => {
  it('slices arrays, generators and async generators alike', async () => {
    const want = [[0, 1, 2], [3, 4, 5], [6]];
    expect(await collect(inBatches([0, 1, 2, 3, 4, 5, 6], 3))).toEqual(want);
    function* gen() {
      for (let i = 0; i < 7; i++) yield i;
    }
    async function* agen() {
      for (let i = 0; i < 7; i++) yield i;
    }
    expect(await collect(inBatches(gen(), 3))).toEqual(want);
    expect(await collect(inBatches(agen(), 3))).toEqual(want);
    expect(await collect(inBatches([], 3))).toEqual([]);
  });

  it('pulls lazily and stops at an abort before the next batch', async () => {
    const controller = new AbortController();
    let pulled = 0;
    function* gen() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const seen: number[][] = [];
    await expect(
      (async () => {
        for await (const batch of inBatches(gen(), 4, controller.signal)) {
          seen.push(batch);
          if (seen.length === 2) controller.abort(new Error('cancelled by the user'));
        }
      })(),
    ).rejects.toThrow('cancelled by the user');
    expect(seen.length).toBe(2);
    expect(pulled).toBe(8);
  });

  it('defaults to 32 and refuses a non-positive or fractional batch size', () => {
    expect(batchSizeOf({})).toBe(DEFAULT_EVAL_BATCH_SIZE);
    expect(DEFAULT_EVAL_BATCH_SIZE).toBe(32);
    expect(() => batchSizeOf({ batchSize: 0 })).toThrow(/positive integer/);
    expect(() => batchSizeOf({ batchSize: 2.5 })).toThrow(/positive integer/);
  });
});

describe('embedImageStream', () => {
  it('embeds in order, batchSize at a time, holding at most one batch of loaded images', async () => {
    const embedder = new FakeImageEmbedder();
    const raws = Array.from({ length: 11 }, (_, i) => fakeImage(i * 20, 100, 200 - i * 10, i % 2 === 0));
    const progress: number[] = [];
    const vectors = await collect(embedImageStream(embedder, raws.map((r) => embedder.lazy(r)), { batchSize: 4, onProgress: (n) => progress.push(n) }));
    expect(embedder.calls).toEqual([4, 4, 3]);
    expect(embedder.maxLive).toBeLessThanOrEqual(4);
    expect(progress).toEqual([4, 8, 11]);
    const direct = await new FakeImageEmbedder().embedImages(raws);
    expect(vectors).toEqual(direct);
  });

  it('accepts decoded RGB directly as well as lazy loaders', async () => {
    const embedder = new FakeImageEmbedder();
    const raw = fakeImage(10, 20, 30);
    const [a, b] = await collect(embedImageStream(embedder, [raw, () => raw]));
    expect(a).toEqual(b);
  });
});

describe('embedTextsOnce', () => {
  it('embeds each distinct text once, with the prefix', async () => {
    const embedder = new FakeTextEmbedder();
    const map = await embedTextsOnce(embedder, ['a cat', 'a dog', 'a cat'], 'A photo depicts ');
    expect(embedder.seen).toEqual(['A photo depicts a cat', 'A photo depicts a dog']);
    expect([...map.keys()]).toEqual(['a cat', 'a dog']);
  });
});
