/**
 * Reading a Hugging Face hub cache that huggingface_hub filled (MODELS.md appendix §6; its
 * `docs/source/en/guides/manage-cache.md`, `file_download.py`, `_tree_cache.py`):
 *   models--{org}--{name}/refs/{revision}           the commit a branch or tag pointed at
 *   models--{org}--{name}/snapshots/{commit}/{path}  symlinks into ../blobs (real files when
 *                                                    symlinks are disabled, e.g. on Windows)
 *   models--{org}--{name}/blobs/{hash}               sha256 for LFS files, git blob sha1 for others
 *   models--{org}--{name}/trees/{commit}.json        the commit's full listing (snapshot_download, huggingface_hub ≥ 1.22)
 * The cache is the user's and may be pruned at any time, so files are hard-linked or copied out of
 * it, never symlinked, and only after their content matched a hash. Every path is resolved to the
 * real file first (blobs may themselves be symlinks into a deduplicating store, and link(2) would
 * link the symlink, not its content), and only a regular file inside the cache is used: a snapshot
 * link that leads elsewhere is not the cache's to offer.
 */
import { lstat, open, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isWithin } from '../../files/within.js';
import { isSafeRepoPath, type HubFile } from '../hub-client.js';
import { expectedHashFromName, expectedHashOf, GIT_SHA1_HEX, hashValue, SHA256_HEX, type ExpectedHash } from './expected-hash.js';
import { repoCacheFolderName } from './hf-paths.js';

/** A commit id is a git sha1 too. */
const COMMIT = GIT_SHA1_HEX;

/** A file found in the cache, with the hash its content must have to be used. */
export interface CachedFile {
  path: string;
  /** The real file, symlinks resolved (a blob, or a snapshot file when symlinks are disabled). */
  source: string;
  size: number;
  expect: ExpectedHash;
}

/** A commit's full listing as the cache recorded it (`trees/{commit}.json`). */
export interface CachedListing {
  commit: string;
  files: HubFile[];
  /** `license:` from the cached README's front matter, when it has one. */
  licence?: string;
}

export class HubCache {
  constructor(readonly dir: string) {}

  repoDir(repo: string): string {
    return join(this.dir, repoCacheFolderName(repo));
  }

  /** The commit a revision (branch, tag or commit sha) resolves to in the cache, if its snapshot is there. */
  async commitFor(repo: string, revision: string): Promise<string | undefined> {
    const root = this.repoDir(repo);
    let commit = COMMIT.test(revision) ? revision : undefined;
    if (!commit && !revision.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      commit = (await readFile(join(root, 'refs', revision), 'utf8').catch(() => '')).trim();
    }
    if (!commit || !COMMIT.test(commit)) return undefined;
    return (await stat(join(root, 'snapshots', commit)).then((s) => s.isDirectory(), () => false)) ? commit : undefined;
  }

  /**
   * A commit's full file list without asking the hub, when the cache has one: huggingface_hub
   * ≥ 1.22's `snapshot_download` writes `trees/{commit}.json` (`_tree_cache.py`, format_version 1).
   * A snapshot folder alone is no listing: `hf_hub_download` fills it one file at a time, and
   * what it lacks would be silently left out of a pull. Undefined without a tree file; a tree
   * file that cannot be read or understood is an error naming it.
   */
  async listing(repo: string, commit: string): Promise<CachedListing | undefined> {
    const root = this.repoDir(repo);
    const file = join(root, 'trees', `${commit}.json`);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new Error(`${file}: cannot be read (${error.code ?? error.message})`);
    });
    if (text === undefined) return undefined;
    let tree: unknown;
    try {
      tree = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const files = treeEntries(tree);
    if (!files) throw new Error(`${file}: not a tree listing Roundtrip understands (format_version 1, relative paths)`);
    const readme = await readFile(join(root, 'snapshots', commit, 'README.md'), 'utf8').catch(() => '');
    const licence = /^---\n[\s\S]*?^license:\s*["']?([\w.-]+)/m.exec(readme)?.[1];
    return { commit, files, ...(licence ? { licence } : {}) };
  }

  /**
   * Where `file`'s content is in the cache, and which hash it must have: the listing's sha256 or
   * git blob sha1 when known (any commit's blob will do: blobs are named by content), else the
   * name of the blob the commit's snapshot links to. A file whose hash nobody can vouch for
   * (a real snapshot file with no listing) is not offered.
   */
  async find(repo: string, commit: string | undefined, file: HubFile): Promise<CachedFile | undefined> {
    const root = this.repoDir(repo);
    const cacheRoot = await realpath(this.dir).catch(() => undefined);
    if (cacheRoot === undefined) return undefined;
    const known = expectedHashOf(file);
    if (known) {
      const blob = await realFileWithin(join(root, 'blobs', hashValue(known)), cacheRoot);
      if (blob) return { path: file.path, source: blob.path, size: blob.size, expect: known };
    }
    if (!commit) return undefined;
    const entry = join(root, 'snapshots', commit, ...file.path.split('/'));
    const real = await realFileWithin(entry, cacheRoot);
    if (!real) return undefined;
    const expect = known ?? (await blobNameHash(entry, root));
    return expect ? { path: file.path, source: real.path, size: real.size, expect } : undefined;
  }
}

/** The real file behind `path` (every symlink resolved), when it is a regular file inside `cacheRoot`. */
async function realFileWithin(path: string, cacheRoot: string): Promise<{ path: string; size: number } | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined || !isWithin(real, cacheRoot)) return undefined;
  const info = await lstat(real).catch(() => undefined);
  return info?.isFile() ? { path: real, size: info.size } : undefined;
}

/** The hash a snapshot entry's blob is named by: the name of the `blobs/` file its link points at. */
async function blobNameHash(entry: string, root: string): Promise<ExpectedHash | undefined> {
  const target = await readlink(entry).then((t) => resolve(dirname(entry), t), () => undefined);
  if (target === undefined) return undefined;
  const blobs = [join(root, 'blobs'), join(await realpath(root).catch(() => root), 'blobs')];
  return blobs.includes(dirname(target)) ? expectedHashFromName(basename(target)) : undefined;
}

function treeEntries(tree: unknown): HubFile[] | undefined {
  if (!tree || typeof tree !== 'object' || (tree as { format_version?: unknown }).format_version !== 1) return undefined;
  const files = (tree as { files?: unknown }).files;
  if (!files || typeof files !== 'object') return undefined;
  const out: HubFile[] = [];
  for (const [path, raw] of Object.entries(files as Record<string, unknown>)) {
    const info = raw as { size?: unknown; blob_id?: unknown; lfs_sha256?: unknown; lfs_size?: unknown };
    const size = typeof info.lfs_size === 'number' ? info.lfs_size : typeof info.size === 'number' ? info.size : undefined;
    const sha256 = typeof info.lfs_sha256 === 'string' && SHA256_HEX.test(info.lfs_sha256) ? info.lfs_sha256 : undefined;
    const blobId = typeof info.blob_id === 'string' && COMMIT.test(info.blob_id) ? info.blob_id : undefined;
    // A listing that names a path outside the repo is not one to trust (as for the hub's own listing).
    if (!isSafeRepoPath(path)) return undefined;
    out.push({ path, ...(size !== undefined ? { size } : {}), ...(sha256 ? { sha256 } : {}), ...(blobId ? { blobId } : {}) });
  }
  return out;
}

/**
 * A small cached file (a config) read into memory, or undefined when it is not a regular file or
 * larger than `limit`: the size is checked on the open file before reading, so a huge or growing
 * file named config.json cannot fill memory.
 */
export async function readCachedSmall(cached: CachedFile, limit: number): Promise<Buffer | undefined> {
  const handle = await open(cached.source, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > limit) return undefined;
    const buffer = Buffer.alloc(info.size + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // More than stat said: the file is being written; not one to trust now.
    return bytesRead > info.size ? undefined : buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
