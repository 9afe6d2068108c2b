import { join } from 'node:path';

/** Where the thumbnail of image `imageId` lives inside a project's assets folder. */
export function thumbnailPath(assetsDir: string, imageId: number): string {
  // Sharded so that no folder holds more than a thousand files.
  return join(assetsDir, 'thumbs', String(Math.floor(imageId / 1000)), `${imageId}.webp`);
}

export const THUMBNAIL_SIZE = 256;
