/**
 * Whether the file at an image's stored path is still the one imported. Datasets may hold symbolic
 * links (a common way to assemble one), so a link is followed; but the file it reaches must be the
 * imported one. Size alone is not enough (issue 16: another file of the same size, or a link
 * retargeted to one, was served as the image), so the import records the file's identity —
 * device, inode, size, mtime in ms — and a file is accepted when:
 * - its identity is the recorded one (the common case, one stat); or
 * - its size is, and its bytes still hash to the imported SHA-256: a dataset copied or restored
 *   (new inode, new mtime) or an image imported before identities were recorded. The caller may
 *   then record the new identity (`adopt`), so the hash is read once, not on every request.
 * Anything else is refused with a message naming the file. The media server and the runs both
 * ask here.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';

/** A file as the file system knows it. Device and inode are 64-bit unsigned, so decimal strings. */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
}

/** What the project recorded when the image was imported. */
export interface ImportedRecord {
  bytes: number;
  sha256: string;
  /** Null for images imported before identities were recorded. */
  identity: FileIdentity | null;
}

/** `message` names the file and the problem; `adopt` is set when the identity changed but the bytes did not. */
export type ImportedFile = { ok: true; realPath: string; identity: FileIdentity; adopt: FileIdentity | null } | { ok: false; message: string };

/** The identity of a file from its (bigint) stats. */
export function identityOf(stats: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint }): FileIdentity {
  return { dev: String(stats.dev), ino: String(stats.ino), size: Number(stats.size), mtimeMs: Number(stats.mtimeNs / 1_000_000n) };
}

export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export async function checkImportedFile(path: string, record: ImportedRecord): Promise<ImportedFile> {
  let realPath: string;
  let identity: FileIdentity;
  try {
    realPath = await realpath(path);
    const stats = await stat(realPath, { bigint: true });
    // Checked before anything opens it: a FIFO or device would block or never end.
    if (!stats.isFile()) return { ok: false, message: `${path}: the imported image is no longer a file` };
    identity = identityOf(stats);
  } catch (error) {
    return { ok: false, message: `${path}: the imported image cannot be read (${codeOf(error)})` };
  }
  if (identity.size !== record.bytes) {
    return { ok: false, message: `${path} has changed since it was imported (${identity.size} bytes, imported with ${record.bytes}); import it again to use the new file` };
  }
  if (record.identity && sameIdentity(identity, record.identity)) return { ok: true, realPath, identity, adopt: null };
  let hashed: { sha256: string; identity: FileIdentity };
  try {
    hashed = await hashFile(realPath);
  } catch (error) {
    return { ok: false, message: `${path}: the imported image cannot be read (${codeOf(error)})` };
  }
  if (hashed.sha256 !== record.sha256) {
    return {
      ok: false,
      message: `${path} is not the file that was imported: same size, different content (another file was put in its place${realPath === path ? '' : `, or its link now points to ${realPath}`}); import it again to use the new file`,
    };
  }
  // The identity of the handle that was hashed, so what is adopted is what was checked.
  return { ok: true, realPath, identity: hashed.identity, adopt: hashed.identity };
}

/** SHA-256 of a file and the identity of the handle it was read through. */
async function hashFile(path: string): Promise<{ sha256: string; identity: FileIdentity }> {
  // O_NONBLOCK and an fstat check: a FIFO put in the file's place since the stat must not block a thread (issue 16).
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file: a FIFO or device took its place' });
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return { sha256: hash.digest('hex'), identity: identityOf(stats) };
  } finally {
    await handle.close();
  }
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
