/**
 * The file a run reads for an image of the project: the one imported, by its stored path. A file
 * that is gone or no longer has its imported size has been replaced since (another picture under
 * the same name, a link retargeted): the image fails with a message saying so, rather than the
 * run scoring captions against a picture the project never saw.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../storage/project.js';

export function importedSourceFile(project: Project, imageId: number): string {
  const image = project.images.get(imageId);
  if (!image) throw new Error(`image ${imageId} is no longer in the project`);
  const path = join(image.rootPath, image.fileName);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new Error(`${path}: the imported image cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (size !== image.bytes) {
    throw new Error(`${path} has changed since it was imported (${size} bytes, imported with ${image.bytes}); import it again to use the new file`);
  }
  return path;
}
