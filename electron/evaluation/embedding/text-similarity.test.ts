import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextEmbedder } from '../../inference/embedders/load.js';
import type { TextEmbedder } from '../../inference/embedders/types.js';
import { cosine } from '../../inference/embedders/vectors.js';
import { FakeTextEmbedder } from './test-support.js';
import { referenceSimilarity, scoreTextSimilarity } from './text-similarity.js';

const MODELS = join(import.meta.dirname, '../../../tests/fixtures/models');

describe('referenceSimilarity', () => {
  it('gives the mean and the max cosine over the references', () => {
    const s = referenceSimilarity([1, 0], [
      [1, 0],
      [0, 1],
      [-1, 0],
      [3, 4],
    ]);
    expect(s.max).toBeCloseTo(1, 12);
    expect(s.mean).toBeCloseTo((1 + 0 - 1 + 0.6) / 4, 12);
    expect(() => referenceSimilarity([1, 0], [])).toThrow(/at least one reference/);
  });
});

describe('scoreTextSimilarity', () => {
  it('scores each candidate against its own image’s references, batch by batch', async () => {
    const embedder = new FakeTextEmbedder(16);
    const items = [
      { candidates: ['a red star', 'green'], references: ['a red star', 'red star on blue'] },
      { candidates: ['two circles'], references: ['circles', 'a pair of circles'] },
      { candidates: [], references: [] },
    ];
    const progress: number[] = [];
    const result = await scoreTextSimilarity(embedder, items, { batchSize: 2, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([2, 3]);
    // Each distinct text of a batch once ("a red star" is candidate and reference).
    expect(embedder.seen.filter((t) => t === 'a red star')).toHaveLength(1);
    expect(result.items[0]![0]!.max).toBeCloseTo(1, 6);
    const [c, r1, r2] = await new FakeTextEmbedder(16).embedTexts(['two circles', 'circles', 'a pair of circles']);
    expect(result.items[1]![0]!.mean).toBeCloseTo((cosine(c!, r1!) + cosine(c!, r2!)) / 2, 6);
    expect(result.items[2]).toEqual([]);
    expect(result.corpus.images).toBe(2);
    expect(result.corpus.candidates).toBe(3);
    const image0 = (result.items[0]![0]!.max + result.items[0]![1]!.max) / 2;
    expect(result.corpus.max).toBeCloseTo((image0 + result.items[1]![0]!.max) / 2, 12);
  });

  it('refuses candidates without references', async () => {
    await expect(scoreTextSimilarity(new FakeTextEmbedder(), [{ candidates: ['x'], references: [] }])).rejects.toThrow(/image 0: candidates but no references/);
  });

  describe('through the contract fixtures (CLIP text tower, all-MiniLM-L6-v2)', () => {
    const embedders: Record<string, TextEmbedder> = {};
    beforeAll(async () => {
      embedders.clip = await loadTextEmbedder(join(MODELS, 'clip-vit-b32'));
      embedders.minilm = await loadTextEmbedder(join(MODELS, 'all-minilm-l6-v2'));
    });
    afterAll(async () => {
      await Promise.all(Object.values(embedders).map((e) => e.dispose()));
    });

    it.each(['clip', 'minilm'])('%s: equals the cosines of the embedder’s own vectors', async (name) => {
      const embedder = embedders[name]!;
      const items = [{ candidates: ['a man riding a horse', 'a dog on a beach'], references: ['a man rides a horse', 'a person on a horse', 'a dog on a beach'] }];
      const result = await scoreTextSimilarity(embedder, items);
      const [c0, c1, r0, r1, r2] = await embedder.embedTexts(['a man riding a horse', 'a dog on a beach', ...items[0]!.references]);
      const cos0 = [cosine(c0!, r0!), cosine(c0!, r1!), cosine(c0!, r2!)];
      expect(result.items[0]![0]!.mean).toBeCloseTo((cos0[0]! + cos0[1]! + cos0[2]!) / 3, 5);
      expect(result.items[0]![0]!.max).toBeCloseTo(Math.max(...cos0), 5);
      // The second candidate is one of the references word for word.
      expect(result.items[0]![1]!.max).toBeCloseTo(1, 5);
      expect(cosine(c1!, r2!)).toBeCloseTo(1, 5);
    });
  });
});
