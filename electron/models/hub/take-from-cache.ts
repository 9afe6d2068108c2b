/**
 * Puts a file from the user's Hugging Face cache into a model folder: a hard link when both are
 * on one file system (no second copy of a gigabyte), else a copy. Never a symbolic link: the
 * user may prune their cache (`huggingface-cli delete-cache`), and a hard link keeps the content
 * alive where a symlink would dangle. The content must match the hash the listing or the blob's
 * name gives; a file that does not is not used (the pull downloads it instead).
 */
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
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

export async function takeFromCache(cached: CachedFile, dest: string): Promise<TakenFile | undefined> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.from-cache`;
  await rm(tmp, { force: true });
  let linked = true;
  try {
    // `source` is the real file (symlinks resolved): link(2) on a symlink would link the symlink itself.
    await link(cached.source, tmp);
  } catch (error) {
    if (!CANNOT_LINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    linked = false;
    await copyFile(cached.source, tmp);
  }
  const hashes = await hashFile(tmp, { git: 'gitSha1' in cached.expect });
  if (!matchesHashes(hashes, cached.expect)) {
    await rm(tmp, { force: true });
    return undefined;
  }
  await rename(tmp, dest);
  return { sha256: hashes.sha256, bytes: hashes.bytes, linked };
}
