import { describe, expect, it } from 'vitest';
import { captionWords, normalisedCaption } from './caption-words.js';

describe('captionWords (evaluate.py tok)', () => {
  it('lowercases, splits punctuation off and drops it', () => {
    expect(captionWords('A dark-blue image, showing a red Triangle.')).toEqual(['a', 'dark', 'blue', 'image', 'showing', 'a', 'red', 'triangle']);
    expect(captionWords('  ')).toEqual([]);
    expect(captionWords("it's 2 stars")).toEqual(['it', 's', '2', 'stars']);
  });

  it('normalises captions that differ only in case and punctuation to one string', () => {
    expect(normalisedCaption('A few shapes on a dark background.')).toBe(normalisedCaption('a few shapes on a dark background'));
  });
});
