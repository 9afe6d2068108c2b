import { describe, expect, it } from 'vitest';
import { findIllFormedString, isWellFormedText, loneSurrogateIndex } from './well-formed.js';

describe('lone surrogates', () => {
  it('are found, while well-formed pairs are not', () => {
    expect(isWellFormedText('a cat 🐱')).toBe(true);
    expect(loneSurrogateIndex('ab\ud800c')).toBe(2);
    expect(loneSurrogateIndex('ab\udc00')).toBe(2);
    expect(loneSurrogateIndex('🐱\ud83d')).toBe(2);
  });

  it('are located inside nested values', () => {
    expect(findIllFormedString({ imageId: 1, finalText: 'ok' })).toBeNull();
    expect(findIllFormedString({ note: 'ok', tags: ['a', 'b\udfff'] })).toBe('tags.1');
    expect(findIllFormedString('\ud800')).toBe('(the value)');
  });
});
