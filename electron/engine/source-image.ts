/**
 * The file a run reads for an image of the project: the one imported, by its stored path. A file
 * that is gone, or is no longer the imported file (by identity, else by its bytes' SHA-256, see
 * imported-file.ts), has been replaced since (another picture under the same name, a link
 * retargeted): the image fails with a message saying so, rather than the run scoring captions
 * against a picture the project never saw.
 */
import { join } from 'node:path';
import { checkImportedFile } from '../files/imported-file.js';
import type { Project } from '../storage/project.js';

export async function importedSourceFile(project: Project, imageId: number): Promise<string> {
  const image = project.images.get(imageId);
  if (!image) throw new Error(`image ${imageId} is no longer in the project`);
  const path = join(image.rootPath, image.fileName);
  const file = await checkImportedFile(path, image);
  if (!file.ok) throw new Error(file.message);
  if (file.adopt) project.images.adoptIdentity(imageId, file.adopt);
  return path;
}
