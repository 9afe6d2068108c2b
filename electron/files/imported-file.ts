/**
 * Whether the file at an image's stored path is still the one imported. Datasets may hold symbolic
 * links (a common way to assemble one), so a link is followed; but a file that is gone, not a
 * regular file, or no longer has the imported size is not the image the project knows (swapped,
 * or a link retargeted since). The media server and the runs both ask here.
 */
import { realpathSync, statSync } from 'node:fs';

/** `message` names the file and the problem. */
export type ImportedFile = { ok: true; realPath: string } | { ok: false; message: string };

export function checkImportedFile(path: string, bytes: number): ImportedFile {
  let realPath: string;
  let size: number;
  try {
    realPath = realpathSync(path);
    const stats = statSync(realPath);
    if (!stats.isFile()) return { ok: false, message: `${path}: the imported image is no longer a file` };
    size = stats.size;
  } catch (error) {
    return { ok: false, message: `${path}: the imported image cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  if (size !== bytes) {
    return { ok: false, message: `${path} has changed since it was imported (${size} bytes, imported with ${bytes}); import it again to use the new file` };
  }
  return { ok: true, realPath };
}
