import { describe, expect, it } from 'vitest';
import { groupedRecall, recallAt1 } from './retrieval.js';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe('recallAt1', () => {
  it('counts an image right when its own text is its best match, and the reverse', () => {
    const images = [unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)];
    // Image 1's best text is text 2 and image 2's is text 1; texts 0 and 1 still find their images.
    const texts = [unit(1, 0.1, 0), unit(0.1, 1, 0.9), unit(0, 1, 0.2)];
    expect(recallAt1(images, texts)).toEqual({ imageToText: 1 / 3, textToImage: 2 / 3 });
    expect(recallAt1(images, images)).toEqual({ imageToText: 1, textToImage: 1 });
  });
});

describe('groupedRecall', () => {
  it('runs one trial per group of consecutive images and caption index, ignoring a partial last group', () => {
    const images = Array.from({ length: 5 }, (_, i) => unit(...Array.from({ length: 5 }, (_, j) => (i === j ? 1 : 0))));
    const shuffled = [images[1]!, images[0]!, images[2]!, images[3]!, images[4]!];
    const summary = groupedRecall(images, [images, shuffled], 2);
    expect(summary.trials.map((t) => [t.group, t.captionIndex, t.imageToText])).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 1],
      [1, 1, 1],
    ]);
    expect(summary).toMatchObject({ imageToText: 0.75, minImageToText: 0, maxImageToText: 1 });
    expect(() => groupedRecall(images.slice(0, 1), [images.slice(0, 1)], 2)).toThrow(/at least 2/);
  });
});
