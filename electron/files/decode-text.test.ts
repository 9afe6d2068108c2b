import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8, TextDecodeError } from './decode-text.js';

const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') le.swap16();
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
};
const failure = (data: Uint8Array): TextDecodeError => {
  try {
    decodeText(data, 'caps.txt');
  } catch (error) {
    expect(error).toBeInstanceOf(TextDecodeError);
    return error as TextDecodeError;
  }
  throw new Error('decoded');
};

describe('decodeText', () => {
  it('reads UTF-8 with and without a byte order mark, and UTF-16 with one', () => {
    expect(decodeText(Buffer.from('a café 🐱'), 'x')).toBe('a café 🐱');
    expect(decodeText(Buffer.from('\uFEFFa café'), 'x')).toBe('a café');
    expect(decodeText(utf16('a café 🐱', 'le'), 'x')).toBe('a café 🐱');
    expect(decodeText(utf16('a café 🐱', 'be'), 'x')).toBe('a café 🐱');
  });

  it('names the byte offset of invalid UTF-8 (a Latin-1 file)', () => {
    const error = failure(Buffer.from('a dog\nun caf\xe9 noir', 'latin1'));
    expect(error.byteOffset).toBe(12);
    expect(error.message).toBe('caps.txt is not valid UTF-8: byte 12 (0xE9 0x20 0x6E 0x6F) does not start a valid UTF-8 character. Save the file as UTF-8.');
  });

  it('says when a file looks like UTF-16 without a byte order mark', () => {
    expect(failure(Buffer.from('a dog on a mat', 'utf16le')).message).toBe(
      'caps.txt looks like UTF-16 text without a byte order mark (NUL bytes from byte 1); save it as UTF-8, or as UTF-16 with a byte order mark.',
    );
  });

  it('refuses UTF-32, odd-length UTF-16 and lone surrogates in UTF-16', () => {
    expect(failure(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])).message).toMatch(/UTF-32/);
    expect(failure(Buffer.concat([utf16('ab', 'le'), Buffer.from([0x63])])).message).toMatch(/UTF-16LE .* half a character at byte 6/);
    const lone = Buffer.concat([utf16('ab', 'le'), Buffer.from([0x00, 0xd8, 0x61, 0x00])]);
    const error = failure(lone);
    expect(error.byteOffset).toBe(6);
    expect(error.message).toBe('caps.txt is not valid UTF-16LE: byte 6 holds half of a surrogate pair without its other half.');
  });

  it('finds overlong forms, encoded surrogates, code points above U+10FFFF and cut sequences', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from('ok ✓ 🐱'))).toBe(-1);
  });
});
