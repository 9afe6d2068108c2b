/**
 * Strict decoding of the text files Roundtrip imports (COCO JSON, caption sidecars, metadata.jsonl,
 * metrics inputs). Issue 16: invalid UTF-8 used to become U+FFFD without a word, and UTF-16 files
 * were refused without naming the encoding. Read: UTF-8 with or without a byte order mark, and
 * UTF-16 (LE or BE) with one. Anything else fails with the encoding problem and its byte offset, so
 * the user can find and fix the file rather than import damaged captions.
 */

export class TextDecodeError extends Error {
  constructor(
    message: string,
    /** Offset of the first byte that could not be decoded, from the start of the file. */
    readonly byteOffset: number,
  ) {
    super(message);
    this.name = 'TextDecodeError';
  }
}

export function decodeText(data: Uint8Array, name: string): string {
  if (startsWith(data, [0xff, 0xfe, 0x00, 0x00]) || startsWith(data, [0x00, 0x00, 0xfe, 0xff])) {
    throw new TextDecodeError(`${name} is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8.`, 0);
  }
  if (startsWith(data, [0xef, 0xbb, 0xbf])) return utf8(data, 3, name);
  if (startsWith(data, [0xff, 0xfe])) return utf16(data, 'le', name);
  if (startsWith(data, [0xfe, 0xff])) return utf16(data, 'be', name);
  return utf8(data, 0, name);
}

function utf8(data: Uint8Array, start: number, name: string): string {
  // ASCII stored as UTF-16 is valid UTF-8 full of NUL bytes, so this is checked first.
  const nul = looksLikeUtf16(data.subarray(start));
  if (nul !== -1) {
    throw new TextDecodeError(
      `${name} looks like UTF-16 text without a byte order mark (NUL bytes from byte ${start + nul}); save it as UTF-8, or as UTF-16 with a byte order mark.`,
      start + nul,
    );
  }
  // The strict decoder checks every byte once; the scan for the offending byte runs only when it refuses.
  try {
    return STRICT.utf8.decode(data.subarray(start));
  } catch {
    /* the message below names the byte */
  }
  const bad = Math.max(firstInvalidUtf8(data, start), start);
  const bytes = [...data.subarray(bad, Math.min(bad + 4, data.length))].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
  throw new TextDecodeError(`${name} is not valid UTF-8: byte ${bad} (${bytes}) does not start a valid UTF-8 character. Save the file as UTF-8.`, bad);
}

function utf16(data: Uint8Array, order: 'le' | 'be', name: string): string {
  const label = order === 'le' ? 'UTF-16LE' : 'UTF-16BE';
  if (data.length % 2 !== 0) throw new TextDecodeError(`${name} is ${label} text (by its byte order mark) but ends in half a character at byte ${data.length - 1}.`, data.length - 1);
  try {
    return STRICT[order].decode(data.subarray(2));
  } catch {
    /* refused: find the lone surrogate to name its byte */
  }
  const unit = (i: number): number => (order === 'le' ? data[i]! | (data[i + 1]! << 8) : (data[i]! << 8) | data[i + 1]!);
  for (let i = 2; i < data.length; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) throw loneSurrogate(name, label, i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 2 < data.length ? unit(i + 2) : -1;
      if (next < 0xdc00 || next > 0xdfff) throw loneSurrogate(name, label, i);
      i += 2;
    }
  }
  throw new TextDecodeError(`${name} is not valid ${label}.`, 2);
}

/** Decoders that refuse malformed input instead of writing U+FFFD (reusable: no streaming). */
const STRICT = {
  utf8: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }),
  le: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }),
  be: new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true }),
};

const loneSurrogate = (name: string, label: string, offset: number): TextDecodeError =>
  new TextDecodeError(`${name} is not valid ${label}: byte ${offset} holds half of a surrogate pair without its other half.`, offset);

/** Offset of the first byte of an invalid UTF-8 sequence (overlong, surrogate, above U+10FFFF, cut short), or -1. */
export function firstInvalidUtf8(data: Uint8Array, start = 0): number {
  let i = start;
  while (i < data.length) {
    const b = data[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range rules out overlong forms, surrogates (ED A0..BF) and code points above U+10FFFF.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = data[i + k];
      if (c === undefined || c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** The first NUL byte when NULs are frequent at even or odd offsets (ASCII stored as UTF-16), else -1. */
function looksLikeUtf16(data: Uint8Array): number {
  const sample = data.subarray(0, 4096);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? even++ : odd++);
  return Math.max(even, odd) > sample.length / 4 ? sample.indexOf(0) : -1;
}

const startsWith = (data: Uint8Array, prefix: number[]): boolean => prefix.every((b, i) => data[i] === b);
