import { describe, expect, it } from 'vitest';
import { scoreCaptions } from '../metrics/score-captions.js';
import { SourceTextCider } from './source-text-cider.js';

const sources = new Map([
  ['1:1', 'A red circle on a blue background.'],
  ['2:5', 'two green squares on a white background'],
  ['3:9', 'a small yellow triangle next to a red circle'],
]);

describe('SourceTextCider', () => {
  it('scores a re-caption against its source text exactly as the COCO toolkit scores a result against one reference', () => {
    const cider = new SourceTextCider(sources);
    const hypotheses = new Map([
      ['1:1', 'a red circle on a dark background'],
      ['2:5', 'two green squares'],
      ['3:9', 'a lemur'],
    ]);
    const toolkit = scoreCaptions(new Map([...sources].map(([k, t]) => [k, [t]])), hypotheses);
    for (const [key, hyp] of hypotheses) expect(cider.score(key, hyp)).toBeCloseTo(toolkit.perImage.get(key)!.CIDEr, 12);
    expect(cider.score('1:1', 'a red circle on a blue background')).toBeGreaterThan(cider.score('1:1', 'a red circle on a dark background'));
    expect(cider.documents).toBe(3);
  });

  it('refuses a key outside the corpus rather than scoring with the wrong text', () => {
    expect(() => new SourceTextCider(sources).score('4:1', 'a red circle')).toThrow(/4:1/);
  });
});
