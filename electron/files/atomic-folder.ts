/**
 * Atomic folder exports (karpathy, hf-imagefolder, sidecar-txt). The whole folder is built as a
 * hidden sibling of the target (same parent, so renames never cross file systems), then swapped
 * in: a previous export is moved aside, the new folder renamed into place, the old one deleted.
 * POSIX has no atomic exchange of two folders, so for the instant between the two renames the
 * target is missing; a process killed right then has its previous export put back by the temp
 * janitor (or by the next export's sweep), so a reader finds the old folder or the new one,
 * never a half-written one.
 *
 * A folder write replaces only what Roundtrip made there: the target must not exist, be empty,
 * or hold its kind's marker file *and* pass the kind's `owns` check of that marker. Anything
 * else is refused, naming what is in the way, so `--out ~/data` cannot wipe a folder. For
 * exports, a marker is not enough (any folder with a `roundtrip-export.json`, even `{}`, was
 * replaced whole, issue 16): `owns` asks the project's export log (export-folder-owner.ts), and
 * EXPORT_FOLDER itself, which knows no log, owns nothing. The caller's `guard` (export-target.ts:
 * not the project, not a dataset's folder) runs again right before the swap.
 */
import { lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { ioError, sweepStaleTemps, syncFolder, tempPathFor } from './atomic-file.js';
import { trackTemp } from './temp-janitor.js';

/** Written into every folder export: what it is, so a later export may replace it. */
export const EXPORT_MARKER = 'roundtrip-export.json';

export interface FolderKind {
  /** The file that marks a folder as one this code wrote (and may replace). */
  marker: string;
  /** What such a folder is, for messages ("export", "report"). */
  what: string;
  /**
   * Whether the folder `target`, whose marker holds `marker`, is one this kind may replace.
   * Without it the marker alone decides (reports: nothing records where they were written).
   */
  owns?: (target: string, marker: Buffer) => boolean | Promise<boolean>;
}

/** An export folder with no export log to consult: replaces only a free or empty target (see exportFolderKind). */
export const EXPORT_FOLDER: FolderKind = Object.freeze({ marker: EXPORT_MARKER, what: 'export', owns: () => false });

export async function writeFolderAtomically(
  target: string,
  produce: (folder: string) => Promise<void>,
  options: { guard?: (() => Promise<void>) | undefined; kind?: FolderKind } = {},
): Promise<void> {
  const { guard, kind = EXPORT_FOLDER } = options;
  await requireReplaceable(target, kind);
  await sweepStaleTemps(target);
  const temp = tempPathFor(target);
  const registration = trackTemp(temp);
  try {
    await mkdir(temp).catch((error: unknown) => Promise.reject(ioError(target, error)));
    await produce(temp);
    await syncFolder(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    registration.release();
    throw inTarget(error, temp, target);
  }
  // Checked again: the target may have appeared (or been imported as a dataset) while the export was being written.
  let previous: boolean;
  try {
    await guard?.();
    previous = await requireReplaceable(target, kind);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    registration.release();
    throw error;
  }
  let old: string | undefined;
  let oldRegistration: { release(): void } | undefined;
  try {
    if (previous) {
      old = tempPathFor(target, 'old');
      oldRegistration = trackTemp(old, target);
      await rename(target, old);
    }
    await rename(temp, target);
  } catch (error) {
    if (old) await rename(old, target).catch(() => {});
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    oldRegistration?.release();
    registration.release();
    throw ioError(target, error);
  }
  registration.release();
  await syncFolder(dirname(target));
  if (old) await rm(old, { recursive: true, force: true }).catch(() => {});
  oldRegistration?.release();
}

/** True when a previous folder of `kind` is there to replace; throws unless the target is free or one of those. */
export async function requireReplaceable(target: string, kind: FolderKind = EXPORT_FOLDER): Promise<boolean> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw ioError(target, error);
  });
  if (!info) {
    const parent = await stat(dirname(target)).catch(() => null);
    if (!parent) throw new ApiError(ErrorCode.Io, `Cannot write ${target}: the folder ${dirname(target)} does not exist.`);
    if (!parent.isDirectory()) throw new ApiError(ErrorCode.Io, `Cannot write ${target}: ${dirname(target)} is a file, not a folder.`);
    return false;
  }
  if (!info.isDirectory()) {
    throw new ApiError(ErrorCode.Conflict, `${target} is a file; this writes a folder. Choose a new folder name.`);
  }
  const names = await readdir(target);
  if (names.length === 0) return true;
  if (!names.includes(kind.marker)) {
    throw new ApiError(
      ErrorCode.Conflict,
      `${target} already holds files that are not a Roundtrip ${kind.what} (no ${kind.marker}; in the way: ${listNames(names)}); choose a new or empty folder (nothing was written).`,
    );
  }
  if (!kind.owns) return true;
  const markerPath = join(target, kind.marker);
  const marker = await readMarker(markerPath);
  if (marker !== null && (await kind.owns(target, marker))) return true;
  throw new ApiError(
    ErrorCode.Conflict,
    `${target} is not an earlier ${kind.what} of this project: its ${markerPath} matches no ${kind.what} the project's log records in that folder, ` +
      `and replacing the folder would delete ${listNames(names)}. Choose a new or empty folder (nothing was written).`,
  );
}

/**
 * A write error of a file in the temporary folder, naming that file where the user will look for
 * it (inside `target`): the temporary is gone by the time anyone reads the message.
 */
function inTarget(error: unknown, temp: string, target: string): unknown {
  if (!(error instanceof ApiError) || !error.message.includes(temp)) return error;
  return new ApiError(error.code, error.message.replaceAll(temp, target));
}

/** The marker's bytes, or null unless it is a regular file (a link or a folder by that name is no marker). */
async function readMarker(path: string): Promise<Buffer | null> {
  try {
    if (!(await lstat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

/** The first few names in a folder, for a message ("a.txt, b.txt, c.txt and 3 more"). */
function listNames(names: readonly string[]): string {
  const shown = [...names].sort().slice(0, 3).join(', ');
  return `${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}
