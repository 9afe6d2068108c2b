/** Fingerprints of exports on disk, for checking that an earlier export came through a fault intact. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 over a file's bytes, or over a folder's relative names and file bytes (files that vanish mid-walk count as absent). */
export function treeHash(path: string): string {
  const hash = createHash('sha256');
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path, { recursive: true, encoding: 'utf8' }).sort()) {
      const full = join(path, name);
      hash.update(name);
      if (statSync(full, { throwIfNoEntry: false })?.isFile()) hash.update(readFileSync(full));
    }
  } else hash.update(readFileSync(path));
  return hash.digest('hex');
}

/** Bytes of a file, or of every file in a folder. */
export function bytesIn(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  return readdirSync(path, { recursive: true, encoding: 'utf8' }).reduce((sum, name) => {
    const info = statSync(join(path, name), { throwIfNoEntry: false });
    return sum + (info?.isFile() ? info.size : 0);
  }, 0);
}
