/**
 * The files of a model folder, for provenance hashing and `models verify`. Issue 16: a symbolic
 * link loop in a model folder passed verify (which looked only at the files it expected) and then
 * failed the run with a raw "ELOOP: too many symbolic links encountered". Every entry is looked
 * at here; what cannot be a model file is a problem naming its path, never a thrown errno.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface ModelFolderFiles {
  /** Absolute paths of the regular files, sorted. */
  files: string[];
  /** `<path relative to the folder>: <what is wrong>`, e.g. `onnx/x.onnx: symbolic link loop (ELOOP)`. */
  problems: string[];
}

/** Deeper than any model layout (stable-diffusion's is two levels). */
const MAX_DEPTH = 6;

export async function listModelFolder(dir: string): Promise<ModelFolderFiles> {
  const files: string[] = [];
  const problems: string[] = [];
  const visited = new Set<string>();
  const rel = (path: string) => relative(dir, path).split('\\').join('/') || '.';

  const walk = async (folder: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      const real = await realpath(folder);
      // A link back to a folder already listed (e.g. `sub -> ..`) would list it forever.
      if (visited.has(real)) return void problems.push(`${rel(folder)}: links back to a folder of the model (a symbolic link loop)`);
      visited.add(real);
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      return void problems.push(`${rel(folder)}: ${describeErrno(error)}`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(folder, entry.name);
      let info;
      try {
        info = await stat(path);
      } catch (error) {
        problems.push(`${rel(path)}: ${describeErrno(error)}`);
        continue;
      }
      if (info.isDirectory()) {
        if (depth >= MAX_DEPTH) problems.push(`${rel(path)}: folders nested deeper than ${MAX_DEPTH} levels`);
        else await walk(path, depth + 1);
      } else if (info.isFile()) files.push(path);
      else problems.push(`${rel(path)}: not a regular file (${info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'a device'})`);
    }
  };
  await walk(dir, 0);
  return { files, problems };
}

export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symbolic link loop (ELOOP)';
  if (code === 'ENOENT') return 'missing (a symbolic link to nothing?)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error as Error).message;
}
