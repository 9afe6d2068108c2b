/**
 * Lists the files under a folder for import: recursive, hidden entries skipped, symlinks
 * followed but each real directory visited once (so a link back to a parent cannot loop).
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface WalkResult {
  /** POSIX-style paths relative to the root, sorted by code unit so re-imports order files alike. */
  files: string[];
  /** Folders that could not be listed, relative to the root, with the reason. */
  unreadable: { item: string; message: string }[];
}

export interface WalkOptions {
  /** Real (symlink-resolved) directories not to enter, e.g. the project's own folder. */
  exclude?: string[];
}

export async function walkFolder(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const visited = new Set<string>(options.exclude ?? []);
  const files: string[] = [];
  const unreadable: WalkResult['unreadable'] = [];
  const pending = [root];
  const rootReal = await realpath(root);
  visited.delete(rootReal);

  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const rel = toPosix(relative(root, dir)) || '.';
    let entries: Dirent[];
    try {
      const real = await realpath(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ item: rel, message: `Cannot list folder ${rel}: ${(error as Error).message}` });
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let kind: 'dir' | 'file' = entry.isDirectory() ? 'dir' : 'file';
      if (entry.isSymbolicLink()) {
        // A broken link is listed as a file: if it looks like an image, the probe reports it.
        kind = await stat(path).then(
          (s) => (s.isDirectory() ? 'dir' : 'file'),
          () => 'file' as const,
        );
      }
      // FIFOs, sockets and devices are listed as files too: if one has an image's or a caption
      // file's name, reading it (which refuses anything but a regular file) reports it by name.
      if (kind === 'dir') pending.push(path);
      else files.push(toPosix(relative(root, path)));
    }
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, unreadable };
}

const toPosix = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));
