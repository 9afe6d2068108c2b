import { describe, expect, it } from 'vitest';
import { CaptionCorpus, TokenCache } from './caption-corpus.js';
import { scoreCaptions } from './score-captions.js';

const references = new Map<string, string[]>([
  ['a', ['A red circle on the left.', 'a red ball at the left side', 'a circle, red, to the left']],
  ['b', ['a blue square at the top', 'A blue box near the top of the picture']],
  ['c', ['a green star in the middle', 'a green star at the centre', 'green star']],
  ['d', ['two yellow triangles on a grey background', 'some yellow shapes']],
]);
const candidates: Record<string, string[]> = {
  a: ['a red circle on the left', 'a blue circle', 'red ball, left side.'],
  b: ['a blue square at the top', 'a square', 'a blue box at the top of the picture'],
  c: ['a star', 'a green star in the middle of the image', 'two green stars'],
  d: ['yellow triangles', 'two yellow triangles', 'something yellow on grey'],
};

describe('CaptionCorpus', () => {
  it('gives exactly the corpus and per-image figures of scoreCaptions for any choice of one caption per image', () => {
    const ids = [...references.keys()];
    const corpus = new CaptionCorpus(ids, references, new TokenCache());
    for (const choice of [[0, 0, 0, 0], [1, 2, 0, 1], [2, 1, 2, 2], [0, 2, 1, 0]]) {
      const hypotheses = new Map(ids.map((id, i) => [id, candidates[id]![choice[i]!]!]));
      const direct = scoreCaptions(references, hypotheses);
      expect(corpus.corpus((i) => candidates[ids[i]!]![choice[i]!]!)).toEqual(direct.corpus);
      ids.forEach((id, i) => expect(corpus.score(i, hypotheses.get(id)!).scores).toEqual(direct.perImage.get(id)));
    }
  });

  it('uses the document frequencies of its own set of images', () => {
    const sub = ['a', 'c'];
    const corpus = new CaptionCorpus(sub, references);
    const direct = scoreCaptions(references, new Map(sub.map((id) => [id, candidates[id]![1]!])));
    expect(corpus.corpus((i) => candidates[sub[i]!]![1]!).CIDEr).toBe(direct.corpus.CIDEr);
  });

  it('refuses an empty set and images without references', () => {
    expect(() => new CaptionCorpus([], references)).toThrow(/no captions/);
    expect(() => new CaptionCorpus(['a', 'z'], references)).toThrow(/image z has no reference/);
  });
});
