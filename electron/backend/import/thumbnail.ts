/**
 * Thumbnails: small WebP files under the project's assets folder. Rendering one is also how an
 * import proves an image decodes completely (a truncated file fails here, not at metadata time).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { THUMBNAIL_SIZE, thumbnailPath } from '../media/asset-paths.js';

/**
 * Decodes `data` fully and returns a WebP thumbnail that fits inside THUMBNAIL_SIZE, turned
 * upright by its EXIF orientation. Throws on truncated or undecodable data.
 */
export async function renderThumbnail(data: Buffer, maxPixels: number): Promise<Buffer> {
  return sharp(data, {
    // 'truncated' rather than 'warning': many real datasets (COCO among them) hold JPEGs with
    // harmless warnings such as extraneous bytes before a marker, and those must still import.
    failOn: 'truncated',
    limitInputPixels: maxPixels,
    sequentialRead: true,
  })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}

/**
 * Writes a thumbnail under its final name via a temporary file, so a crash never leaves a
 * half-written thumbnail that looks valid. Synchronous on purpose: imports call it inside the
 * SQLite transaction that inserts the image row, so a failed write rolls the row back too.
 */
export function writeThumbnailSync(assetsDir: string, imageId: number, data: Buffer): void {
  const target = thumbnailPath(assetsDir, imageId);
  const temp = `${target}.${process.pid}.tmp`;
  mkdirSync(dirname(target), { recursive: true });
  try {
    writeFileSync(temp, data);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
