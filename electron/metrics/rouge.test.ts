import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/mulberry32.js';
import { lcsLength, rougeL } from './rouge.js';

/** The textbook quadratic DP, as pycocoevalcap's rouge.py computes it. */
function lcsDp(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('lcsLength', () => {
  it('equals the DP on random token lists of every length around the word size', () => {
    const random = mulberry32(16);
    for (let trial = 0; trial < 400; trial++) {
      const vocabulary = 1 + Math.floor(random() * 6);
      const list = () => Array.from({ length: Math.floor(random() * 140) }, () => `w${Math.floor(random() * vocabulary)}`);
      const a = list();
      const b = list();
      expect(lcsLength(a, b), `${a.join(' ')} | ${b.join(' ')}`).toBe(lcsDp(a, b));
    }
  });

  it('scores two captions of the longest length allowed in well under a second (issue 16)', () => {
    // 10,000 characters of one-letter words: 5,000 tokens, the most MAX_CAPTION_CHARS allows.
    const a = Array.from({ length: 5000 }, (_, i) => 'abcde'[i % 5]!);
    const b = Array.from({ length: 5000 }, (_, i) => 'abcde'[(i * 7) % 5]!);
    const started = performance.now();
    const lcs = lcsLength(a, b);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lcs).toBe(lcsDp(a, b));
    expect(rougeL(a.join(' '), [b.join(' ')])).toBeGreaterThan(0);
  });
});
