/**
 * Whether content is what the hub says it is. A hub file is vouched for by one of two hashes
 * (MODELS.md appendix §6; huggingface_hub `file_download.py`, `_tree_cache.py`): an LFS file by
 * the sha256 of its content, any other file by its git blob sha1 (`blobId`: sha1 of
 * `blob <length>\0` followed by the content). Blobs in a Hugging Face cache are named by the same
 * hash, so one check serves the hub listing, a cached listing and a blob's name alike.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { hashFileInto } from '../file-hash.js';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A git object id: a small file's blob id, and a commit id too. */
export const GIT_SHA1_HEX = /^[0-9a-f]{40}$/;

export type ExpectedHash = { readonly sha256: string } | { readonly gitSha1: string };

/** The hash a listed file must have: its LFS sha256 when it has one, else its git blob sha1. */
export function expectedHashOf(file: { sha256?: string | undefined; blobId?: string | undefined }): ExpectedHash | undefined {
  return file.sha256 ? { sha256: file.sha256 } : file.blobId ? { gitSha1: file.blobId } : undefined;
}

/** The hash a cache blob's file name gives, if the name is one. */
export function expectedHashFromName(name: string): ExpectedHash | undefined {
  return SHA256_HEX.test(name) ? { sha256: name } : GIT_SHA1_HEX.test(name) ? { gitSha1: name } : undefined;
}

export function hashValue(expect: ExpectedHash): string {
  return 'sha256' in expect ? expect.sha256 : expect.gitSha1;
}

export function hashKind(expect: ExpectedHash): 'sha256' | 'git blob sha1' {
  return 'sha256' in expect ? 'sha256' : 'git blob sha1';
}

export function gitBlobSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The hash of `bytes` of the kind `expect` names (for a mismatch message). */
export function hashOfBytes(bytes: Buffer, expect: ExpectedHash): string {
  return 'sha256' in expect ? createHash('sha256').update(bytes).digest('hex') : gitBlobSha1(bytes);
}

export function matchesBytes(bytes: Buffer, expect: ExpectedHash): boolean {
  return hashOfBytes(bytes, expect) === hashValue(expect);
}

export interface FileHashes {
  sha256: string;
  /** Only when asked for: it costs a second digest over the same read. */
  gitSha1?: string;
  bytes: number;
}

/** sha256 of a file, and its git blob sha1 when asked: one read for both. */
export async function hashFile(path: string, options: { git?: boolean } = {}): Promise<FileHashes> {
  const size = (await stat(path)).size;
  const sha = createHash('sha256');
  const git = options.git ? createHash('sha1').update(`blob ${size}\0`) : undefined;
  const bytes = await hashFileInto(git ? [sha, git] : sha, path);
  // The git header names the length read by stat; a file that changed meanwhile has no valid blob id.
  if (git && bytes !== size) throw new Error(`${path}: changed while being hashed (${size} bytes, then ${bytes})`);
  return { sha256: sha.digest('hex'), ...(git ? { gitSha1: git.digest('hex') } : {}), bytes };
}

export function matchesHashes(hashes: FileHashes, expect: ExpectedHash): boolean {
  return 'sha256' in expect ? hashes.sha256 === expect.sha256 : hashes.gitSha1 === expect.gitSha1;
}
