/**
 * Puts a file from the user's Hugging Face cache into a model folder: a hard link when both are
 * on one file system (no second copy of a gigabyte), else a copy. Never a symbolic link: the
 * user may prune their cache (`huggingface-cli delete-cache`), and a hard link keeps the content
 * alive where a symlink would dangle. The content must match the hash the listing or the blob's
 * name gives; a file that does not is not used (the pull downloads it instead).
 */
import { copyFile, link, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hashFile, matchesHashes } from './expected-hash.js';
import type { CachedFile } from './hf-cache.js';

export interface TakenFile {
  sha256: string;
  bytes: number;
  linked: boolean;
}

/** errno codes after which a copy still works: another file system, or one without hard links. */
const CANNOT_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EACCES']);

/**
 * Undefined when the cache cannot give the file after all: its content does not match, or the
 * cache changed since the plan (a blob pruned, replaced by a symlink, unreadable). The cache is
 * a shortcut, so none of that fails the pull: the file is downloaded instead.
 */
export async function takeFromCache(cached: CachedFile, dest: string): Promise<TakenFile | undefined> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.from-cache`;
  try {
    await rm(tmp, { force: true });
    // The plan resolved `source` to a regular file; link(2) on what became a symlink since would link the symlink itself.
    if (!(await lstat(cached.source)).isFile()) return await discard(tmp);
    let linked = true;
    try {
      await link(cached.source, tmp);
    } catch (error) {
      if (!CANNOT_LINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      linked = false;
      await copyFile(cached.source, tmp);
    }
    if (!(await lstat(tmp)).isFile()) return await discard(tmp);
    const hashes = await hashFile(tmp, { git: 'gitSha1' in cached.expect });
    if (!matchesHashes(hashes, cached.expect)) return await discard(tmp);
    await rename(tmp, dest);
    return { sha256: hashes.sha256, bytes: hashes.bytes, linked };
  } catch {
    return discard(tmp);
  }
}

async function discard(tmp: string): Promise<undefined> {
  await rm(tmp, { force: true }).catch(() => undefined);
  return undefined;
}
