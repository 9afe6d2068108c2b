import { describe, expect, it } from 'vitest';
import { contentWords } from './words.js';

describe('contentWords', () => {
  it('keeps the words that name things, once each, without function words or punctuation', () => {
    expect(contentWords('A lemur on the left, and a Lemur near the top. There is also a monkey!')).toEqual(['lemur', 'left', 'near', 'top', 'monkey']);
  });

  it('keeps apostrophes inside words and drops digits', () => {
    expect(contentWords("the dog's 3 balls")).toEqual(["dog's", 'balls']);
  });
});
