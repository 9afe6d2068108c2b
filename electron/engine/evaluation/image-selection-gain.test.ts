import { describe, expect, it } from 'vitest';
import { groupBySourceText, imageSelectionGain } from './image-selection-gain.js';

describe('imageSelectionGain (Table 2 protocol)', () => {
  it('compares the selected image with its candidates’ mean and with the first seed’s image', () => {
    const gain = imageSelectionGain([
      [
        { idx: 0, rank: 2, realSimilarity: 0.4 },
        { idx: 1, rank: 1, realSimilarity: 0.8 },
        { idx: 2, rank: 3, realSimilarity: 0.3 },
      ],
      [
        { idx: 0, rank: 1, realSimilarity: 0.2 },
        { idx: 1, rank: 2, realSimilarity: 0.6 },
        { idx: 2, rank: 3, realSimilarity: 0.4 },
      ],
    ]);
    expect(gain).toMatchObject({ texts: 2, imagesPerText: 3, selectedBeatsMean: 0.5 });
    expect(gain.selected).toBeCloseTo(0.5, 12);
    expect(gain.mean).toBeCloseTo(0.45, 12);
    expect(gain.random).toBeCloseTo(0.3, 12);
    expect(gain.gainOverMeanPercent).toBeCloseTo((0.05 / 0.45) * 100, 10);
    expect(gain.gainOverRandomPercent).toBeCloseTo((0.2 / 0.3) * 100, 10);
    expect(gain.distance.selected).toBeCloseTo(50, 10);
  });

  it('groups a run’s rows by source text', () => {
    const rows = [
      { imageId: 1, referenceId: 5, idx: 0 },
      { imageId: 2, referenceId: 7, idx: 0 },
      { imageId: 1, referenceId: 5, idx: 1 },
    ];
    expect(groupBySourceText(rows)).toEqual([[rows[0], rows[2]], [rows[1]]]);
    expect(() => imageSelectionGain([])).toThrow(/no generated images/);
  });
});
