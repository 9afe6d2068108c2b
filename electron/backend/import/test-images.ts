/** Images generated at test time (never committed): real encoder output, plus deliberately broken files. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export type TestFormat = 'jpeg' | 'png' | 'webp' | 'gif';

/** Random pixels, so compressed files are large enough that cutting them in half truncates real data. */
export async function noiseImage(format: TestFormat, width = 64, height = 48, seed = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();
}

/** A valid small PNG whose header (with a correct CRC) claims `width`×`height` pixels. */
export async function pngClaimingSize(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await noiseImage('png', 4, 4));
  // Signature (8) + IHDR length (4) + type (4), then width and height; CRC covers type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

export const firstHalf = (data: Buffer): Buffer => data.subarray(0, Math.floor(data.length / 2));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `rt-${prefix}-`));
}

export function writeFiles(root: string, files: Record<string, Buffer | string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}
