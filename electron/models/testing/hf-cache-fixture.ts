/**
 * Test helper: writes a Hugging Face hub cache the way huggingface_hub fills one (MODELS.md
 * appendix §6; huggingface_hub `file_download.py`, `manage-cache.md`): blobs named by sha256 (LFS)
 * or git blob sha1 (other files), snapshot entries as relative symlinks into ../blobs (or real
 * files, as with HF_HUB_DISABLE_SYMLINKS), refs/<branch> holding the commit, and optionally the
 * newer trees/<commit>.json listing.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { repoCacheFolderName } from '../hub/hf-paths.js';
import { gitSha1Of, sha256Of, type FakeRepo } from './fake-hub.js';

export interface CacheOptions {
  /** Which of the repo's files the cache holds (default all). */
  only?: (path: string) => boolean;
  /** Snapshot files as real files, no blobs (HF_HUB_DISABLE_SYMLINKS=1, or Windows). */
  noSymlinks?: boolean;
  /** Also write trees/<commit>.json listing every file of the commit. */
  tree?: boolean;
  ref?: string;
}

export async function writeHfCache(cacheDir: string, repoId: string, repo: FakeRepo, options: CacheOptions = {}): Promise<string> {
  const root = join(cacheDir, repoCacheFolderName(repoId));
  const lfs = new Set(repo.lfs ?? []);
  const blobName = (path: string, bytes: Buffer) => (lfs.has(path) ? sha256Of(bytes) : gitSha1Of(bytes));
  await mkdir(join(root, 'refs'), { recursive: true });
  await writeFile(join(root, 'refs', options.ref ?? 'main'), repo.sha);
  for (const [path, bytes] of Object.entries(repo.files)) {
    if (options.only && !options.only(path)) continue;
    const entry = join(root, 'snapshots', repo.sha, ...path.split('/'));
    await mkdir(dirname(entry), { recursive: true });
    if (options.noSymlinks) {
      await writeFile(entry, bytes);
      continue;
    }
    const blob = join(root, 'blobs', blobName(path, bytes));
    await mkdir(dirname(blob), { recursive: true });
    await writeFile(blob, bytes);
    await symlink(relative(dirname(entry), blob), entry);
  }
  if (options.tree) {
    const files = Object.fromEntries(
      Object.entries(repo.files).map(([path, bytes]) => [
        path,
        lfs.has(path) ? { size: 134, blob_id: gitSha1Of(Buffer.from(path)), lfs_sha256: sha256Of(bytes), lfs_size: bytes.length } : { size: bytes.length, blob_id: gitSha1Of(bytes) },
      ]),
    );
    await mkdir(join(root, 'trees'), { recursive: true });
    await writeFile(join(root, 'trees', `${repo.sha}.json`), JSON.stringify({ format_version: 1, files }));
  }
  return root;
}
