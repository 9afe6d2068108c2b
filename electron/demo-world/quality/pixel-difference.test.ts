import { describe, expect, it } from 'vitest';
import { meanAbsoluteDifference } from './pixel-difference.js';

describe('meanAbsoluteDifference', () => {
  it('averages |a − b| over every channel value', () => {
    expect(meanAbsoluteDifference(Uint8Array.of(0, 10, 255, 7), Uint8Array.of(4, 10, 0, 7))).toBe((4 + 0 + 255 + 0) / 4);
    expect(() => meanAbsoluteDifference(Uint8Array.of(1), Uint8Array.of(1, 2))).toThrow(RangeError);
  });
});
