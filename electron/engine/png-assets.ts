/**
 * Generated images saved as PNG under the project's assets folder. A file is written before
 * its item's transaction commits; a crash in between leaves a file that is simply rewritten
 * (byte for byte, the run being deterministic) on resume. Written to a temporary name and
 * renamed, so a reader never sees half a PNG.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import type { Project } from '../storage/project.js';
import type { RgbImage } from './engine-models.js';

/** Writes `image` to `assets/<...parts>.png`; returns the path relative to the project folder. */
export async function savePngAsset(project: Project, parts: readonly (string | number)[], image: RgbImage): Promise<string> {
  const file = `${join(project.assetsDir, ...parts.map(String))}.png`;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await sharp(Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toFile(temp);
  renameSync(temp, file);
  return relative(project.dir, file).split('\\').join('/');
}
