import { describe, expect, it } from 'vitest';
import { parseTags } from './tags.js';

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and repeats in any case', () => {
    expect(parseTags(' lemur ,vocabulary,, Lemur, check\nlater ')).toEqual(['lemur', 'vocabulary', 'check', 'later']);
    expect(parseTags('   ')).toEqual([]);
  });
});
