import { describe, expect, it } from 'vitest';
import { scoreCaptions } from '../../metrics/score-captions.js';
import { selectionGain, type ScoredCandidate } from './selection-gain.js';

const references = new Map<number, string[]>([
  [1, ['a red circle on the left', 'a red ball at the left side']],
  [2, ['a blue square at the top', 'a blue box near the top']],
  [3, ['a green star in the middle', 'a green star at the centre']],
]);

const good = { 1: 'a red circle on the left', 2: 'a blue square at the top', 3: 'a green star in the middle' } as const;
const bad = { 1: 'a yellow square at the bottom', 2: 'a red circle on the right', 3: 'two white triangles' } as const;

function run(goodFirstBySimilarity: boolean): Map<number, ScoredCandidate[]> {
  return new Map(
    ([1, 2, 3] as const).map((id) => [
      id,
      [
        { idx: 0, text: bad[id], similarity: goodFirstBySimilarity ? 0.2 : 0.9 },
        { idx: 1, text: good[id], similarity: goodFirstBySimilarity ? 0.8 : 0.1 },
      ],
    ]),
  );
}

describe('selectionGain (Table 1 / Fig. 3 protocols)', () => {
  it('baseline is the mean of the per-sample corpus scores; selected is the top reconstruction', () => {
    const result = selectionGain(references, run(true));
    const goodScore = scoreCaptions(references, new Map(Object.entries(good).map(([k, v]) => [Number(k), v]))).corpus;
    const badScore = scoreCaptions(references, new Map(Object.entries(bad).map(([k, v]) => [Number(k), v]))).corpus;
    expect(result).toMatchObject({ images: 3, candidatesPerImage: 2 });
    expect(result.selected.CIDEr).toBeCloseTo(goodScore.CIDEr, 12);
    expect(result.baseline.CIDEr).toBeCloseTo((goodScore.CIDEr + badScore.CIDEr) / 2, 12);
    expect(result.gainPercent.CIDEr).toBeGreaterThan(0);
    expect(result.byRank.map((m) => m.CIDEr)).toEqual([result.selected.CIDEr, badScore.CIDEr]);
  });

  it('shows a loss and a rising rank curve when reconstruction prefers the worse caption', () => {
    const result = selectionGain(references, run(false));
    expect(result.gainPercent.CIDEr).toBeLessThan(0);
    expect(result.byRank[1]!.CIDEr).toBeGreaterThan(result.byRank[0]!.CIDEr);
  });

  it('compares every image over its first N candidates only when counts differ (N the fewest), so extras cannot be selected', () => {
    // Image 1 has a third candidate, the good caption with the best reconstruction; images 2 and 3 have two.
    const unequal = run(false);
    unequal.set(1, [...unequal.get(1)!, { idx: 2, text: good[1], similarity: 0.99 }]);
    const cut = selectionGain(references, unequal);
    expect(cut).toEqual(selectionGain(references, run(false)));
    expect(cut.candidatesPerImage).toBe(2);
    expect(cut.gainPercent.CIDEr).toBeLessThan(0);
  });

  it('breaks similarity ties by sampling order and refuses an empty run', () => {
    const tied = new Map(
      ([1, 2, 3] as const).map((id) => [id, [{ idx: 1, text: good[id], similarity: 0.5 }, { idx: 0, text: bad[id], similarity: 0.5 }]]),
    );
    const badScore = scoreCaptions(references, new Map(Object.entries(bad).map(([k, v]) => [Number(k), v]))).corpus;
    expect(selectionGain(references, tied).selected.CIDEr).toBe(badScore.CIDEr);
    expect(badScore.CIDEr).toBeLessThan(selectionGain(references, run(true)).selected.CIDEr);
    expect(() => selectionGain(references, new Map())).toThrow(/no images/);
  });
});
