import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';

const isNaNBits = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

describe('float16 conversion', () => {
  it('matches numpy astype(np.float16) bit for bit on ordinary, subnormal, overflowing and negative values', () => {
    // From Debian's python3: np.array(values, np.float32).astype(np.float16).view(np.uint16)
    const values = [0.1, -2.5, 3.14159, 1e-5, 6e-8, 65519.0, 65520.0, 1e5, -1e-9, 0.333333, 2 ** -14 * 0.75, 1.0009765625];
    expect(Array.from(float32ToFloat16(values))).toEqual([11878, 49408, 16968, 168, 1, 31743, 31744, 31744, 32768, 13653, 768, 15361]);
  });

  it('round-trips every non-NaN half exactly, including ±0, subnormals and ±Infinity', () => {
    for (let h = 0; h < 0x10000; h++) {
      if (isNaNBits(h)) continue;
      expect(toFloat16Bits(fromFloat16Bits(h))).toBe(h);
    }
    expect(fromFloat16Bits(0x7c00)).toBe(Infinity);
    expect(fromFloat16Bits(0xfc00)).toBe(-Infinity);
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24);
    expect(fromFloat16Bits(0x7bff)).toBe(65504);
  });

  it('rounds a value halfway between two halves to the even one, and anything off the middle to the nearer', () => {
    for (let h = 0; h < 0x7bff; h++) {
      const [a, b] = [fromFloat16Bits(h), fromFloat16Bits(h + 1)];
      const middle = (a + b) / 2;
      expect(toFloat16Bits(middle)).toBe(h % 2 === 0 ? h : h + 1);
      // A quarter of a step either side of the middle is exact in float32 (halves have 11 significant bits).
      expect(toFloat16Bits(middle - (b - a) / 4)).toBe(h);
      expect(toFloat16Bits(middle + (b - a) / 4)).toBe(h + 1);
    }
  });

  it('keeps NaN a NaN, the sign of zero, and sends tiny values to zero and huge ones to Infinity', () => {
    expect(isNaNBits(toFloat16Bits(NaN))).toBe(true);
    expect(Number.isNaN(float16ToFloat32([toFloat16Bits(NaN)])[0])).toBe(true);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(2 ** -25)).toBe(0); // a tie between 0 and the smallest subnormal: even is 0
    expect(toFloat16Bits(2 ** -25 * 1.5)).toBe(1);
    expect(toFloat16Bits(-1e-30)).toBe(0x8000);
    expect(toFloat16Bits(1e30)).toBe(0x7c00);
    expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
  });
});
