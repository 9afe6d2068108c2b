/**
 * Checks one image file before it enters a project: size, format, dimensions and a full decode
 * (which also yields the thumbnail, so every image is decoded exactly once). Problems are
 * returned, not thrown, so one bad file never stops an import.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { FileIdentity } from '../../files/imported-file.js';
import { readRegularFile } from '../../files/read-regular-file.js';
import { fileProblem } from './file-errors.js';
import type { ProblemCode } from './import-report.js';
import { renderThumbnail } from './thumbnail.js';

export const DEFAULT_MAX_PIXELS = 100_000_000;
/** Far above any real photo; guards against reading a huge non-image file into memory. */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface ProbedImage {
  ok: true;
  sha256: string;
  bytes: number;
  /** The file the bytes were read from (media and runs later read only this file, see imported-file.ts). */
  identity: FileIdentity;
  /** Upright dimensions (after EXIF orientation), as the image is shown and thumbnailed. */
  width: number;
  height: number;
  format: ImageFormat;
  /** WebP thumbnail bytes, rendered during the full decode. */
  thumbnail: Buffer;
}

export interface ProbeProblem {
  ok: false;
  code: ProblemCode;
  message: string;
}

export interface ProbeOptions {
  maxPixels?: number;
  maxBytes?: number;
  /** How messages name the file (e.g. its path relative to the dataset); defaults to the path. */
  name?: string;
  /** Cancels the read; probeImage then throws (a cancelled import is not a problem of this file). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function probeImage(file: string, options: ProbeOptions = {}): Promise<ProbedImage | ProbeProblem> {
  const name = options.name ?? file;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let data: Buffer;
  let identity: FileIdentity;
  try {
    // One handle, checked to be a regular file and read with a time limit (read-regular-file.ts).
    ({ data, identity } = await readRegularFile(file, {
      name,
      maxBytes,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }));
  } catch (error) {
    const { code, message } = fileProblem(error, name);
    return problem(code, message);
  }
  if (data.length === 0) return problem('empty-file', `${name} is empty (0 bytes).`);

  const format = sniffFormat(data);
  if (!format) return classifyUnknown(data, name);

  let width: number;
  let height: number;
  let upright: { width: number; height: number };
  try {
    // Header only, with no pixel limit, so an oversized image is refused without decoding it.
    const meta = await sharp(data, { limitInputPixels: false }).metadata();
    width = meta.width;
    height = meta.height;
    upright = meta.autoOrient ?? { width, height };
  } catch (error) {
    return damaged(format, data, name, error);
  }
  if (!(width > 0 && height > 0)) return problem('not-an-image', `${name} has no image dimensions.`);
  if (width * height > maxPixels) {
    return problem(
      'too-large',
      `${name} is ${width}×${height} pixels (${megapixels(width * height)} megapixels); the limit is ${megapixels(maxPixels)} megapixels.`,
    );
  }

  let thumbnail: Buffer;
  try {
    thumbnail = await renderThumbnail(data, maxPixels);
  } catch (error) {
    return damaged(format, data, name, error);
  }
  return {
    ok: true,
    sha256: createHash('sha256').update(data).digest('hex'),
    bytes: data.length,
    identity,
    width: upright.width,
    height: upright.height,
    format,
    thumbnail,
  };
}

const problem = (code: ProblemCode, message: string): ProbeProblem => ({ ok: false, code, message });

/** The accepted formats, told by their magic bytes rather than by the file name. */
export function sniffFormat(data: Buffer): ImageFormat | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Another image format sharp knows is `unsupported`; anything else is not an image at all. */
async function classifyUnknown(data: Buffer, name: string): Promise<ProbeProblem> {
  try {
    const { format, pages } = await sharp(data, { limitInputPixels: false }).metadata();
    if (format) {
      const what = pages !== undefined && pages > 1 ? `an animated ${format.toUpperCase()} (${pages} frames)` : `a ${format.toUpperCase()} image`;
      return problem('unsupported', `${name} is ${what}; Roundtrip imports JPEG, PNG and WebP only.`);
    }
  } catch {
    // Not recognised by any decoder: fall through.
  }
  return problem('not-an-image', `${name} is not an image (its content is not JPEG, PNG or WebP).`);
}

/** A file with the right magic bytes that fails to decode: cut short, or otherwise corrupt. */
function damaged(format: ImageFormat, data: Buffer, name: string, error: unknown): ProbeProblem {
  const detail = describe(error);
  if (/premature end|truncat|unexpected end|end of (file|stream)/i.test(detail) || endsEarly(format, data)) {
    return problem('truncated', `${name} is truncated: the file ends before its image data does (${detail}).`);
  }
  return problem('not-an-image', `${name} looks like a ${format.toUpperCase()} file but cannot be decoded (${detail}).`);
}

/** Structural end-of-file checks, because decoder messages (e.g. "libpng read error") are vague. */
function endsEarly(format: ImageFormat, data: Buffer): boolean {
  switch (format) {
    case 'png':
      return !data.subarray(Math.max(0, data.length - 12)).includes(PNG_IEND);
    case 'webp':
      return data.length < data.readUInt32LE(4) + 8;
    case 'jpeg':
      // Only a missing end-of-image marker anywhere is conclusive (EXIF thumbnails contain one too).
      return !data.includes(Buffer.from([0xff, 0xd9]));
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

const megapixels = (pixels: number): string => String(Math.round((pixels / 1e6) * 10) / 10);
