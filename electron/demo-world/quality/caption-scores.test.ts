import { describe, expect, it } from 'vitest';
import { scoreCaptions } from '../../metrics/score-captions.js';
import { corpusScores, distinctShare } from './caption-scores.js';

const refs = [
  ['a red star in the top left', 'a small red star', 'a star', 'something red', 'a red star.'],
  ['two blue circles on grey', 'a pair of blue discs', 'blue circles', 'two blue balls', 'a grey picture with two blue circles'],
  ['a big white square', 'a white box', 'a large white block', 'a white square in the middle', 'one white square'],
];

describe('corpusScores', () => {
  it('with the PTB tokenizer equals the app metrics (scoreCaptions)', () => {
    const hyps = ['a red star', 'two blue circles', 'a yellow triangle'];
    const app = scoreCaptions(new Map(refs.map((r, i) => [i, r])), new Map(hyps.map((h, i) => [i, h])));
    expect(corpusScores(refs, hyps, 'ptb')).toEqual(app.corpus);
  });

  it("scores repeated images the way evaluate.py's cider_d does: a perfect caption scores high, a wrong one 0", () => {
    const perfect = corpusScores(refs, refs.map((r) => r[0]!), 'evaluate.py').CIDEr;
    expect(perfect).toBeGreaterThan(1);
    expect(corpusScores(refs, ['xyz', 'xyz', 'xyz'], 'evaluate.py').CIDEr).toBe(0);
    // The same hypotheses listed twice each leave the idf (log N − log df) and so the mean unchanged.
    const twice = corpusScores([...refs, ...refs], [...refs.map((r) => r[1]!), ...refs.map((r) => r[1]!)], 'evaluate.py').CIDEr;
    expect(twice).toBeCloseTo(corpusScores(refs, refs.map((r) => r[1]!), 'evaluate.py').CIDEr, 12);
  });

  it('refuses lists of different lengths', () => {
    expect(() => corpusScores(refs, ['a'], 'ptb')).toThrow(/1 hypotheses for 3/);
  });
});

describe('distinctShare', () => {
  it('is the mean share of distinct samples per image', () => {
    expect(distinctShare([['a', 'b', 'a', 'c'], ['x', 'x', 'x', 'x']])).toBeCloseTo((3 / 4 + 1 / 4) / 2);
    expect(distinctShare([])).toBe(0);
  });
});
